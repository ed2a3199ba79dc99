"""Admin pages that are not a model's: statistics and coverage, privacy requests.

Only police-zone staff and superusers open them; the URL wraps the view in
``admin.site.admin_view``, so anyone not logged in goes to the admin login.
The work lists' decision page (``decision_page``: a reason, a group to move
to, a new group to found) is rendered here too; the ModelAdmin's own URL
checks who may open it.
"""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from groups.models import Municipality, is_zone_staff

from ..charts import Bar, Column, Series, bar_chart, column_chart
from ..services import privacy
from ..statistics import MunicipalityFigures, Statistics, zone_statistics
from .forms import ErasureForm, PersonSearchForm

MUNICIPALITY_PARAMETER = "gemeente"


def decision_page(model_admin, request, *, title, intro, signup, form, submit):
    return TemplateResponse(
        request,
        "admin/registrations/decision_form.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "signup": signup,
            "form": form,
            "submit": submit,
            "opts": model_admin.model._meta,
        },
    )


class StatisticsView(TemplateView):
    """Members, waiting signups and coverage per municipality, as charts."""

    template_name = "admin/statistics.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_zone_staff(request.user):
            raise PermissionDenied
        self.municipalities = list(
            Municipality.objects.visible_to(request.user).order_by("name")
        )
        self.municipality = None
        slug = request.GET.get(MUNICIPALITY_PARAMETER)
        if slug:
            # Another zone's municipality is as unknown as a mistyped one.
            matches = [each for each in self.municipalities if each.slug == slug]
            if not matches:
                raise Http404
            self.municipality = matches[0]
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        stats = zone_statistics(self.request.user, municipality=self.municipality)
        context.update(
            admin.site.each_context(self.request),
            title=_("Statistics and coverage of %(municipality)s")
            % {"municipality": self.municipality.name}
            if self.municipality
            else _("Statistics and coverage"),
            stats=stats,
            municipalities=self.municipalities,
            municipality=self.municipality,
            parameter=MUNICIPALITY_PARAMETER,
            overview_chart=_municipality_chart(stats),
            sections=[
                {"figures": figures, "chart": _group_chart(figures)}
                for figures in stats.municipalities
            ],
            month_chart=_month_chart(stats),
        )
        return context


def _series() -> list[Series]:
    return [
        Series(_("Members"), "members"),
        Series(_("Waiting for a decision"), "pending"),
    ]


def _municipality_chart(stats: Statistics) -> str:
    if len(stats.municipalities) < 2:
        return ""
    return bar_chart(
        chart_id="chart-municipalities",
        title=_("Members and waiting signups per municipality"),
        description=_(
            "Horizontal bars: for each municipality, the number of members and "
            "of signups waiting for a decision. The table below has the same "
            "numbers."
        ),
        series=_series(),
        bars=[
            Bar(figures.name, (figures.members, figures.pending))
            for figures in stats.municipalities
        ],
    )


def _group_chart(figures: MunicipalityFigures) -> str:
    if not figures.groups:
        return ""
    return bar_chart(
        chart_id=f"chart-groups-{figures.pk}",
        title=_("Members and waiting signups per group in %(municipality)s")
        % {"municipality": figures.name},
        description=_(
            "Horizontal bars: for each group, the number of members and of "
            "signups waiting for a decision. The table below has the same numbers."
        ),
        series=_series(),
        bars=[
            Bar(group.name, (group.members, group.pending)) for group in figures.groups
        ],
    )


def _month_chart(stats: Statistics) -> str:
    columns = []
    for index, each in enumerate(stats.months):
        # The year under the first month and under every January.
        year = (
            date_format(each.month, "Y") if index == 0 or each.month.month == 1 else ""
        )
        columns.append(Column(date_format(each.month, "M"), year, each.count))
    first, last = stats.months[0].month, stats.months[-1].month
    return column_chart(
        chart_id="chart-months",
        title=_("Signups per month"),
        description=_(
            "Columns: the signups submitted in each month from %(first)s to "
            "%(last)s, %(total)s in all. The table below has the same numbers."
        )
        % {
            "first": date_format(first, "YEAR_MONTH_FORMAT"),
            "last": date_format(last, "YEAR_MONTH_FORMAT"),
            "total": stats.signups_in_period,
        },
        series=Series(_("Signups"), "members"),
        columns=columns,
    )


class PrivacyRequestView(View):
    """A person's access or erasure request: find, then export or erase.

    Everything is posted, never put in a URL, so the address or number looked
    up ends up in no access log. The page shows what was found without the
    personal details themselves; the export file holds them. Each export and
    erasure is recorded as a PrivacyRequest (counts only).
    """

    template_name = "admin/privacy_requests.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_zone_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(PersonSearchForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action", "search")
        if action == "erase":
            return self.erase()
        form = PersonSearchForm(request.POST)
        if not form.is_valid():
            return self.page(form)
        query = self.query(form)
        if action == "export":
            try:
                record, export = privacy.export_person(query, by=request.user)
            except privacy.NothingFound:
                return self.page(form, nothing_found=True)
            return self.download(record, export)
        data = privacy.find_person(query, by=request.user)
        if data.is_empty:
            return self.page(form, nothing_found=True)
        return self.page(form, data=data, query=query, erasure_form=ErasureForm())

    def erase(self) -> HttpResponse:
        request = self.request
        form = ErasureForm(request.POST)
        search = PersonSearchForm(request.POST)
        if not search.is_valid():
            return self.page(search)
        query = self.query(search)
        if not form.is_valid():
            # Only the confirmation is missing: show the findings again.
            data = privacy.find_person(query, by=request.user)
            if data.is_empty:
                return self.page(search, nothing_found=True)
            return self.page(search, data=data, query=query, erasure_form=form)
        try:
            record = privacy.erase_person(query, by=request.user)
        except privacy.NothingFound:
            return self.page(search, nothing_found=True)
        messages.success(
            request,
            _(
                "Erased: %(signups)s signup(s) and %(mails)s e-mail(s). "
                "Privacy request #%(pk)s records it."
            )
            % {
                "signups": record.signup_count,
                "mails": record.mail_count,
                "pk": record.pk,
            },
        )
        if record.waiting_list_count:
            messages.success(
                request,
                ngettext(
                    "%(count)d entry on the waiting list for a group was deleted.",
                    "%(count)d entries on the waiting list for a group were deleted.",
                    record.waiting_list_count,
                )
                % {"count": record.waiting_list_count},
            )
        if record.coordinator_count or record.login_count:
            messages.warning(
                request,
                _(
                    "This person is also a coordinator or has a login: that was "
                    "not erased. Remove the coordinator in the coordinator table "
                    "and ask an administrator to delete the login."
                ),
            )
        return redirect("privacy-requests")

    @staticmethod
    def query(form: PersonSearchForm) -> privacy.PersonQuery:
        return privacy.PersonQuery(
            email=form.cleaned_data["email"], phone=form.cleaned_data["phone"] or None
        )

    def page(self, form, **context) -> TemplateResponse:
        query = context.get("query")
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                **admin.site.each_context(self.request),
                "title": _("Access and erasure requests"),
                "form": form,
                "searched_email": query.email if query else "",
                "searched_phone": query.phone.as_e164 if query and query.phone else "",
                **context,
            },
        )

    @staticmethod
    def download(record, export: dict) -> HttpResponse:
        response = HttpResponse(
            json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="gegevens-{record.pk}.json"'
        )
        # A file of one person's data stays out of every cache.
        response["Cache-Control"] = "no-store"
        return response
