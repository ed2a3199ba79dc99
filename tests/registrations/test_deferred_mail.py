"""The e-loket's mails are queued unrendered and rendered by the mail worker.

A signup stores the outbox row in its own transaction with what to render
(``wabp_portal.mail.queue``, ``render_later``); the worker renders it with
the same code just before sending. What a resident typed stays data.
"""

import logging
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from post_office.models import STATUS, Email, Log

from groups import services as group_services
from groups.models import RegionStreet
from registrations import notifications, services
from registrations.models import Signup
from tests.eloket import SENT_URL, SIGNUP_URL, eloket_form
from tests.factories import MunicipalityFactory, UserFactory, WhatsAppGroupFactory
from wabp_portal.mail import queue

pytestmark = pytest.mark.django_db

HOSTILE = "{% debug %}{{ settings.SECRET_KEY }}<script>alert(1)</script>"


def stored_mail() -> dict:
    """The one outbox row as stored (not as tests read it: see conftest)."""
    return Email.objects.values(
        "subject", "message", "html_message", "context", "status"
    ).get()


def sign_up(client: Client, open_group, rules, **overrides):
    response = client.post(SIGNUP_URL, eloket_form(open_group, rules, **overrides))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == SENT_URL
    return Signup.objects.get()


@pytest.mark.parametrize(
    ("second", "queries"),
    [
        # A partner at the same address: the address was located for the
        # first signup and is kept with the table.
        ({}, 6),
        # Another house: its street and the groups covering it are read.
        ({"house_number": "14"}, 8),
        # A street the municipality does not know: only looked for.
        ({"street_name": "Onbekende Dreef", "house_number": "3"}, 7),
    ],
    ids=["same address", "another house", "unknown street"],
)
def test_one_signup_post_costs_six_to_eight_queries(
    client, open_group, rules, django_assert_num_queries, second, queries
):
    # A first signup fills what is kept with the networks table for every
    # later one (the municipality with its zone, the zone's current house
    # rules, the chosen group, the address located) and the audit log's
    # content type.
    client.post(
        SIGNUP_URL,
        eloket_form(open_group, rules, phone="0470 55 99 99", email="a@example.be"),
    )
    # For another house: its street and the published groups covering it
    # (an unknown street: the street only); then in the signup's
    # transaction (a savepoint in the test's own): SAVEPOINT, INSERT … ON
    # CONFLICT the signup, its audit-log entry, its first status change, the
    # outbox row, RELEASE SAVEPOINT.
    with django_assert_num_queries(queries):
        client.post(SIGNUP_URL, eloket_form(open_group, rules, **second))

    assert Signup.objects.count() == 2
    assert Email.objects.count() == 2


def test_the_confirmation_mail_is_queued_unrendered(client, open_group, rules):
    signup = sign_up(client, open_group, rules)

    row = stored_mail()
    assert (row["subject"], row["message"], row["html_message"]) == ("", "", "")
    deferred = row["context"][queue.DEFERRED]
    assert deferred["template"] == "registrations/email/confirm_signup"
    assert deferred["context"]["signup"] == {
        queue.MODEL_KEY: "registrations.signup",
        "pk": signup.pk,
    }
    # No copy of what the resident typed: the signup is read when rendered.
    assert "Griet" not in str(row["context"])
    assert "Vanhoudt" not in str(row["context"])


def test_a_signup_rolled_back_leaves_no_mail(client, open_group, rules, monkeypatch):
    queued = notifications.send_confirmation_request

    def queue_then_fail(signup):
        queued(signup)
        assert Email.objects.exists()  # queued in the signup's transaction
        raise RuntimeError("the transaction fails after the mail was queued")

    monkeypatch.setattr(notifications, "send_confirmation_request", queue_then_fail)

    with pytest.raises(RuntimeError):
        client.post(SIGNUP_URL, eloket_form(open_group, rules))

    assert not Signup.objects.exists()
    assert not Email.objects.exists()


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_worker_renders_the_mail_in_the_residents_language_with_hostile_names(
    client, open_group, rules, deliver_mail, language
):
    signup = sign_up(
        Client(HTTP_ACCEPT_LANGUAGE=language),
        open_group,
        rules,
        first_name=HOSTILE,
        last_name="{{ settings }}",
    )
    assert signup.language == language

    [mail] = deliver_mail()

    with translation.override(language):
        button = gettext("Confirm my signup")
    html_body = mail.alternatives[0][0]
    assert button in html_body
    # The name is text, never a template: literal in the text part, escaped
    # in the HTML part, and nothing of the settings shows.
    assert HOSTILE in mail.body
    assert "&lt;script&gt;" in html_body
    assert "<script>" not in html_body
    assert "SECRET_KEY" in mail.body  # the literal text typed…
    assert str(client) not in mail.body
    from django.conf import settings

    assert settings.SECRET_KEY not in mail.body + html_body  # …never its value
    # The text is stored as it was sent, so a repeat sends the same.
    row = stored_mail()
    assert row["status"] == STATUS.sent
    assert row["context"] is None
    assert row["message"] == mail.body


def test_a_withdrawn_signups_deferred_mail_is_forgotten(
    client, open_group, rules, deliver_mail
):
    signup = sign_up(client, open_group, rules)

    services.withdraw_signup(signup)

    assert not Email.objects.exists()
    assert deliver_mail() == []


def test_a_deferred_mail_whose_signup_is_gone_is_given_up_unsent(
    client, open_group, rules, deliver_mail, caplog
):
    signup = sign_up(client, open_group, rules)
    # Deleted without its mail (as no service does): nothing is sent about it.
    Signup.objects.filter(pk=signup.pk).delete()

    with caplog.at_level(logging.INFO):
        assert deliver_mail() == []

    row = stored_mail()
    assert row["status"] == STATUS.failed
    assert Log.objects.get().exception_type == "NotRendered"
    assert "Griet" not in caplog.text
    assert "griet.vanhoudt" not in caplog.text
    assert "given up" in caplog.text


def test_the_outbox_admin_shows_a_mail_not_yet_rendered(client, open_group, rules):
    sign_up(client, open_group, rules)
    mail = Email.objects.get()
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))

    listed = admin.get(reverse("admin:post_office_email_changelist"))
    page = admin.get(reverse("admin:post_office_email_change", args=[mail.pk]))

    assert listed.status_code == HTTPStatus.OK
    assert gettext("(rendered when it is sent)") in listed.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "Griet" in page.content.decode()
    # Shown, not stored: the worker still renders it.
    assert queue.DEFERRED in stored_mail()["context"]


def test_resending_a_mail_not_yet_rendered_sends_it_rendered(
    client, open_group, rules, settings, mailoutbox
):
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
    }
    sign_up(client, open_group, rules)
    mail = Email.objects.get()
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))

    admin.post(reverse("admin:resend", args=[mail.pk]))

    [sent] = mailoutbox
    assert "Griet" in sent.body
    assert stored_mail()["context"] is None


def test_a_change_to_the_coverage_is_seen_by_the_next_signup(
    client, open_group, rules, street
):
    """The located address is kept with the networks table: a region that
    stops covering the street is seen at the next signup (outside_region)."""
    sign_up(client, open_group, rules, phone="0470 55 99 99", email="a@example.be")
    assert not Signup.objects.get().outside_region

    group_services.delete_region_streets(
        RegionStreet.objects.filter(region=open_group.region, street=street)
    )
    client.post(
        SIGNUP_URL,
        eloket_form(open_group, rules, phone="0470 55 88 88", email="b@example.be"),
    )

    assert Signup.objects.get(email="b@example.be").outside_region


def test_a_group_closed_after_it_was_kept_is_refused(client, open_group, rules):
    """The chosen group is kept with the networks table: closing it moves the
    table's version, and the next resident choosing it gets the form back."""
    sign_up(client, open_group, rules, phone="0470 55 99 99", email="a@example.be")
    open_group.is_public = False
    group_services.save_whatsapp_group(open_group)

    response = client.post(
        SIGNUP_URL,
        eloket_form(open_group, rules, phone="0470 55 88 88", email="b@example.be"),
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].has_error("group", "invalid_choice")
    assert Signup.objects.count() == 1


def test_a_group_of_another_municipality_is_refused(client, open_group, rules):
    other = WhatsAppGroupFactory(
        municipality=MunicipalityFactory(zone=open_group.municipality.zone)
    )

    response = client.post(
        SIGNUP_URL,
        eloket_form(open_group, rules, group=other.pk),
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].has_error("group", "invalid_choice")
    assert not Signup.objects.exists()
