"""The WhatsApp groups of a municipality.

Staff create and keep a group in the admin or with the table import
(``save_whatsapp_group``); its coordinator keeps its description and invite
link, and pastes a new link after resetting it in WhatsApp
(``change_invite_link``: after someone was removed, the old link would still
let them in). Approving a new-group application founds one, published
at once only when its streets were given. A hidden group is published only
when its region covers at least one street: the finder finds groups through
their streets, so one without would say "no group" to its own residents
(``covers_no_street``; staff are warned of published groups without streets
on the group's page and list and on the dashboard). Who coordinates a
group is changed in ``coordinators``. Groups make the public networks
table, so every change here moves the table's cache to a new version.
"""

import logging

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .. import network_cache
from ..constants import GroupKind
from ..models import RegionStreet, WhatsAppGroup, invite_link_validator
from .regions import save_region

logger = logging.getLogger(__name__)


@transaction.atomic
def save_whatsapp_group(group: WhatsAppGroup) -> WhatsAppGroup:
    """Save a new or changed group.

    A region the group names that is not saved yet (a table import naming a
    region its municipality lacks) is saved first, through ``save_region``.
    """
    if group.region_id is None and group.region is not None:
        group.region = save_region(group.region)
    group.full_clean()
    if publishes_without_streets(group):
        raise ValidationError(
            {
                "is_public": _(
                    "The group's region covers no street yet, so residents "
                    "would not find it. Add its streets on the region's page "
                    "first, then publish the group."
                )
            }
        )
    group.save()
    network_cache.invalidate()
    logger.info(
        "whatsapp group saved pk=%s municipality=%s", group.pk, group.municipality_id
    )
    return group


def covers_no_street(group: WhatsAppGroup) -> bool:
    """A neighbourhood group whose region covers no street: nobody finds it."""
    return (
        group.kind == GroupKind.NEIGHBOURHOOD
        and group.region_id is not None
        and not RegionStreet.objects.filter(region=group.region_id).exists()
    )


def publishes_without_streets(group: WhatsAppGroup) -> bool:
    """Whether this save makes a hidden group public although it covers no street.

    Only a group that was hidden is refused: one published before (or
    created public by the table import, whose streets may come after) is
    kept, and warned about wherever staff look (the group's page and list,
    the dashboard).
    """
    if group.pk is None or not (group.is_public and group.is_active):
        return False
    was_published = WhatsAppGroup.objects.filter(
        pk=group.pk, is_public=True, is_active=True
    ).exists()
    return not was_published and covers_no_street(group)


@transaction.atomic
def delete_whatsapp_groups(groups: QuerySet[WhatsAppGroup]) -> int:
    """Delete these groups; return rows deleted."""
    deleted, _by_model = groups.delete()
    network_cache.invalidate()
    logger.info("whatsapp groups deleted rows=%s", deleted)
    return deleted


def may_change_invite_link(group: WhatsAppGroup, user: User) -> bool:
    """Its coordinators, the staff of its zone, a superuser: the group's scope."""
    return (
        user.is_authenticated
        and user.has_perm("groups.change_whatsappgroup")
        and WhatsAppGroup.objects.visible_to(user).filter(pk=group.pk).exists()
    )


@transaction.atomic
def change_invite_link(group: WhatsAppGroup, *, link: str, by: User) -> WhatsAppGroup:
    """Keep the group's new WhatsApp invite link (after a reset in WhatsApp).

    Only someone whose scope holds the group; a link that is not a WhatsApp
    group invite is refused and nothing changes. From now on approval mails
    carry the new link.
    """
    if not may_change_invite_link(group, by):
        raise PermissionDenied
    link = link.strip()
    if not link:
        raise ValidationError({"invite_link": _("Paste the new invite link.")})
    try:
        invite_link_validator(link)
    except ValidationError as error:
        raise ValidationError({"invite_link": error.messages}) from error
    group = WhatsAppGroup.objects.select_for_update(of=("self",)).get(pk=group.pk)
    group.invite_link = link
    group.full_clean()
    group.save(update_fields=["invite_link"])
    network_cache.invalidate()
    logger.info("whatsapp group invite link changed pk=%s actor=%s", group.pk, by.pk)
    return group
