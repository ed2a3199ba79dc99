"""Keep the residents' names out of the audit log.

django-auditlog stores ``str(instance)`` as each entry's description, and a
signup's is the resident's name, which must go when the signup is withdrawn
or purged. The log keeps the signup's number instead; who it was is in the
signup itself for as long as the signup may hold it.
"""

from auditlog.models import LogEntry
from auditlog.signals import post_log
from django.utils.translation import gettext

from .models import Signup


def _anonymous_repr(sender, instance, log_entry=None, **kwargs) -> None:
    if log_entry is None or not isinstance(instance, Signup):
        return
    description = gettext("Signup #%(pk)s") % {"pk": instance.pk}
    LogEntry.objects.filter(pk=log_entry.pk).update(object_repr=description)
    log_entry.object_repr = description


def connect() -> None:
    for model in Signup.__subclasses__() + [Signup]:
        post_log.connect(
            _anonymous_repr, sender=model, dispatch_uid=f"anonymous_repr_{model}"
        )
