"""The coverage and overlaps page of police-zone staff, and its downloads.

Only police-zone staff and superusers open it (the URL wraps it in
``admin.site.admin_view``; a coordinator gets 403). Everything is read
through ``visible_to``: staff of one zone never see another zone's streets,
groups or numbers, and another zone's municipality in the address is as
unknown as a mistyped one (404).

The counts per zone and municipality come first, each list after them with
a chart of its largest rows; a long list is shown a page at a time
(``LIST_PAGE_SIZE``) and downloads whole as CSV (``?csv=<list>``), with
every cell that a spreadsheet would run as a formula made text.
"""

import csv
import logging
from collections.abc import Iterable
from functools import partial
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from groups.models import Municipality, is_zone_staff
from wabp_portal.paginator import CappedCountPaginator
from wabp_portal.spreadsheets import neutralise

from .. import coverage as reads
from ..charts import Bar, Series, bar_chart

logger = logging.getLogger(__name__)

MUNICIPALITY_PARAMETER = "gemeente"
DOWNLOAD_PARAMETER = "csv"
LIST_PAGE_SIZE = 25
CHART_BARS = 12  # the largest rows; the list has them all

# The lists, by the name in the address (their page parameter and download).
STREETS, CLAIMED, PHONES, NEAR_LIMIT, WAITING = (
    "straten",
    "overlap",
    "nummers",
    "groepen",
    "wachtlijst",
)
LISTS = (STREETS, CLAIMED, PHONES, NEAR_LIMIT, WAITING)


class CountedPaginator(Paginator):
    """Pages of a list whose length the page has already counted."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # the cached_property, filled


class CoverageView(TemplateView):
    """Streets without a group, overlaps, shared numbers, full groups, demand."""

    template_name = "admin/coverage.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_zone_staff(request.user):
            raise PermissionDenied
        self.municipalities = list(
            Municipality.objects.visible_to(request.user).order_by("name")
        )
        self.municipality = None
        slug = request.GET.get(MUNICIPALITY_PARAMETER)
        if slug:
            matches = [each for each in self.municipalities if each.slug == slug]
            if not matches:
                raise Http404
            self.municipality = matches[0]
        pks = (
            [self.municipality.pk]
            if self.municipality
            else [each.pk for each in self.municipalities]
        )
        self.pks = pks
        wanted = request.GET.get(DOWNLOAD_PARAMETER)
        if wanted is not None:
            if wanted not in LISTS:
                raise Http404
            return self.download(wanted)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        coverage = reads.zone_coverage(user, self.pks)
        query = (
            {MUNICIPALITY_PARAMETER: self.municipality.slug}
            if self.municipality
            else {}
        )
        context.update(
            admin.site.each_context(self.request),
            title=_("Coverage and overlaps of %(municipality)s")
            % {"municipality": self.municipality.name}
            if self.municipality
            else _("Coverage and overlaps"),
            coverage=coverage,
            totals=coverage.totals,
            municipalities=self.municipalities,
            municipality=self.municipality,
            parameter=MUNICIPALITY_PARAMETER,
            # The page's address without a list's page, to add one to.
            base=urlencode(query) + "&" if query else "",
            lists={
                STREETS: self.page(
                    STREETS,
                    reads.streets_without_group(user, self.pks),
                    partial(CountedPaginator, count=coverage.totals["without_group"]),
                ),
                CLAIMED: self.page(CLAIMED, coverage.claimed_twice),
                PHONES: self.page(PHONES, coverage.shared_phones),
                NEAR_LIMIT: self.page(NEAR_LIMIT, coverage.near_limit),
                WAITING: self.page(
                    WAITING,
                    reads.waiting_demand(user, self.pks),
                    CappedCountPaginator,
                ),
            },
            charts=_charts(coverage),
        )
        context["charts"][WAITING] = _demand_chart(
            list(reads.waiting_demand(user, self.pks)[:CHART_BARS])
        )
        return context

    def page(self, name: str, rows, paginator_class=Paginator) -> dict:
        paginator = paginator_class(rows, LIST_PAGE_SIZE)
        # A page number that is not one (a letter, -1, 10**9) shows the
        # first or the last page, never an error.
        page = paginator.get_page(self.request.GET.get(name))
        return {"name": name, "page": page, "paginator": paginator}

    def download(self, name: str) -> HttpResponse:
        user = self.request.user
        header, rows = {
            STREETS: lambda: _street_rows(reads.streets_without_group(user, self.pks)),
            CLAIMED: lambda: _claimed_rows(
                reads.zone_coverage(user, self.pks).claimed_twice
            ),
            PHONES: lambda: _phone_rows(
                reads.zone_coverage(user, self.pks).shared_phones
            ),
            NEAR_LIMIT: lambda: _near_limit_rows(
                reads.zone_coverage(user, self.pks).near_limit
            ),
            WAITING: lambda: _waiting_rows(reads.waiting_demand(user, self.pks)),
        }[name]()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="dekking-{name}.csv"'
        # Mobile numbers and where people wait stay out of every cache.
        response["Cache-Control"] = "no-store"
        # What Excel on a Belgian system opens in columns (exports.members_csv).
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(header)
        count = 0
        for row in rows:
            writer.writerow([neutralise(str(cell)) for cell in row])
            count += 1
        logger.info(
            "coverage list downloaded: list=%s rows=%s user=%s", name, count, user.pk
        )
        return response


def _street_rows(streets) -> tuple[list[str], Iterable]:
    return (
        [_("Municipality"), _("Street"), _("Postcode")],
        (
            (row["municipality__name"], row["name"], row["postcode"])
            for row in streets.iterator()
        ),
    )


def _claimed_rows(claimed) -> tuple[list[str], Iterable]:
    return (
        [
            _("Municipality"),
            _("Street"),
            _("Postcode"),
            _("Groups"),
            _("House numbers in both"),
        ],
        (
            (
                each.municipality,
                each.street.name,
                each.street.postcode,
                " · ".join(each.overlap.regions),
                each.overlap.numbers,
            )
            for each in claimed
        ),
    )


def _phone_rows(shared) -> tuple[list[str], Iterable]:
    return (
        [_("Mobile number"), _("Groups"), _("Municipalities")],
        (
            (
                each.readable,
                " · ".join(name for _pk, name, _municipality in each.groups),
                " · ".join(
                    dict.fromkeys(municipality for *_rest, municipality in each.groups)
                ),
            )
            for each in shared
        ),
    )


def _near_limit_rows(groups) -> tuple[list[str], Iterable]:
    return (
        [
            _("Group"),
            _("Municipality"),
            _("Members"),
            _("Waiting for a decision"),
            _("Places left"),
        ],
        (
            (each.name, each.municipality, each.members, each.pending, each.places_left)
            for each in groups
        ),
    )


def _waiting_rows(demand) -> tuple[list[str], Iterable]:
    return (
        [_("Municipality"), _("Street"), _("Residents waiting")],
        (
            (row["municipality__name"], row["street"], row["residents"])
            for row in demand.iterator()
        ),
    )


def _largest(municipalities, figure: str) -> list:
    rows = [each for each in municipalities if getattr(each, figure)]
    rows.sort(key=lambda each: (-getattr(each, figure), each.name))
    return rows[:CHART_BARS]


def _charts(coverage: reads.Coverage) -> dict[str, str]:
    municipalities = coverage.municipalities
    charts = {}
    largest = _largest(municipalities, "without_group")
    if largest:
        charts[STREETS] = bar_chart(
            chart_id="chart-streets",
            title=_("Streets without a group per municipality"),
            description=_(
                "Horizontal bars: for each municipality, its known streets and "
                "those without a group, the %(count)s with the most. The table "
                "above has every municipality."
            )
            % {"count": len(largest)},
            series=[
                Series(_("Known streets"), "members"),
                Series(_("Without a group"), "pending"),
            ],
            bars=[
                Bar(each.name, (each.streets, each.without_group)) for each in largest
            ],
        )
    for name, figure, title, label in (
        (
            CLAIMED,
            "claimed_twice",
            _("Streets claimed by two groups per municipality"),
            _("Streets claimed twice"),
        ),
        (
            PHONES,
            "shared_phones",
            _("Mobile numbers in several groups per municipality"),
            _("Mobile numbers"),
        ),
    ):
        largest = _largest(municipalities, figure)
        if largest:
            charts[name] = bar_chart(
                chart_id=f"chart-{name}",
                title=title,
                description=_(
                    "Horizontal bars: the municipalities with the most, at most "
                    "%(count)s. The table above has every municipality."
                )
                % {"count": CHART_BARS},
                series=[Series(label, "pending")],
                bars=[Bar(each.name, (getattr(each, figure),)) for each in largest],
            )
    if coverage.near_limit:
        groups = coverage.near_limit[:CHART_BARS]
        charts[NEAR_LIMIT] = bar_chart(
            chart_id="chart-groups",
            title=_("Groups near the WhatsApp limit"),
            description=_(
                "Horizontal bars: for each group, its members and the signups "
                "waiting for a decision, the fullest %(count)s. The list below "
                "has them all."
            )
            % {"count": len(groups)},
            series=[
                Series(_("Members"), "members"),
                Series(_("Waiting for a decision"), "pending"),
            ],
            bars=[Bar(each.name, (each.members, each.pending)) for each in groups],
        )
    return charts


def _demand_chart(rows: list[dict]) -> str:
    """The streets with the most residents waiting."""
    if not rows:
        return ""
    return bar_chart(
        chart_id="chart-waiting",
        title=_("Residents waiting for a group per street"),
        description=_(
            "Horizontal bars: the streets with the most residents on the "
            "waiting list, at most %(count)s. The list below has them all."
        )
        % {"count": CHART_BARS},
        series=[Series(_("Residents waiting"), "pending")],
        bars=[
            Bar(f"{row['street']} ({row['municipality__name']})", (row["residents"],))
            for row in rows
        ],
    )
