"""The list of members a group's coordinators must remove from WhatsApp.

Filled by the daily ``send_reconfirmations``: members who did not answer
the yearly question (``services.reconfirmation``) or did not accept new
house rules by their deadline (``services.house_rules``). Settled in
``services.reconfirmation.settle_member_to_remove``.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from groups.models import WhatsAppGroup
from wabp_portal.db import insert_unless_conflict

from .. import notifications
from ..models import MemberToRemove

logger = logging.getLogger(__name__)


def put_on_removal_list(candidates: QuerySet, *, reason: str, now: datetime) -> int:
    """Mark each row of ``candidates`` told, list its member, mail per group.

    ``candidates`` are rows with ``signup`` and ``coordinator_told_at``
    (yearly questions, requests to accept house rules). One transaction per
    group, holding the list and its one mail; rows another run holds are
    skipped (that run tells them).
    """
    group_pks = sorted(
        set(candidates.order_by().values_list("signup__group_id", flat=True))
    )
    return sum(
        _tell_group(candidates, group_pk, reason=reason, now=now)
        for group_pk in group_pks
    )


@transaction.atomic
def _tell_group(candidates: QuerySet, group_pk: int, *, reason: str, now) -> int:
    rows = list(
        candidates.filter(signup__group_id=group_pk)
        .select_for_update(of=("self",), skip_locked=True)
        .order_by("pk")
    )
    if not rows:
        return 0
    listed = 0
    for row in rows:
        row.coordinator_told_at = now
        row.save(update_fields=["coordinator_told_at"])
        notice = MemberToRemove(
            signup_id=row.signup_id, group_id=group_pk, reason=reason
        )
        if insert_unless_conflict(notice):
            listed += 1
    group = WhatsAppGroup.objects.select_related("municipality__zone").get(pk=group_pk)
    notifications.notify_coordinators_of_members_to_remove(group, count=listed)
    logger.info(
        "members put on the removal list group=%s reason=%s count=%s",
        group_pk,
        reason,
        listed,
    )
    return len(rows)
