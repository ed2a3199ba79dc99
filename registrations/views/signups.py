"""The e-loket: the signup form, its confirmation link and the withdrawal link."""

import logging
import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from groups import network_cache
from groups.models import WhatsAppGroup
from wabp_portal import ratelimit
from wabp_portal.signed_links import InvalidLink

from .. import services
from ..constants import SignupRole, SignupStatus
from ..forms import (
    SignupForm,
    as_pk,
)
from ..models import HouseRules, Signup
from ..notifications import (
    CONFIRM_SALT,
    WITHDRAW_SALT,
)
from .common import (
    CONFIRMATION_LINK,
    WITHDRAWAL_LINK,
    _choose_municipality,
    _sole_municipality,
    _zone_from_data,
    current_rules_of,
    invalid_link,
)

logger = logging.getLogger(__name__)


class SignupView(FormView):
    """The e-loket: sign up as participant of a group or coordinator of a new one."""

    template_name = "registrations/signup_form.html"
    form_class = SignupForm

    # Whether the address (street and house number) may be filled in from
    # ``prefill()``: never from a query string, which ends up in access logs
    # (SignupFromFinderView).
    prefills_address = False

    def dispatch(self, request, *args, **kwargs):
        submitted = self.is_submitted()
        if submitted:
            # Every sent form counts towards a generous limit that stops a
            # script; only signups that send a mail count towards the signup
            # limit (a form sent back with a typo costs the resident nothing).
            decision = ratelimit.allow_sent_form(request, "signup-form", "signup")
            if not decision:
                logger.warning("signup rate limit reached")
                return ratelimit.too_many_requests(request, decision)
        # The municipality read here is the one the form checks: read once.
        self.found: dict = {}
        zone = _zone_from_data(
            request.POST if submitted else {}, self.get_initial(), found=self.found
        )
        if zone is None and HouseRules.objects.current().exists():
            # Several zones take signups: the resident's municipality decides.
            return _choose_municipality(
                request,
                title=_("Sign up (e-loket)"),
                action=reverse("registrations:signup"),
                keep={"rol": SignupRole.COORDINATOR}
                if self.get_initial().get("role") == SignupRole.COORDINATOR
                else {},
            )
        self.current_rules = current_rules_of(zone) if zone else None
        if self.current_rules is None:
            return render(request, "registrations/signup_closed.html")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        # Asked for twice per request (the zone, the form): worked out once.
        if not hasattr(self, "_initial"):
            self._initial = self.initial_from_request()
        return dict(self._initial)

    def is_submitted(self) -> bool:
        """Whether the request sends the form (rather than asks for it)."""
        return self.request.method == "POST"

    def prefill(self) -> QueryDict:
        """What the form starts with: a link's group, municipality and role."""
        return self.request.GET

    def initial_from_request(self) -> dict:
        params = self.prefill()
        initial: dict = {}
        group = as_pk(params.get("groep"))
        if group:
            initial["group"] = group
            initial["role"] = SignupRole.PARTICIPANT
        if params.get("rol") == SignupRole.COORDINATOR:
            initial["role"] = SignupRole.COORDINATOR
        if self.prefills_address:
            for param, field in (
                ("straat", "street_name"),
                ("nummer", "house_number"),
            ):
                if params.get(param):
                    initial[field] = params[param][:150]
            if re.fullmatch(r"[0-9]{4}", params.get("postcode", "")):
                initial["postcode"] = params["postcode"]
        municipality = as_pk(params.get("gemeente"))
        if group and not municipality:
            # A link to a group: its municipality, so its groups are offered.
            municipality = (
                WhatsAppGroup.objects.filter(pk=group)
                .values_list("municipality_id", flat=True)
                .first()
            )
        if municipality:
            initial["municipality"] = municipality
        sole = network_cache.cached("sole-municipality", _sole_municipality)
        if sole:
            # One municipality with one postcode: nothing left to type.
            pk, postcodes = sole
            initial.setdefault("municipality", pk)
            if len(postcodes) == 1:
                initial.setdefault("postcode", postcodes[0])
        return initial

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["current_rules"] = self.current_rules
        # (A view that skips this dispatch, staff's, read none.)
        kwargs["municipality"] = getattr(self, "found", {}).get("municipality")
        kwargs["initial"]["house_rules"] = self.current_rules.pk
        if "data" in kwargs and "switch_group" in kwargs["data"]:
            # The resident chose the group that covers their address.
            data = kwargs["data"].copy()
            data["group"] = data["switch_group"]
            data["role"] = SignupRole.PARTICIPANT
            data["proposed_group_name"] = data["proposed_area"] = ""
            data["keep_group"] = "on"
            kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["house_rules"] = self.current_rules
        if context["form"].needs_municipality:
            context["municipalities"] = context["form"].fields["municipality"].queryset
        return context

    def form_valid(self, form: SignupForm) -> HttpResponse:
        if form.is_bot:
            logger.info("signup honeypot filled, nothing stored")
            return redirect("registrations:signup-sent")
        data = form.cleaned_data
        # Looked up once: for the suggestion here, for the signup's street and
        # "outside the region" in the service.
        address = services.locate_address(
            data["municipality"],
            data["street_name"],
            data["house_number"],
            data["postcode"],
        )
        covering = list(address.groups)
        if not data["keep_group"] and covering:
            if data["role"] == SignupRole.COORDINATOR:
                # A group already covers the applicant's address: offer to
                # join it instead of starting another one.
                return self.ask_again(form, covering_groups=covering)
            if data["group"] not in covering:
                return self.ask_again(form, suggested_groups=covering)
        try:
            signup, created = self.create(self.signup_request(data, address))
        except services.HouseRulesChanged:
            form.add_error(
                "accept_house_rules",
                _("These house rules do not apply to the municipality you chose."),
            )
            return self.form_invalid(form)
        except services.GroupNotOpen:
            form.add_error("group", _("This group does not take new signups."))
            return self.form_invalid(form)
        return self.signed_up(form, signup, created=created)

    def signup_request(
        self, data: dict, address: services.Address
    ) -> services.SignupRequest:
        return services.SignupRequest(
            role=data["role"],
            group=data["group"] if data["role"] == SignupRole.PARTICIPANT else None,
            municipality=data["municipality"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            street_name=data["street_name"],
            house_number=data["house_number"],
            box=data["box"],
            postcode=data["postcode"],
            phone=data["phone"],
            email=data["email"],
            house_rules=data["house_rules"],
            language=get_language() or "nl",
            proposed_group_name=data["proposed_group_name"],
            proposed_area=data["proposed_area"],
            address=address,
        )

    def create(self, request: services.SignupRequest) -> tuple[Signup, bool]:
        return services.create_signup(request)

    def signed_up(self, form: SignupForm, signup: Signup, *, created: bool):
        """The same page whether the signup is new or a duplicate (no enumeration)."""
        # Counted once the signup is stored, or answered by mail as a
        # duplicate: each sends a mail.
        ratelimit.allow(self.request, "signup")
        sent = reverse("registrations:signup-sent")
        if form.cleaned_data["role"] == SignupRole.COORDINATOR:
            sent += "?" + urlencode({"rol": SignupRole.COORDINATOR})
        return redirect(sent)

    def ask_again(self, form: SignupForm, **context) -> HttpResponse:
        """The form once more, with a question; sent again, it keeps the choice."""
        form.data = form.data.copy()
        form.data["keep_group"] = "on"
        return self.render_to_response(self.get_context_data(form=form, **context))


@method_decorator(csrf_exempt, name="dispatch")
class SignupFromFinderView(SignupView):
    """The e-loket as the finder's buttons open it: group, street and number filled.

    The finder posts them here rather than putting them in a link, so that
    no address ends up in a URL (groups.views.FinderView). Nothing is stored
    and nothing counts towards the signup limit: the form is shown unsent,
    and sends itself to the e-loket's own address, with its CSRF token.

    Without a CSRF token here: a forged request can only show someone the
    form filled in, as any link to ``/aanmelden/?groep=…`` can, and the
    finder's results page stays without a cookie.
    """

    prefills_address = True

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Reloaded or bookmarked: the address went with the POST.
        return redirect("registrations:signup")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render_to_response(self.get_context_data())

    def is_submitted(self) -> bool:
        return False

    def prefill(self) -> QueryDict:
        return self.request.POST

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        # Shown as a fresh form, not checked: it starts from ``prefill()``.
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        return kwargs


# The kinds of link a resident is mailed; each broken one gets its own advice
# (templates/registrations/link_invalid.html).


class SignupSentView(TemplateView):
    """What happens next: for a participant, or for an applicant (``?rol=``)."""

    template_name = "registrations/signup_sent.html"

    def get_context_data(self, **kwargs) -> dict:
        applicant = self.request.GET.get("rol") == SignupRole.COORDINATOR
        return super().get_context_data(applicant=applicant, **kwargs)


class SignupConfirmView(TemplateView):
    """The confirmation link in the e-mail: a page that asks, a POST that confirms.

    Mail scanners and link previews open every link in a mail; a GET that
    confirmed would confirm signups nobody looked at (the same holds for the
    withdrawal link and the meeting answers).
    """

    template_name = "registrations/signup_confirm.html"

    def dispatch(self, request: HttpRequest, *args, token: str, **kwargs):
        """Only an unconfirmed signup's valid link reaches ``get`` or ``post``."""
        try:
            signup = services.signup_from_link(
                token, salt=CONFIRM_SALT, max_age=services.confirmation_max_age()
            )
        except InvalidLink as error:
            return invalid_link(request, str(error), kind=CONFIRMATION_LINK)
        if signup.status == SignupStatus.WITHDRAWN:
            return invalid_link(
                request, _("This signup was withdrawn."), kind=CONFIRMATION_LINK
            )
        if signup.status != SignupStatus.UNCONFIRMED:
            return self.confirmed(signup, just_confirmed=False)
        self.signup = signup
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_to_response({"signup": self.signup})

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            signup = services.confirm_signup(self.signup)
        except services.InvalidTransition:
            # Confirmed in another tab meanwhile.
            self.signup.refresh_from_db()
            return self.confirmed(self.signup, just_confirmed=False)
        return self.confirmed(signup, just_confirmed=True)

    def confirmed(self, signup, *, just_confirmed: bool) -> HttpResponse:
        return render(
            self.request,
            "registrations/signup_confirmed.html",
            {"signup": signup, "just_confirmed": just_confirmed},
        )


class SignupWithdrawView(TemplateView):
    """The signed link in every e-mail: a page that asks, a POST that erases."""

    template_name = "registrations/signup_withdraw.html"

    def get_signup(self, token: str):
        return services.signup_from_link(token, salt=WITHDRAW_SALT, max_age=None)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            signup = self.get_signup(token)
        except InvalidLink as error:
            return invalid_link(request, str(error), kind=WITHDRAWAL_LINK)
        if signup.status == SignupStatus.WITHDRAWN:
            return render(request, "registrations/signup_withdrawn.html")
        return self.render_to_response({"signup": signup})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            signup = self.get_signup(token)
        except InvalidLink as error:
            return invalid_link(request, str(error), kind=WITHDRAWAL_LINK)
        if signup.status != SignupStatus.WITHDRAWN:
            try:
                services.withdraw_signup(signup)
            except services.InvalidTransition:
                messages.info(
                    request, _("Your membership had already ended; nothing changed.")
                )
        return redirect(reverse("registrations:signup-withdrawn"))


class SignupWithdrawnView(TemplateView):
    template_name = "registrations/signup_withdrawn.html"
