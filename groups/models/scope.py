"""What every model of the network shares: who may see it, and its audit zone."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

AnyUser = AbstractBaseUser | AnonymousUser


def is_active_superuser(user: AnyUser) -> bool:
    return bool(user.is_active and user.is_superuser)


def is_zone_staff(user: AnyUser) -> bool:
    """Superusers and police-zone staff keep the table; coordinators do not."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.police_zones.exists()


class ZoneAudited:
    """Audit-log entries of this model carry the zone, so staff read their own.

    django-auditlog stores what ``get_additional_data`` returns with each
    entry; ``audit_zone_path`` is the attribute path to the PoliceZone's id.
    """

    audit_zone_path = "zone_id"

    def get_additional_data(self) -> dict:
        value = self
        for part in self.audit_zone_path.split("."):
            value = getattr(value, part, None)
        return {"zone": value}
