"""The waiting list for a group: "tell me when my street gets a group"."""

import logging
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from groups import network_cache
from wabp_portal import ratelimit
from wabp_portal.signed_links import InvalidLink

from .. import services
from ..forms import (
    WaitingListForm,
    as_pk,
)
from .common import (
    _sole_municipality,
)

logger = logging.getLogger(__name__)


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
        decision = ratelimit.allow_sent_form(
            request, "waiting-list-form", "waiting-list"
        )
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
