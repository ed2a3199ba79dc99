"""Keep the residents' names out of the audit log, and log who reads their data.

django-auditlog stores ``str(instance)`` as each entry's description, and a
signup's is the resident's name, which must go when the signup is withdrawn
or purged. Every entry about a signup (a change, a deletion, a view) is
described by the signup's number instead, before the entry is written, so the
name never reaches the log table (not even as an overwritten row version).
Who it was is in the signup itself for as long as the signup may hold it.

Reading a resident's data is logged too, as an ACCESS entry with the reader
and no name: opening a signup in the admin (``log_view``) and exporting
members (``log_export``, one entry per export with the numbers of the signups
in it). A coordinator marking a member who withdrew as removed from WhatsApp
is one entry on the signup (``log_removed_from_whatsapp``).
"""

from auditlog.models import LogEntry
from auditlog.signals import accessed
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.utils.translation import gettext

from .models import ExportRecord, Signup


def _anonymous_repr(sender, instance: LogEntry, **kwargs) -> None:
    signup_type = ContentType.objects.get_for_model(Signup)
    if instance.content_type_id == signup_type.pk:
        instance.object_repr = gettext("Signup #%(pk)s") % {"pk": instance.object_pk}


def log_view(signup: Signup) -> None:
    """Record that the current user (AuditlogMiddleware) opened this signup."""
    # Sent for the concrete model: auditlog listens for Signup, not its proxies.
    accessed.send(sender=Signup, instance=signup)


def log_export(
    record: ExportRecord, signups: list[Signup], *, by: User
) -> LogEntry | None:
    """One entry for one export: who, which kind, how many and which signups.

    The entry carries the zone when every exported member lives in one, so
    that zone's staff read it; an export across zones is for superusers.
    """
    zones = {signup.municipality.zone_id for signup in signups}
    return LogEntry.objects.log_create(
        record,
        action=LogEntry.Action.ACCESS,
        changes=None,
        force_log=True,
        actor=by,
        actor_email=by.email or None,
        additional_data={
            "zone": zones.pop() if len(zones) == 1 else None,
            "kind": record.kind,
            "count": record.count,
            "signups": sorted(signup.pk for signup in signups),
        },
    )


def log_removed_from_whatsapp(signup: Signup, *, by: User) -> LogEntry | None:
    """One entry: a coordinator removed a withdrawn member from WhatsApp.

    On the signup, described by its number like every entry about one: the
    name and number that were kept for this are not in it.
    """
    return LogEntry.objects.log_create(
        signup,
        action=LogEntry.Action.UPDATE,
        changes={"removed_from_whatsapp": ["False", "True"]},
        actor=by,
        actor_email=by.email or None,
    )


def connect() -> None:
    pre_save.connect(
        _anonymous_repr, sender=LogEntry, dispatch_uid="anonymous_signup_repr"
    )
