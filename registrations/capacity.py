"""The people of a group per street, for the capacity warning of ``groups``.

``groups.capacity`` warns when a group nears WhatsApp's limit and splits its
streets in two; who is in a group is known here. Registered with it when the
app starts (``apps.RegistrationsConfig.ready``).
"""

from django.db.models import Count
from django.db.models.functions import Coalesce

from groups.models import WhatsAppGroup

from .constants import SignupStatus
from .models import Signup


def people_by_street(group: WhatsAppGroup) -> dict[str, int]:
    """Members and waiting signups of the group, per street name."""
    rows = (
        Signup.objects.filter(
            group=group, status__in=[SignupStatus.APPROVED, SignupStatus.PENDING]
        )
        .annotate(name=Coalesce("street__name", "street_name"))
        .order_by()
        .values("name")
        .annotate(people=Count("pk"))
        .values_list("name", "people")
    )
    return dict(rows)
