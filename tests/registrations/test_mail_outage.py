"""A mail-server outage loses nothing, and no mail is ever sent twice.

A real SMTP server (aiosmtpd) listens on a loopback port of its own; the test
stops and starts it. Signups made while it is down are stored and answered as
usual; once it is back, the mail worker sends each confirmation exactly once,
with two workers at once as well (PostgreSQL: ``skip_locked`` row locks).
"""

import threading
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from post_office.models import STATUS, Email, Log

from groups.services import add_zone_staff
from registrations.models import Signup
from tests.auth import log_in
from tests.eloket import SENT_URL, SIGNUP_URL, eloket_form
from tests.factories import PoliceZoneFactory, UserFactory
from tests.smtp_sink import SmtpSink
from wabp_portal.health import health_report
from wabp_portal.mail import outbox
from wabp_portal.mail.models import UndeliveredMail
from wabp_portal.mail.queue import queue_mail

pytestmark = pytest.mark.django_db

SIGNUPS = 100
CONFIRMATION_SUBJECT = "Confirm your signup for the neighbourhood watch"


@pytest.fixture
def smtp_sink(settings):
    """The mail server the worker sends to; it starts stopped (an outage)."""
    sink = SmtpSink()
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
    }
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def sign_up_many(client, open_group, rules, settings) -> list[str]:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (10 * SIGNUPS, 3600)}
    addresses = [f"bewoner{index:03d}@example.be" for index in range(SIGNUPS)]
    for index, address in enumerate(addresses):
        response = client.post(
            SIGNUP_URL,
            eloket_form(open_group, rules, email=address, phone=f"0470 55 {index:04d}"),
        )
        assert response.status_code == 302, response.content[:500]
        assert response["Location"] == SENT_URL
    return addresses


def test_signups_during_an_outage_are_kept_and_each_mailed_once(
    client, open_group, rules, settings, smtp_sink
):
    addresses = sign_up_many(client, open_group, rules, settings)

    # The mail server is down: the worker tries, fails, and keeps every mail.
    down = outbox.send_all()

    assert Signup.objects.filter(email__in=addresses).count() == SIGNUPS
    assert down.sent == 0 and down.unreachable
    assert smtp_sink.received == []
    assert outbox.unsent().count() == SIGNUPS

    # Back an hour later: a worker round sends everything, once.
    smtp_sink.start()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        call_command("mail_worker", "--once")
        assert smtp_sink.recipients() == addresses
        assert {subject(message) for message in smtp_sink.received} == {
            gettext(CONFIRMATION_SUBJECT)
        }
        assert outbox.unsent().count() == 0

        # A second run finds nothing left to send.
        call_command("mail_worker", "--once")
    assert len(smtp_sink.received) == SIGNUPS


def test_mail_server_stopped_and_started_again_loses_nothing(
    client, open_group, rules, settings, smtp_sink
):
    smtp_sink.start()
    first = sign_up_many(client, open_group, rules, settings)[:50]
    Signup.objects.exclude(email__in=first).delete()
    Email.objects.exclude(to__in=first).delete()
    outbox.send_all()
    assert len(smtp_sink.received) == 50

    smtp_sink.stop()
    response = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, email="laat@example.be")
    )
    assert response["Location"] == SENT_URL
    assert outbox.send_all().unreachable

    smtp_sink.start()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        outbox.send_all()
    assert smtp_sink.recipients() == sorted([*first, "laat@example.be"])


def test_an_outage_costs_one_attempt_a_round_not_one_per_mail(
    client, open_group, rules, settings, smtp_sink
):
    sign_up_many(client, open_group, rules, settings)

    result = outbox.send_all()

    assert result.unreachable
    assert (result.claimed, result.requeued) == (1, 1)
    assert Email.objects.filter(number_of_retries=1).count() == 1
    assert Email.objects.exclude(number_of_retries=1).count() == SIGNUPS - 1
    assert Log.objects.count() == 1
    # The untried mails are left as they were, due for the next round.
    assert outbox.due().count() == SIGNUPS - 1
    assert not Email.objects.exclude(number_of_retries=1).filter(
        scheduled_time__isnull=False
    )


# --- retries back off, and a mail that keeps failing is shown to staff -------


@pytest.fixture
def queued(open_group) -> Email:
    queue_mail(
        to=["griet@example.be"],
        template="registrations/email/confirm_signup",
        context={"confirm_url": "https://example.be/x", "withdraw_url": ""},
        language="nl",
        zone=open_group.municipality.zone,
    )
    return Email.objects.get()


def delays_of(email: Email, rounds: int, smtp_sink) -> list[int]:
    """Run a worker round at each next due time; return the waits in seconds."""
    delays = []
    now = timezone.now()
    for _ in range(rounds):
        with time_machine.travel(now, tick=False):
            outbox.send_all()
        email.refresh_from_db()
        if email.status != STATUS.requeued:
            break
        delays.append(round((email.scheduled_time - now).total_seconds()))
        now = email.scheduled_time + timedelta(seconds=1)
    return delays


def test_retries_wait_longer_each_time_up_to_an_hour(queued, settings, smtp_sink):
    settings.MAIL_MAX_ATTEMPTS = 10

    delays = delays_of(queued, 9, smtp_sink)

    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    assert queued.status == STATUS.requeued
    assert queued.number_of_retries == 9


def test_a_mail_that_keeps_failing_is_given_up_and_shown_to_the_zone_staff(
    client, queued, open_group, settings, smtp_sink
):
    settings.MAIL_MAX_ATTEMPTS = 3
    delays = delays_of(queued, 5, smtp_sink)

    assert delays == [60, 120]
    queued.refresh_from_db()
    assert queued.status == STATUS.failed
    assert queued.logs.count() == 3
    assert health_report()["mail"]["failed"] == 1

    staff = UserFactory(password="een-lang-wachtwoord")
    add_zone_staff(open_group.municipality.zone, user=staff)
    log_in(client, staff.username, "een-lang-wachtwoord")
    index = client.get(reverse("admin:index")).content.decode()
    assert (
        ngettext(
            "%(counter)s mail could not be delivered",
            "%(counter)s mails could not be delivered",
            1,
        )
        % {"counter": 1}
        in index
    )
    changelist = reverse("admin:wabp_portal_undeliveredmail_changelist")
    assert f'href="{changelist}?state=given-up"' in index
    retrying = client.get(changelist, {"state": "retrying"})
    assert list(retrying.context["cl"].result_list) == []
    page = client.get(changelist, {"state": "given-up"})
    assert page.status_code == 200
    assert "griet@example.be" in page.content.decode()
    assert list(page.context["cl"].result_list) == [
        UndeliveredMail.objects.get(pk=queued.pk)
    ]

    # Fixed (the server is back): staff send it again, the worker delivers.
    response = client.post(
        changelist,
        {"action": "send_again", "_selected_action": [queued.pk]},
        follow=True,
    )
    assert response.status_code == 200
    queued.refresh_from_db()
    assert queued.status == STATUS.queued
    assert queued.number_of_retries == 0
    smtp_sink.start()
    assert outbox.send_all().sent == 1
    assert smtp_sink.recipients() == ["griet@example.be"]


def test_staff_of_another_zone_do_not_see_the_mail(client, queued):
    Email.objects.filter(pk=queued.pk).update(status=STATUS.failed)
    stranger = UserFactory(password="een-lang-wachtwoord")
    add_zone_staff(PoliceZoneFactory(), user=stranger)
    log_in(client, stranger.username, "een-lang-wachtwoord")

    page = client.get(reverse("admin:wabp_portal_undeliveredmail_changelist"))

    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == []
    assert "griet@example.be" not in page.content.decode()


def test_a_recipient_refused_for_good_is_not_retried(queued, settings):
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "tests.test_no_personal_data_in_logs.RefusingBackend"},
    }

    result = outbox.send_all()

    assert (result.failed, result.requeued) == (1, 0)
    queued.refresh_from_db()
    assert queued.status == STATUS.failed


# --- two workers at once (PostgreSQL) -----------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="skip_locked row locks need PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_workers_at_once_never_send_a_mail_twice(attempt, open_group, smtp_sink):
    zone = open_group.municipality.zone
    addresses = [f"lid{attempt}-{index:03d}@example.be" for index in range(SIGNUPS)]
    for address in addresses:
        queue_mail(
            to=[address],
            template="registrations/email/confirm_signup",
            context={"confirm_url": "https://example.be/x", "withdraw_url": ""},
            language="nl",
            zone=zone,
        )
    smtp_sink.start()
    smtp_sink.delay = 0.002
    barrier = threading.Barrier(2)
    sent: list[int] = [0, 0]

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            sent[index] = outbox.send_all().sent
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert smtp_sink.recipients() == addresses
    message_ids = {message["Message-ID"] for message in smtp_sink.received}
    assert len(message_ids) == SIGNUPS
    assert sum(sent) == SIGNUPS
    assert all(sent), f"one worker did all the work: {sent}"
    assert Email.objects.filter(status=STATUS.sent).count() == SIGNUPS
