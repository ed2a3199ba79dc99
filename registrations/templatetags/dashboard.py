from django import template
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from post_office.models import STATUS

from groups import capacity
from groups.models import Coordinator, RegionStreet, WhatsAppGroup, is_zone_staff
from registrations.constants import SignupRole, SignupStatus
from registrations.models import Signup, WithdrawnMember
from wabp_portal.mail.models import UndeliveredMail

register = template.Library()


@register.inclusion_tag("admin/_dashboard.html", takes_context=True)
def signup_dashboard(context) -> dict:
    """The groups in the user's scope with what waits for them, in one query."""
    user = context["request"].user
    # A subquery, not a join: a join would multiply the signup counts.
    to_remove = (
        WithdrawnMember.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(count=Count("pk"))
        .values("count")
    )
    # The user's groups once: their ids are read once for both lists below.
    scope = WhatsAppGroup.objects.visible_to(user).neighbourhood()
    groups = scope.annotate(
        pending=Count("signups", filter=Q(signups__status=SignupStatus.PENDING)),
        oldest_pending=Min(
            "signups__confirmed_at",
            filter=Q(signups__status=SignupStatus.PENDING),
        ),
        members=Count("signups", filter=Q(signups__status=SignupStatus.APPROVED)),
        not_added=Count(
            "signups",
            filter=Q(
                signups__status=SignupStatus.APPROVED,
                signups__added_to_whatsapp_at__isnull=True,
            ),
        ),
        to_remove=Coalesce(Subquery(to_remove), 0),
        may_hand_over=Exists(
            WhatsAppGroup.objects.led_by(user).filter(pk=OuterRef("pk"))
        ),
    ).order_by("-pending", "name")
    rows = list(groups[:50])
    # The group's life: a count per street only for a group near WhatsApp's
    # limit (capacity), and which groups the user leads (handover).
    for group in rows:
        group.capacity = capacity.warning_for(
            group, people=group.members + group.pending
        )
    staff = is_zone_staff(user)
    applications = (
        Signup.objects.visible_to(user)
        .pending()
        .filter(role=SignupRole.COORDINATOR)
        .count()
        if staff
        else 0
    )
    # Mail the worker gave up on: staff fix the cause and send it again.
    undelivered = (
        UndeliveredMail.objects.visible_to(user).filter(status=STATUS.failed).count()
        if staff
        else 0
    )
    # Published groups nobody finds: their region covers no street.
    without_streets = (
        scope.filter(is_public=True, is_active=True)
        .exclude(Exists(RegionStreet.objects.filter(region=OuterRef("region_id"))))
        .count()
        if staff
        else 0
    )
    # The coordinator, with the police zone's messages they have not opened
    # yet, in one query.
    coordinator = (
        Coordinator.objects.filter(user=user.pk)
        .annotate(
            new_messages=Count(
                "messages_received",
                filter=Q(messages_received__read_at__isnull=True),
            )
        )
        .first()
    )
    new_messages = (
        coordinator.new_messages
        if coordinator is not None and coordinator.is_active
        else 0
    )
    return {
        "staff": staff,
        "without_streets": without_streets,
        "applications": applications,
        "undelivered": undelivered,
        "groups": rows,
        "total_pending": sum(group.pending for group in rows),
        "total_to_remove": sum(group.to_remove for group in rows),
        "coordinator": coordinator,
        "new_messages": new_messages,
        "led_groups": [group for group in rows if group.may_hand_over],
    }
