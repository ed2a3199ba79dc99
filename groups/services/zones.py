"""Police zones and their municipalities, as the admin keeps them.

A superuser creates a zone and names its staff; the zone's staff keep its
contact block and its municipalities. Both show in the public networks
table, so every change here moves the table's cache to a new version
(``network_cache.invalidate``), at once and again when it commits.

A municipality is chosen from the official list (``reference``) and takes
its names and postcodes from there; one added before the list came is linked
to it by ``link_municipalities`` when its name and postcodes agree with the
list, and a linked one follows the list when a newer release changes it.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from .. import network_cache, reference
from ..models import Municipality, PoliceZone

logger = logging.getLogger(__name__)


@transaction.atomic
def save_police_zone(zone: PoliceZone) -> PoliceZone:
    """Save a new or changed zone (its staff: ``coordinators.change_zone_staff``)."""
    zone.full_clean()
    zone.save()
    network_cache.invalidate()
    logger.info("police zone saved pk=%s", zone.pk)
    return zone


@transaction.atomic
def delete_police_zones(zones: QuerySet[PoliceZone]) -> int:
    """Delete these zones and what cascades with them; return rows deleted."""
    deleted, _by_model = zones.delete()
    network_cache.invalidate()
    logger.info("police zones deleted rows=%s", deleted)
    return deleted


@transaction.atomic
def save_municipality(municipality: Municipality) -> Municipality:
    """Save a new or changed municipality."""
    municipality.full_clean()
    municipality.save()
    network_cache.invalidate()
    logger.info(
        "municipality saved pk=%s zone=%s", municipality.pk, municipality.zone_id
    )
    return municipality


@transaction.atomic
def delete_municipalities(municipalities: QuerySet[Municipality]) -> int:
    """Delete these municipalities and their streets; return rows deleted."""
    deleted, _by_model = municipalities.delete()
    network_cache.invalidate()
    logger.info("municipalities deleted rows=%s", deleted)
    return deleted


@dataclass
class LinkReport:
    """What ``link_municipalities`` found, one entry per municipality."""

    linked: list[Municipality] = field(default_factory=list)
    updated: list[Municipality] = field(default_factory=list)
    unchanged: list[Municipality] = field(default_factory=list)
    # (municipality, why it is left as it was)
    not_linked: list[tuple[Municipality, str]] = field(default_factory=list)


def _official_match(
    municipality: Municipality, taken: set[str]
) -> tuple[reference.OfficialMunicipality | None, str]:
    """The list's entry for an unlinked municipality, or why there is none."""
    codes = set(municipality.postcode_list)
    named = reference.municipalities_named(municipality.name)
    if len(named) != 1:
        owners = sorted(
            {
                str(m)
                for code in codes
                for m in reference.municipalities_for_postcode(code)
            }
        )
        if owners:
            return None, (
                "not in the official list by this name; its postcodes belong to "
                + ", ".join(owners)
                + ": choose the municipality in the admin if it is the same one"
            )
        return None, "neither its name nor its postcodes are in the official list"
    official = named[0]
    if official.nis_code in taken:
        return None, f"{official} is already linked to another municipality"
    codes |= set(municipality.streets.values_list("postcode", flat=True).distinct())
    if stray := sorted(codes - set(official.postcodes)):
        return None, (
            f"postcodes {', '.join(stray)} (of the municipality or its streets) "
            f"are not those of {official}: correct them, then link it"
        )
    return official, ""


def link_municipalities(
    municipalities: QuerySet[Municipality], *, dry_run: bool = False
) -> LinkReport:
    """Link these municipalities to the official list, or check those linked.

    An unlinked one is linked when the list has exactly one municipality of
    its name (Dutch or French, however written) whose postcodes include all
    of its own and its streets'; otherwise it is left as it was, with the
    reason. A linked one takes the list's names and postcodes again (after a
    newer release of the list). ``dry_run`` reports without writing.
    """
    report = LinkReport()
    taken = set(
        Municipality.objects.exclude(nis_code="").values_list("nis_code", flat=True)
    )
    for municipality in municipalities.order_by("name", "pk"):
        if municipality.nis_code:
            before = (municipality.name, municipality.name_fr, municipality.postcodes)
            if not municipality.fill_from_reference():
                report.not_linked.append(
                    (
                        municipality,
                        f"NIS code {municipality.nis_code} is no longer in the "
                        "official list (a merger?): choose its successor in the admin",
                    )
                )
                continue
            after = (municipality.name, municipality.name_fr, municipality.postcodes)
            if after == before:
                report.unchanged.append(municipality)
                continue
            found = report.updated
        else:
            official, reason = _official_match(municipality, taken)
            if official is None:
                report.not_linked.append((municipality, reason))
                continue
            municipality.nis_code = official.nis_code
            found = report.linked
        if not dry_run:
            try:
                save_municipality(municipality)
            except ValidationError as error:
                report.not_linked.append((municipality, " ".join(error.messages)))
                continue
        taken.add(municipality.nis_code)
        found.append(municipality)
    logger.info(
        "municipalities linked=%s updated=%s unchanged=%s not_linked=%s dry_run=%s",
        len(report.linked),
        len(report.updated),
        len(report.unchanged),
        len(report.not_linked),
        dry_run,
    )
    return report
