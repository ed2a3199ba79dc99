"""What the resident pages share.

Which police zone applies, and the page of a link that opens nothing.
"""

from datetime import timedelta
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from groups import network_cache, page_cache
from groups.models import Municipality, PoliceZone, WhatsAppGroup
from groups.views import SharedPageMixin

from ..forms import (
    as_pk,
)
from ..models import HouseRules

# How long the link in the "new house rules" mail works.
REACCEPT_MAX_AGE = timedelta(days=90)


def _zone_from_data(
    data, initial: dict, *, found: dict | None = None
) -> PoliceZone | None:
    """The zone whose house rules apply: the chosen group's or municipality's.

    ``found`` receives the row read (by "municipality" or "group"), so the
    form need not read it again.
    """
    for key, model in (("municipality", Municipality), ("group", WhatsAppGroup)):
        value = as_pk(data.get(key)) or as_pk(initial.get(key))
        if value:
            obj = _public_row(model, value)
            if obj is not None:
                if found is not None:
                    found[key] = obj
                return obj.zone if model is Municipality else obj.municipality.zone
    return _sole_zone_taking_signups()


def _public_row(model, pk: int):
    """A municipality or group with its zone, by number; None if there is none.

    Public rows of the networks table, kept with it (``network_cache``): the
    e-loket reads the same few for every resident, and any change to the
    table moves its version. Only read, never changed, by the callers.
    """
    return network_cache.cached_lookup(
        f"{model._meta.label_lower}:{pk}",
        lambda: (
            model.objects.select_related(
                "zone" if model is Municipality else "municipality__zone"
            )
            .filter(pk=pk)
            .first()
        ),
    )


def current_rules_of(zone: PoliceZone) -> HouseRules | None:
    """The zone's current house rules, kept with the public pages.

    Publishing, correcting or deleting a version moves the table's version
    (``services.house_rules``), so a new version is read at once.
    """
    return network_cache.cached_lookup(
        f"house-rules:{zone.pk}",
        lambda: HouseRules.objects.current().filter(zone=zone).first(),
    )


def _sole_zone_taking_signups() -> PoliceZone | None:
    """The zone with house rules, if only one has them; else the visitor is asked.

    Never the first of several: a resident of another zone would get rules
    that are not theirs.
    """
    zones = list(PoliceZone.objects.filter(house_rules__is_current=True)[:2])
    return zones[0] if len(zones) == 1 else None


def _choose_municipality(
    request: HttpRequest, *, title: str, action: str, keep: dict[str, str]
) -> HttpResponse:
    """Ask the visitor's municipality, when it decides the police zone.

    A GET form to ``action`` with ``gemeente``: it works without JavaScript
    and puts only a municipality in the URL.
    """
    municipalities = (
        Municipality.objects.filter(zone__house_rules__is_current=True)
        .order_by("name")
        .only("pk", "name", "name_fr")
    )
    response = render(
        request,
        "registrations/choose_municipality.html",
        {
            "title": title,
            "action": action,
            "keep": keep,
            "municipalities": municipalities,
        },
    )
    # The question is the same for every visitor without cookies (a country's
    # 600 municipalities: tens of milliseconds to render): the page cache may
    # answer the next one with it, until the table changes (page_cache).
    if SharedPageMixin.is_shared(request):
        setattr(response, page_cache.SHARED, True)
    return response


def _sole_municipality() -> tuple[int, list[str]] | tuple[()]:
    """The id and postcodes of the only municipality, if there is only one."""
    municipalities = list(Municipality.objects.only("pk", "postcodes")[:2])
    if len(municipalities) != 1:
        return ()
    return municipalities[0].pk, municipalities[0].postcode_list


CONFIRMATION_LINK = "confirmation"
WITHDRAWAL_LINK = "withdrawal"
HOUSE_RULES_LINK = "house_rules"


def invalid_link(request: HttpRequest, reason: str, *, kind: str) -> HttpResponse:
    """A clear page for a link that is tampered with, expired or used up."""
    return render(
        request,
        "registrations/link_invalid.html",
        {
            "reason": reason,
            "kind": kind,
            "confirmation_hours": settings.SIGNUP_CONFIRMATION_HOURS,
            "unconfirmed_days": settings.UNCONFIRMED_RETENTION_DAYS,
            "reaccept_days": REACCEPT_MAX_AGE.days,
        },
        status=HTTPStatus.BAD_REQUEST,
    )
