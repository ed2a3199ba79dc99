"""Keep the residents' names out of the audit log, and log who reads their data.

django-auditlog describes each entry by ``str(instance)``, and a signup's is
the resident's name, which must go when the signup is withdrawn or purged.
So a signup's entries are not left to auditlog's own receivers: this module
writes them (``connect``), for the same events (created, changed, deleted,
opened) with the same changes on the same fields (``SIGNUP_FIELDS``, never
the resident's details), described by the signup's number from the start,
so the name never reaches the log table (not even as an overwritten row
version). Who it was is in the signup itself for as long as the signup may
hold it.

Reading a resident's data is logged too, as an ACCESS entry with the reader
and no name: opening a signup in the admin (``log_view``) and exporting
members (``log_export``, one entry per export with the numbers of the signups
in it). A coordinator marking a member who withdrew as removed from WhatsApp
is one entry on the signup (``log_removed_from_whatsapp``).
"""

from auditlog.diff import get_field_value
from auditlog.models import LogEntry
from auditlog.receivers import check_disable
from auditlog.signals import accessed
from django.contrib.auth.models import User
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.encoding import smart_str
from django.utils.translation import gettext

from .models import ExportRecord, Signup

# What the log keeps of a signup: its decisions. The resident's details are
# erased on withdrawal and must not survive in the log.
SIGNUP_FIELDS = (
    "status",
    "role",
    "group",
    "house_rules",
    "decided_at",
    "decided_by",
    "added_to_whatsapp_at",
    "ended_at",
    "erased_at",
    # When the resident changed their e-mail address (never the address).
    "email_changed_at",
)


def describe(signup: Signup) -> str:
    """How every entry about a signup names it: by number, never by name."""
    return gettext("Signup #%(pk)s") % {"pk": signup.pk}


def _changes(
    old: Signup | None, new: Signup | None, *, only=None
) -> dict[str, tuple[str, str]]:
    """The audited fields that differ, written as django-auditlog writes them.

    ``only``: the ``update_fields`` of the save, by name or attribute name.
    """
    changes = {}
    for name in SIGNUP_FIELDS:
        field = Signup._meta.get_field(name)
        if only is not None and name not in only and field.attname not in only:
            continue
        before, after = get_field_value(old, field), get_field_value(new, field)
        if before != after:
            changes[name] = (smart_str(before), smart_str(after))
    return changes


def _write(action: int, signup: Signup, changes: dict, *, force: bool = False):
    if not (changes or force):
        return None
    return LogEntry.objects.log_create(
        signup,
        action=action,
        changes=changes or None,
        force_log=force,
        object_repr=describe(signup),
    )


@check_disable
def _signup_created(sender, instance: Signup, created: bool, **kwargs) -> None:
    if created:
        _write(LogEntry.Action.CREATE, instance, _changes(None, instance))


@check_disable
def _signup_changed(sender, instance: Signup, update_fields=None, **kwargs) -> None:
    if instance._state.adding or instance.pk is None:
        return
    old = Signup._default_manager.filter(pk=instance.pk).first()
    changes = _changes(old, instance, only=update_fields)
    _write(LogEntry.Action.UPDATE, instance, changes)


@check_disable
def _signup_deleted(sender, instance: Signup, **kwargs) -> None:
    if instance.pk is not None:
        _write(LogEntry.Action.DELETE, instance, _changes(instance, None))


def _signup_opened(sender, instance: Signup, **kwargs) -> None:
    if instance.pk is not None:
        _write(LogEntry.Action.ACCESS, instance, {}, force=True)


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
        object_repr=describe(signup),
    )


def connect() -> None:
    """Write a signup's entries here (see the module docstring), for Signup only.

    Its proxies (the work lists) are saved as Signup by the services.
    """
    for signal, receiver in (
        (post_save, _signup_created),
        (pre_save, _signup_changed),
        (post_delete, _signup_deleted),
        (accessed, _signup_opened),
    ):
        signal.connect(
            receiver, sender=Signup, dispatch_uid=f"{__name__}.{receiver.__name__}"
        )
