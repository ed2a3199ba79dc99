"""A link that cannot be used says what to do for its own kind of link.

A broken withdrawal link once spoke of "the confirmation link… 48 hours":
each kind (confirmation, withdrawal, accepting new house rules, and a
meeting's answer in ``groups``) now has its own advice, in every language.
"""

import html
import re
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

import registrations.services
from groups.services import response_link
from registrations.constants import SignupStatus
from registrations.models import Signup
from registrations.notifications import (
    confirmation_link,
    reacceptance_link,
    withdrawal_link,
)
from registrations.services import HouseRulesChanged, InvalidTransition
from tests.factories import (
    CoordinatorFactory,
    MeetingFactory,
    MeetingInvitationFactory,
    SignupFactory,
)

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    body = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def path_of(url: str) -> str:
    return urlsplit(url).path


def tampered(url: str) -> str:
    path = path_of(url)
    return path[:-2] + ("A" if path[-2] != "A" else "B") + "/"


@pytest.fixture
def unconfirmed(open_group) -> Signup:
    return SignupFactory(
        group=open_group, status=SignupStatus.UNCONFIRMED, confirmed_at=None
    )


@pytest.fixture
def member(open_group) -> Signup:
    return SignupFactory(
        group=open_group, status=SignupStatus.APPROVED, decided_at=timezone.now()
    )


def test_an_expired_confirmation_link_says_how_long_one_works(client, unconfirmed):
    link = path_of(confirmation_link(unconfirmed))

    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        response = client.get(link)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert page_text(response) == (
        "Deze link kan niet gebruikt worden Deze link is verlopen. Er is niets "
        "gewijzigd. Een bevestigingslink werkt 48 uur en maar één keer. Schrijf "
        "je opnieuw in met het formulier: je krijgt een nieuwe link. Naar het "
        "inschrijvingsformulier"
    )
    assert reverse("registrations:signup") in response.content.decode()


def test_the_confirmation_advice_follows_the_setting(client, settings, unconfirmed):
    settings.SIGNUP_CONFIRMATION_HOURS = 1
    link = tampered(confirmation_link(unconfirmed))

    dutch = page_text(client.get(link))
    english = page_text(client.get(link, HTTP_ACCEPT_LANGUAGE="en"))

    assert "Een bevestigingslink werkt 1 uur en maar één keer." in dutch
    assert "A confirmation link works for 1 hour and only once." in english


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_broken_withdrawal_link_speaks_of_withdrawing(client, unconfirmed, method):
    response = getattr(client, method)(tampered(withdrawal_link(unconfirmed)))

    shown = page_text(response)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Deze link is niet geldig." in shown
    assert "Gebruik de uitschrijflink in de laatste e-mail die we je stuurden" in shown
    assert "nooit bevestigd werd, wissen we na 7 dagen" in shown
    assert "bevestigingslink" not in shown and "48" not in shown
    assert reverse("registrations:privacy") in response.content.decode()
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.UNCONFIRMED


def test_the_withdrawal_link_of_a_deleted_signup_speaks_of_withdrawing(
    client, unconfirmed
):
    link = path_of(withdrawal_link(unconfirmed))
    unconfirmed.delete()  # never confirmed: purged after 7 days

    response = client.get(link)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "nothing left to withdraw" in page_text(
        client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "48" not in page_text(response)


@pytest.mark.parametrize(
    ("language", "expected", "never"),
    [
        (
            "en",
            "Use the withdrawal link in the latest e-mail we sent you",
            "confirmation link",
        ),
        (
            "fr",
            "Utilisez le lien de désinscription du dernier e-mail",
            "lien de confirmation",
        ),
    ],
)
def test_the_withdrawal_advice_in_each_language(
    client, unconfirmed, language, expected, never
):
    response = client.get(
        tampered(withdrawal_link(unconfirmed)), HTTP_ACCEPT_LANGUAGE=language
    )

    assert expected in page_text(response)
    assert never not in page_text(response)


def test_an_expired_house_rules_link_speaks_of_house_rules(client, member):
    link = path_of(reacceptance_link(member))

    with time_machine.travel(timezone.now() + timedelta(days=91)):
        response = client.get(link)

    shown = page_text(response)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Deze link is verlopen." in shown
    assert (
        "Een link om een nieuw huishoudelijk reglement te aanvaarden werkt 90 "
        "dagen, en alleen zolang je ingeschreven bent." in shown
    )
    assert "bevestigingslink" not in shown and "48" not in shown
    assert reverse("registrations:house-rules") in response.content.decode()


def test_the_house_rules_link_of_an_ended_signup_says_so(client, member):
    member.status = SignupStatus.LEFT
    member.save()

    response = client.get(path_of(reacceptance_link(member)), HTTP_ACCEPT_LANGUAGE="en")

    shown = page_text(response)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Your signup has ended; nothing to accept." in shown
    assert "A link to accept new house rules works for 90 days" in shown


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            HouseRulesChanged(),
            "The house rules changed while you were reading. Read them again.",
        ),
        (
            InvalidTransition(SignupStatus.LEFT, "accept house rules"),
            "Your signup has ended; nothing to accept.",
        ),
    ],
    ids=["newer-rules", "ended"],
)
def test_accepting_in_a_race_says_what_happened(
    client, monkeypatch, member, rules, error, reason
):
    # Published, or the membership ended, between the page and the button.
    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(registrations.services, "accept_house_rules", refuse)

    response = client.post(
        path_of(reacceptance_link(member)),
        {"version": rules.pk, "accept": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    shown = page_text(response)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert reason in shown
    assert "A link to accept new house rules works for 90 days" in shown


def test_a_broken_meeting_link_speaks_of_the_invitation(client, zone):
    invitation = MeetingInvitationFactory(
        meeting=MeetingFactory(zone=zone),
        coordinator=CoordinatorFactory(zone=zone),
    )

    response = client.get(tampered(response_link(invitation)))

    shown = page_text(response)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "uitnodiging" in shown
    assert "bevestigingslink" not in shown and "48" not in shown
