"""The house rules: each zone's current version, earlier ones, accepting new ones."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView

from groups.models import Download, Municipality, PoliceZone
from groups.views import SharedPageMixin
from wabp_portal.signed_links import InvalidLink

from .. import services
from ..forms import (
    HouseRulesAcceptForm,
    as_pk,
)
from ..models import HouseRules
from ..notifications import (
    REACCEPT_SALT,
    withdrawal_link,
)
from .common import (
    HOUSE_RULES_LINK,
    REACCEPT_MAX_AGE,
    _choose_municipality,
    _sole_zone_taking_signups,
    invalid_link,
)


class HouseRulesView(SharedPageMixin, DetailView):
    """The current house rules (or an older version), with the downloads.

    The same for every visitor: kept whole in the cache with the public
    pages (SharedPageMixin), and renewed with them whenever a version is
    published, corrected or deleted or a download changes
    (``network_cache.invalidate()`` in those services). Only a page that
    shows a version is kept, not the choice of a municipality.
    """

    template_name = "registrations/house_rules.html"
    context_object_name = "house_rules"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "pk" not in kwargs and self.zone() is None:
            if not HouseRules.objects.current().exists():
                raise Http404
            # Each zone has its own rules: the visitor's municipality decides.
            return _choose_municipality(
                request,
                title=_("House rules"),
                action=reverse("registrations:house-rules"),
                keep={},
            )
        return super().get(request, *args, **kwargs)

    def is_shared(self, request: HttpRequest) -> bool:
        return super().is_shared(request) and (
            "pk" in self.kwargs or self.zone() is not None
        )

    def zone(self) -> PoliceZone | int | None:
        """The zone asked for (``?zone=``, ``?gemeente=``), or the only one."""
        if not hasattr(self, "_zone"):
            self._zone = self._find_zone()
        return self._zone

    def _find_zone(self) -> PoliceZone | int | None:
        if zone := as_pk(self.request.GET.get("zone")):
            return zone
        if municipality := as_pk(self.request.GET.get("gemeente")):
            return (
                Municipality.objects.filter(pk=municipality)
                .values_list("zone_id", flat=True)
                .first()
            )
        return _sole_zone_taking_signups()

    def get_object(self, queryset=None) -> HouseRules:
        rules = HouseRules.objects.select_related("zone")
        if "pk" in self.kwargs:
            obj = rules.filter(pk=self.kwargs["pk"]).first()
        else:
            obj = rules.current().filter(zone=self.zone()).first()
        if obj is None:
            raise Http404
        return obj

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        rules = self.object
        context.update(
            paragraphs=[p.strip() for p in rules.body.split("\n\n") if p.strip()],
            versions=HouseRules.objects.filter(zone=rules.zone).only(
                "pk", "version", "published_at", "is_current"
            ),
            downloads=Download.objects.published().filter(zone=rules.zone),
        )
        return context


class HouseRulesAcceptView(FormView):
    """The signed link in the "new house rules" mail: read, tick, accept."""

    template_name = "registrations/house_rules_accept.html"
    form_class = HouseRulesAcceptForm
    max_age = REACCEPT_MAX_AGE

    def dispatch(self, request, *args, **kwargs):
        try:
            self.signup = services.signup_from_link(
                kwargs["token"], salt=REACCEPT_SALT, max_age=self.max_age
            )
        except InvalidLink as error:
            return invalid_link(request, str(error), kind=HOUSE_RULES_LINK)
        if self.signup.status not in services.house_rules.ACCEPTING_STATUSES:
            return invalid_link(
                request,
                _("Your signup has ended; nothing to accept."),
                kind=HOUSE_RULES_LINK,
            )
        self.rules = (
            HouseRules.objects.current()
            .filter(zone=self.signup.municipality.zone_id)
            .first()
        )
        if self.rules is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        return {"version": self.rules.pk}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            signup=self.signup,
            house_rules=self.rules,
            paragraphs=[p.strip() for p in self.rules.body.split("\n\n") if p.strip()],
            already_accepted=self.signup.house_rules_id == self.rules.pk,
            withdraw_url=withdrawal_link(self.signup),
        )
        return context

    def form_valid(self, form) -> HttpResponse:
        if form.cleaned_data["version"] != self.rules.pk:
            form.add_error(
                None,
                _("The house rules changed while you were reading. Read them again."),
            )
            form.data = {**form.data, "version": self.rules.pk}
            return self.form_invalid(form)
        try:
            services.accept_house_rules(self.signup, rules=self.rules)
        except services.HouseRulesChanged:
            reason = _(
                "The house rules changed while you were reading. Read them again."
            )
            return invalid_link(self.request, reason, kind=HOUSE_RULES_LINK)
        except services.InvalidTransition:
            reason = _("Your signup has ended; nothing to accept.")
            return invalid_link(self.request, reason, kind=HOUSE_RULES_LINK)
        return render(
            self.request,
            "registrations/house_rules_accepted.html",
            {"house_rules": self.rules},
        )
