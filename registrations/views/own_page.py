"""The resident's own page (mijn inschrijving).

Every mail to a resident links to it (notifications.my_signup_link): where
the signup stands, change the mobile number or the e-mail address, withdraw.
The link is the credential, bound to the signup's e-mail address: once that
changes, the links in the old mailbox stop working. Each page shows only
the signup of its link; a GET changes nothing, every change is a POST
(with its CSRF token) through a service.
"""

import logging
from http import HTTPStatus
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from wabp_portal import ratelimit
from wabp_portal.signed_links import InvalidLink

from .. import services
from ..constants import SignupStatus
from ..forms import (
    ChangeEmailForm,
    ChangePhoneForm,
)
from ..notifications import (
    MY_SIGNUP_SALT,
    my_signup_link,
)

logger = logging.getLogger(__name__)


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
