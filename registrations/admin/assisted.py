"""Police-zone staff enter a signup for a resident who called or came to the
desk (``services.assisted``): the e-loket's form and checks, the zone's groups
only, the consent recorded as given to the member of staff; then a page with
what happens next, the printable letter, and the button that records the
signed letter.

Only staff of a zone (and superusers) open these pages; a signup of another
zone is a 404, as a missing one.
"""

import logging
from dataclasses import replace

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from groups.models import PoliceZone, is_zone_staff

from .. import services
from ..constants import ConfirmBy, SignupRole, SignupStatus
from ..forms import AssistedSignupForm, as_pk
from ..models import HouseRules, Signup
from ..views.signups import SignupView

logger = logging.getLogger(__name__)

ZONE_PARAMETER = "zone"


def _staff_signup(request: HttpRequest, pk: int) -> Signup:
    """A signup entered by staff, of a zone the user is staff of; 404 otherwise."""
    if not is_zone_staff(request.user):
        raise PermissionDenied
    signup = get_object_or_404(
        Signup.objects.visible_to(request.user)
        .exclude(consent_channel="")
        .select_related(
            "municipality__zone", "group", "house_rules", "consent_recorded_by"
        ),
        pk=pk,
    )
    if not services.may_enter_for(request.user, signup.municipality.zone_id):
        raise Http404
    return signup


class AssistedSignupView(SignupView):
    """Inschrijving invoeren voor een bewoner: the e-loket, filled in by staff."""

    template_name = "admin/registrations/assisted_signup.html"
    form_class = AssistedSignupForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_zone_staff(request.user):
            raise PermissionDenied
        zones = list(PoliceZone.objects.visible_to(request.user).order_by("name"))
        chosen = as_pk(
            request.POST.get(ZONE_PARAMETER) or request.GET.get(ZONE_PARAMETER)
        )
        if chosen:
            matches = [zone for zone in zones if zone.pk == chosen]
            if not matches:
                # Another zone's is as unknown as a mistyped one.
                raise Http404
            self.zone = matches[0]
        elif len(zones) == 1:
            self.zone = zones[0]
        else:
            return self.page({"zones": zones})
        self.current_rules = HouseRules.objects.current().filter(zone=self.zone).first()
        if self.current_rules is None:
            return self.page({"no_house_rules": True})
        # The e-loket's own checks (rate limits, the zone from the address)
        # are the public's: staff skip them.
        return FormView.dispatch(self, request, *args, **kwargs)

    def page(self, context: dict) -> TemplateResponse:
        return TemplateResponse(
            self.request,
            self.template_name,
            {**self.base_context(), **context},
        )

    def base_context(self) -> dict:
        return {
            **admin.site.each_context(self.request),
            "title": _("Enter a signup for a resident"),
            "zone_parameter": ZONE_PARAMETER,
            "zone": getattr(self, "zone", None),
        }

    def initial_from_request(self) -> dict:
        return {}

    def get_initial(self) -> dict:
        initial = super().get_initial()
        municipalities = list(self.zone.municipalities.all()[:2])
        if len(municipalities) == 1:
            initial["municipality"] = municipalities[0].pk
            postcodes = municipalities[0].postcode_list
            if len(postcodes) == 1:
                initial["postcode"] = postcodes[0]
        return initial

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "zone": self.zone}

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), **self.base_context()}

    def signup_request(self, data: dict, address) -> services.SignupRequest:
        return replace(
            super().signup_request(data, address),
            language=data["language"],
            consent_channel=data["consent_channel"],
            confirm_by_letter=data["confirm_by"] == ConfirmBy.LETTER,
        )

    def create(self, request: services.SignupRequest) -> tuple[Signup, bool]:
        return services.enter_signup(request, by=self.request.user)

    def form_valid(self, form: AssistedSignupForm) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)

    def signed_up(self, form, signup: Signup, *, created: bool) -> HttpResponse:
        if not created:
            # The usual rule: one open signup per mobile number and group.
            # Staff see every signup of their zone, so the page may say so.
            form.add_error(
                None,
                _(
                    "This mobile number already has a signup for this group "
                    "(signup #%(pk)s, %(status)s). Nothing new was stored."
                )
                % {"pk": signup.pk, "status": signup.get_status_display()},
            )
            return self.form_invalid(form)
        messages.success(self.request, _("The signup is stored."))
        return redirect("assisted-signup-done", signup.pk)


class AssistedSignupDoneView(View):
    """What happens next with a signup staff entered; the signed letter."""

    template_name = "admin/registrations/assisted_signup_done.html"
    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(_staff_signup(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        signup = _staff_signup(request, pk)
        try:
            services.confirm_signed_letter(signup, by=request.user)
        except services.InvalidTransition:
            messages.info(request, _("This signup was already confirmed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "The signed letter is recorded: the signup now waits for a "
                    "decision, and the group's coordinators are told."
                ),
            )
        return redirect("assisted-signup-done", signup.pk)

    def page(self, signup: Signup) -> TemplateResponse:
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                **admin.site.each_context(self.request),
                "title": _("Signup entered for a resident"),
                "signup": signup,
                "waits_for_letter": signup.confirm_by_letter
                and signup.status == SignupStatus.UNCONFIRMED,
                "is_application": signup.role == SignupRole.COORDINATOR,
                "letter_days": settings.LETTER_CONFIRMATION_DAYS,
                "confirmation_hours": settings.SIGNUP_CONFIRMATION_HOURS,
            },
        )


class AssistedSignupLetterView(View):
    """The letter to print, in the resident's language: no JavaScript needed."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        signup = _staff_signup(request, pk)
        rules_url = settings.SITE_URL + reverse(
            "registrations:house-rules-version", kwargs={"pk": signup.house_rules_id}
        )
        with translation.override(signup.language):
            response = TemplateResponse(
                request,
                "admin/registrations/assisted_signup_letter.html",
                {
                    "signup": signup,
                    "zone": signup.municipality.zone,
                    "rules": signup.house_rules,
                    "rules_url": rules_url,
                    "reference": f"WABP-{signup.pk}",
                    "letter_days": settings.LETTER_CONFIRMATION_DAYS,
                    "LANGUAGE_CODE": signup.language,
                },
            )
            response.render()
        # A page with a resident's details stays out of every cache.
        response["Cache-Control"] = "no-store"
        return response
