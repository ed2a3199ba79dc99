"""The yearly question "do you still live here?": the page its mail links to.

Opening the link only shows the question and its two buttons (mail scanners
open every link); the answer is the POST of one of them
(``services.answer_reconfirmation``).
"""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from wabp_portal.signed_links import InvalidLink

from .. import services
from ..constants import ReconfirmationAnswer, SignupStatus
from ..models import Reconfirmation
from ..notifications import my_signup_link, withdrawal_link

QUESTION = "registrations/reconfirm.html"
DONE = "registrations/reconfirm_done.html"
CANNOT = "registrations/reconfirm_invalid.html"


def _cannot(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, CANNOT, {"reason": reason}, status=HTTPStatus.BAD_REQUEST)


def _ended(request: HttpRequest) -> HttpResponse:
    return _cannot(
        request, _("Your membership has already ended; there is nothing to answer.")
    )


def _done(
    request: HttpRequest, question: Reconfirmation, *, already: bool
) -> HttpResponse:
    signup = question.signup
    return render(
        request,
        DONE,
        {
            "question": question,
            "signup": signup,
            "moved": question.answer == ReconfirmationAnswer.MOVED,
            "already": already,
            "my_signup_url": my_signup_link(signup)
            if signup.status == SignupStatus.APPROVED
            else "",
        },
    )


class ReconfirmView(View):
    """GET shows the question and the two answers; POST records one."""

    def _question(self, token: str) -> Reconfirmation:
        return services.reconfirmation_from_link(token)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            question = self._question(token)
        except InvalidLink as error:
            return _cannot(request, str(error))
        if question.answered_at is not None:
            return _done(request, question, already=True)
        if question.signup.status != SignupStatus.APPROVED:
            return _ended(request)
        return self._page(request, question)

    def _page(
        self, request: HttpRequest, question: Reconfirmation, *, error: str = ""
    ) -> HttpResponse:
        return render(
            request,
            QUESTION,
            {
                "question": question,
                "signup": question.signup,
                "still_here": ReconfirmationAnswer.STILL_HERE,
                "moved": ReconfirmationAnswer.MOVED,
                "error": error,
                "withdraw_url": withdrawal_link(question.signup),
            },
            status=HTTPStatus.BAD_REQUEST if error else HTTPStatus.OK,
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            question = self._question(token)
        except InvalidLink as error:
            return _cannot(request, str(error))
        answer = request.POST.get("answer", "")
        if answer not in ReconfirmationAnswer.values:
            if question.answered_at is not None:
                return _done(request, question, already=True)
            return self._page(request, question, error=_("Choose one of the answers."))
        try:
            question = services.answer_reconfirmation(question, answer=answer)
        except services.AlreadyAnswered as refused:
            return _done(request, refused.question, already=True)
        except services.InvalidTransition:
            return _ended(request)
        return _done(request, question, already=False)
