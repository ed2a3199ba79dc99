import logging
import re
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, FormView, TemplateView

from groups import network_cache
from groups.models import Download, Municipality, PoliceZone, WhatsAppGroup
from wabp_portal import ratelimit
from wabp_portal.signed_links import InvalidLink

from . import services
from .constants import SignupRole, SignupStatus
from .forms import (
    ChangeEmailForm,
    ChangePhoneForm,
    HouseRulesAcceptForm,
    SignupForm,
    WaitingListForm,
    as_pk,
)
from .models import HouseRules
from .notifications import (
    CONFIRM_SALT,
    MY_SIGNUP_SALT,
    REACCEPT_SALT,
    WITHDRAW_SALT,
    my_signup_link,
    withdrawal_link,
)

logger = logging.getLogger(__name__)


def _zone_from_data(data, initial: dict) -> PoliceZone | None:
    """The zone whose house rules apply: the chosen group's or municipality's."""
    for key, model in (("municipality", Municipality), ("group", WhatsAppGroup)):
        value = as_pk(data.get(key)) or as_pk(initial.get(key))
        if value:
            obj = (
                model.objects.select_related(
                    "zone" if model is Municipality else "municipality__zone"
                )
                .filter(pk=value)
                .first()
            )
            if obj is not None:
                return obj.zone if model is Municipality else obj.municipality.zone
    return _sole_zone_taking_signups()


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
    return render(
        request,
        "registrations/choose_municipality.html",
        {
            "title": title,
            "action": action,
            "keep": keep,
            "municipalities": municipalities,
        },
    )


def _sole_municipality() -> tuple[int, list[str]] | tuple[()]:
    """The id and postcodes of the only municipality, if there is only one."""
    municipalities = list(Municipality.objects.only("pk", "postcodes")[:2])
    if len(municipalities) != 1:
        return ()
    return municipalities[0].pk, municipalities[0].postcode_list


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
            for decision in (
                ratelimit.allow(request, "signup-form"),
                ratelimit.peek(request, "signup"),
            ):
                if not decision:
                    logger.warning("signup rate limit reached")
                    return ratelimit.too_many_requests(request, decision)
        zone = _zone_from_data(request.POST if submitted else {}, self.get_initial())
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
        self.current_rules = (
            HouseRules.objects.current().filter(zone=zone).first() if zone else None
        )
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
            data["municipality"], data["street_name"], data["house_number"]
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
            services.create_signup(
                services.SignupRequest(
                    role=data["role"],
                    group=data["group"]
                    if data["role"] == SignupRole.PARTICIPANT
                    else None,
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
            )
        except services.HouseRulesChanged:
            form.add_error(
                "accept_house_rules",
                _("These house rules do not apply to the municipality you chose."),
            )
            return self.form_invalid(form)
        except services.GroupNotOpen:
            form.add_error("group", _("This group does not take new signups."))
            return self.form_invalid(form)
        # Counted once the signup is stored, or answered by mail as a
        # duplicate: each sends a mail.
        ratelimit.allow(self.request, "signup")
        sent = reverse("registrations:signup-sent")
        if data["role"] == SignupRole.COORDINATOR:
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
            "reaccept_days": HouseRulesAcceptView.max_age.days,
        },
        status=HTTPStatus.BAD_REQUEST,
    )


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


class HouseRulesView(DetailView):
    """The current house rules (or an older version), with the downloads."""

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


class PrivacyView(TemplateView):
    template_name = "registrations/privacy.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            zones=PoliceZone.objects.order_by("name"),
            unconfirmed_days=settings.UNCONFIRMED_RETENTION_DAYS,
            closed_days=settings.CLOSED_RETENTION_DAYS,
            left_days=settings.LEFT_RETENTION_DAYS,
            waiting_list_notified_days=settings.WAITING_LIST_NOTIFIED_RETENTION_DAYS,
            waiting_list_max_age_days=settings.WAITING_LIST_MAX_AGE_DAYS,
        )
        return context


class HouseRulesAcceptView(FormView):
    """The signed link in the "new house rules" mail: read, tick, accept."""

    template_name = "registrations/house_rules_accept.html"
    form_class = HouseRulesAcceptForm
    max_age = timedelta(days=90)

    def dispatch(self, request, *args, **kwargs):
        try:
            self.signup = services.signup_from_link(
                kwargs["token"], salt=REACCEPT_SALT, max_age=self.max_age
            )
        except InvalidLink as error:
            return invalid_link(request, str(error), kind=HOUSE_RULES_LINK)
        if self.signup.status not in services.house_rules.REACCEPTING_STATUSES:
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


# --- the waiting list for a group ----------------------------------------------


class WaitingListView(FormView):
    """The waiting list for a group: the form, and a POST that stores.

    The page after a valid POST is the same whether the address was new on
    the list or already on it (services.waiting_list): nobody learns from
    it who waits for a group. Nothing is put in a URL but the municipality.
    """

    template_name = "registrations/waiting_list_form.html"
    form_class = WaitingListForm

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Every sent form counts towards a generous limit that stops a
        # script; only forms that send a mail count towards the other.
        for decision in (
            ratelimit.allow(request, "waiting-list-form"),
            ratelimit.peek(request, "waiting-list"),
        ):
            if not decision:
                logger.warning("waiting list rate limit reached")
                return ratelimit.too_many_requests(request, decision)
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict:
        municipality = as_pk(self.request.GET.get("gemeente"))
        if not municipality and (
            sole := network_cache.cached("sole-municipality", _sole_municipality)
        ):
            # One municipality: nothing to choose.
            municipality = sole[0]
        return {"municipality": municipality} if municipality else {}

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            max_age_days=settings.WAITING_LIST_MAX_AGE_DAYS, **kwargs
        )

    def form_valid(self, form: WaitingListForm) -> HttpResponse:
        if form.is_bot:
            logger.info("waiting list honeypot filled, nothing stored")
            return redirect("registrations:waiting-list-sent")
        data = form.cleaned_data
        try:
            services.join_waiting_list(
                services.WaitingListRequest(
                    municipality=data["municipality"],
                    street_name=data["street_name"],
                    house_number=data["house_number"],
                    email=data["email"],
                    language=get_language() or "nl",
                )
            )
        except services.StreetHasGroup as covered:
            # Good news rather than a list to wait on: the group, to join.
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    covering_groups=covered.groups,
                    covered_street=covered.street_name,
                )
            )
        except ValidationError as error:
            # What the form lets through, the model refuses only by mistake:
            # a clear message all the same, never a 500.
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        # Counted once a mail is queued (a confirmation, or a reminder).
        ratelimit.allow(self.request, "waiting-list")
        return redirect("registrations:waiting-list-sent")


@method_decorator(csrf_exempt, name="dispatch")
class WaitingListFromFinderView(WaitingListView):
    """The waiting-list form as the finder's "no group yet" opens it, filled in.

    Posted, like the finder's signup buttons, so that the street and number
    stay out of the URL (SignupFromFinderView); nothing is stored here, and
    the form sends itself to the waiting list's own address, with its CSRF
    token.
    """

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Reloaded or bookmarked: the address went with the POST.
        return redirect("registrations:waiting-list")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render_to_response(self.get_context_data())

    def get_initial(self) -> dict:
        params = self.request.POST
        initial = super().get_initial()
        if municipality := as_pk(params.get("gemeente")):
            initial["municipality"] = municipality
        if params.get("straat"):
            initial["street_name"] = params["straat"][:150]
        if params.get("nummer"):
            initial["house_number"] = params["nummer"][:8]
        return initial

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        # Shown as a fresh form, not checked: it starts from ``get_initial()``.
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        return kwargs


class WaitingListSentView(TemplateView):
    template_name = "registrations/waiting_list_sent.html"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            hours=settings.SIGNUP_CONFIRMATION_HOURS,
            max_age_days=settings.WAITING_LIST_MAX_AGE_DAYS,
            **kwargs,
        )


def waiting_list_link_invalid(request: HttpRequest, reason: str) -> HttpResponse:
    """A clear page for a waiting-list link that is tampered with, expired or used."""
    return render(
        request,
        "registrations/waiting_list_link_invalid.html",
        {"reason": reason, "hours": settings.SIGNUP_CONFIRMATION_HOURS},
        status=HTTPStatus.BAD_REQUEST,
    )


class WaitingListConfirmView(TemplateView):
    """The confirmation link in the mail: a page that asks, a POST that confirms."""

    template_name = "registrations/waiting_list_confirm.html"

    def dispatch(self, request: HttpRequest, *args, token: str, **kwargs):
        try:
            self.entry = services.waiting_list.entry_from_confirmation_link(token)
        except InvalidLink as error:
            return waiting_list_link_invalid(request, str(error))
        if self.entry.confirmed_at is not None:
            return self.confirmed(self.entry, just_confirmed=False)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_to_response({"entry": self.entry})

    def post(self, request: HttpRequest) -> HttpResponse:
        entry, just_confirmed = services.confirm_waiting_list_entry(self.entry)
        return self.confirmed(entry, just_confirmed=just_confirmed)

    def confirmed(self, entry, *, just_confirmed: bool) -> HttpResponse:
        return render(
            self.request,
            "registrations/waiting_list_confirmed.html",
            {
                "entry": entry,
                "just_confirmed": just_confirmed,
                "max_age_days": settings.WAITING_LIST_MAX_AGE_DAYS,
            },
        )


class WaitingListLeaveView(TemplateView):
    """The link in every waiting-list mail: a page that asks, a POST that deletes."""

    template_name = "registrations/waiting_list_leave.html"

    def dispatch(self, request: HttpRequest, *args, token: str, **kwargs):
        try:
            self.entry = services.waiting_list.entry_from_leave_link(token)
        except InvalidLink as error:
            return waiting_list_link_invalid(request, str(error))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_to_response({"entry": self.entry})

    def post(self, request: HttpRequest) -> HttpResponse:
        services.leave_waiting_list(self.entry)
        return redirect("registrations:waiting-list-left")


class WaitingListLeftView(TemplateView):
    template_name = "registrations/waiting_list_left.html"


# --- The resident's own page (mijn inschrijving) ------------------------------
# Every mail to a resident links to it (notifications.my_signup_link): where
# the signup stands, change the mobile number or the e-mail address, withdraw.
# The link is the credential, bound to the signup's e-mail address: once that
# changes, the links in the old mailbox stop working. Each page shows only
# the signup of its link; a GET changes nothing, every change is a POST
# (with its CSRF token) through a service.


def own_link_invalid(request: HttpRequest, reason: str, *, advice: str) -> HttpResponse:
    """A link of a resident's own page that opens nothing: why, and what to do."""
    return render(
        request,
        "registrations/my_signup_link_invalid.html",
        {"reason": reason, "advice": advice},
        status=HTTPStatus.BAD_REQUEST,
    )


class MySignupMixin:
    """Opens the signup of the link in the URL, or says why it cannot."""

    def dispatch(self, request: HttpRequest, *args, token: str, **kwargs):
        try:
            signup = services.signup_from_link(token, salt=MY_SIGNUP_SALT, max_age=None)
        except InvalidLink as error:
            return own_link_invalid(
                request,
                str(error),
                advice=_(
                    "Nothing was changed. Every e-mail we send you about your "
                    "signup has a link to this page."
                ),
            )
        self.signup = signup
        self.token = token
        if signup.status == SignupStatus.WITHDRAWN or signup.erased_at:
            return self.ended()
        return super().dispatch(request, *args, **kwargs)

    def ended(self) -> HttpResponse:
        """A withdrawn or erased signup: its page says so, nothing more."""
        return render(
            self.request, "registrations/my_signup.html", {"signup": self.signup}
        )

    def page_url(self) -> str:
        return reverse("registrations:my-signup", kwargs={"token": self.token})

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(signup=self.signup, page_url=self.page_url())
        return context


class MySignupView(MySignupMixin, TemplateView):
    """Where the signup stands, the details it holds, and what can be done."""

    template_name = "registrations/my_signup.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["confirmation_hours"] = settings.SIGNUP_CONFIRMATION_HOURS
        if self.signup.details_changeable:
            context.update(
                phone_url=reverse(
                    "registrations:my-signup-phone", kwargs={"token": self.token}
                ),
                email_url=reverse(
                    "registrations:my-signup-email", kwargs={"token": self.token}
                ),
            )
        context["withdraw_url"] = reverse(
            "registrations:my-signup-withdraw", kwargs={"token": self.token}
        )
        return context


class MySignupChangeView(MySignupMixin, FormView):
    """A form that changes one detail; only while details may be changed."""

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if request.method == "POST":
            decision = ratelimit.allow(request, "own-details")
            if not decision:
                logger.warning("own details rate limit reached")
                return ratelimit.too_many_requests(request, decision)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.signup.details_changeable:
            return redirect(self.page_url())
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.signup.details_changeable:
            return self.not_changeable()
        return super().post(request, *args, **kwargs)

    def not_changeable(self) -> HttpResponse:
        messages.info(
            self.request,
            _("Nothing changed: your details can no longer be changed here."),
        )
        return redirect(self.page_url())


class MySignupPhoneView(MySignupChangeView):
    template_name = "registrations/my_signup_phone.html"
    form_class = ChangePhoneForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "current": self.signup.phone}

    def form_valid(self, form: ChangePhoneForm) -> HttpResponse:
        try:
            services.change_phone(self.signup, phone=form.cleaned_data["phone"])
        except services.PhoneTaken:
            form.add_error(
                "phone",
                _(
                    "Another signup for this group already has this mobile "
                    "number. Each person signs up with their own number."
                ),
            )
            return self.form_invalid(form)
        except services.DetailsNotChangeable:
            return self.not_changeable()
        messages.success(self.request, _("Your mobile number is changed."))
        return redirect(self.page_url())


class MySignupEmailView(MySignupChangeView):
    template_name = "registrations/my_signup_email.html"
    form_class = ChangeEmailForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "current": self.signup.email}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["confirmation_hours"] = settings.SIGNUP_CONFIRMATION_HOURS
        return context

    def form_valid(self, form: ChangeEmailForm) -> HttpResponse:
        try:
            services.request_email_change(self.signup, email=form.cleaned_data["email"])
        except services.DetailsNotChangeable:
            return self.not_changeable()
        messages.success(
            self.request,
            _(
                "We sent a link to your new e-mail address. Open it to use "
                "the new address; until then we keep writing to this one."
            ),
        )
        return redirect(self.page_url())


class MySignupWithdrawView(MySignupMixin, TemplateView):
    """Withdraw from the resident's page: a page that asks, a POST that erases."""

    template_name = "registrations/signup_withdraw.html"

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "cancel_url": self.page_url()}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            services.withdraw_signup(self.signup)
        except services.InvalidTransition:
            messages.info(
                request, _("Your membership had already ended; nothing changed.")
            )
        return redirect(reverse("registrations:signup-withdrawn"))


class EmailChangeConfirmView(TemplateView):
    """The link mailed to a new address: a page that asks, a POST that uses it."""

    template_name = "registrations/my_signup_email_confirm.html"

    def dispatch(self, request: HttpRequest, *args, token: str, **kwargs):
        try:
            signup = services.signup_from_email_change_link(token)
        except InvalidLink as error:
            return own_link_invalid(request, str(error), advice=self.advice())
        if signup.status == SignupStatus.WITHDRAWN or signup.erased_at:
            return own_link_invalid(
                request,
                _("This signup was withdrawn."),
                advice=_("Nothing was changed."),
            )
        if not signup.details_changeable:
            return own_link_invalid(
                request,
                _("Your signup has ended: there is nothing to change."),
                advice=_("Nothing was changed."),
            )
        self.signup = signup
        return super().dispatch(request, *args, **kwargs)

    def advice(self) -> str:
        return _(
            "Nothing was changed: your signup keeps the e-mail address it had. "
            "You can ask for the change again on your signup's page."
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_to_response({"signup": self.signup})

    def post(self, request: HttpRequest) -> HttpResponse:
        decision = ratelimit.allow(request, "own-details")
        if not decision:
            logger.warning("own details rate limit reached")
            return ratelimit.too_many_requests(request, decision)
        try:
            signup = services.apply_email_change(
                self.signup, email=self.signup.pending_email
            )
        except (services.EmailChangeSuperseded, services.DetailsNotChangeable):
            return own_link_invalid(
                request, _("This link is no longer valid."), advice=self.advice()
            )
        messages.success(
            request,
            _("Your e-mail address is changed. From now on we write to this one."),
        )
        return redirect(urlsplit(my_signup_link(signup)).path)
