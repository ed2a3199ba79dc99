"""The mail worker lives through every error, and a mail is never lost.

Unit level: the worker's loop (``wabp_portal.mail.worker``) runs in this process
on a clock of its own, so its pauses take no time. A database error in the
middle of a round is logged by its class name only and retried after a pause
that doubles; a mail the server accepted is marked sent even when the
database failed at that moment; a mail sent again after a worker died keeps
its Message-ID; and ``/healthz`` tells whether a worker is at work.
The database really cut under a worker process: tests/test_mail_worker_faults.py.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone
from post_office.models import STATUS, Email

from tests.conftest import LOCMEM_BACKEND
from wabp_portal.mail import outbox
from wabp_portal.mail.queue import queue_mail
from wabp_portal.mail.worker import MailWorker, pause_after
from wabp_portal.models import Heartbeat

pytestmark = pytest.mark.django_db

# A value a database error could quote (the row it failed on): never logged.
QUOTED_VALUE = "Vanhoudt"


@pytest.fixture
def delivered(settings, mailoutbox) -> list:
    """What the mail server accepted (Django's in-memory outbox)."""
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": LOCMEM_BACKEND},
    }
    return mailoutbox


def queue(zone, address: str = "griet.vanhoudt@example.be") -> Email:
    return queue_mail(
        to=[address],
        template="registrations/email/confirm_signup",
        context={"confirm_url": "https://example.be/x", "withdraw_url": ""},
        language="nl",
        zone=zone,
    )


class Clock:
    """The worker's clock and sleep: sleeping moves the time on, at once."""

    def __init__(self, worker_done, *, limit: float = 3600) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self.worker: MailWorker | None = None
        self.worker_done = worker_done
        self.limit = limit

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        if self.worker_done() or self.now > self.limit:
            self.worker.stop()


def run_worker_until(done, *, interval: float = 5.0) -> tuple[MailWorker, Clock]:
    """Run a worker in this process until ``done()``; at most an hour of its time."""
    clock = Clock(done)
    worker = MailWorker(interval=interval, sleep=clock.sleep, clock=clock.monotonic)
    clock.worker = worker
    worker.run()
    assert done(), f"the worker gave up after {clock.now} s of its time"
    return worker, clock


def failing_at_first(real, error: Exception, times: int):
    """``real``, which raises ``error`` the first ``times`` calls."""
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise error
        return real(*args, **kwargs)

    return flaky


def test_pauses_after_failed_rounds_double_from_one_second_to_a_minute():
    pauses = [pause_after(failures) for failures in range(1, 10)]

    assert pauses == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_an_operational_error_in_claim_is_logged_and_retried_not_raised(
    zone, delivered, monkeypatch, caplog
):
    email = queue(zone)
    cut = OperationalError(f"server closed the connection; row ({QUOTED_VALUE})")
    monkeypatch.setattr(outbox, "claim", failing_at_first(outbox.claim, cut, 3))

    worker, clock = run_worker_until(lambda: delivered)

    assert [message.to for message in delivered] == [[email.to[0]]]
    email.refresh_from_db()
    assert email.status == STATUS.sent
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 3
    assert all("round failed (OperationalError at " in line for line in errors)
    assert [line.rsplit("next try in ", 1)[1] for line in errors] == [
        "1 s",
        "2 s",
        "4 s",
    ]
    assert "working again after 3 failed rounds" in caplog.text
    assert QUOTED_VALUE not in caplog.text
    # The pauses were waited (1 + 2 + 4 s), in short slices.
    assert 7 <= clock.now < 7 + worker.interval
    assert worker.failures == 0


def test_any_error_in_a_round_is_survived(zone, delivered, monkeypatch, caplog):
    queue(zone)
    bug = RuntimeError(f"unexpected ({QUOTED_VALUE})")
    monkeypatch.setattr(outbox, "send_next", failing_at_first(outbox.send_next, bug, 1))

    run_worker_until(lambda: delivered)

    assert len(delivered) == 1
    assert "round failed (RuntimeError at " in caplog.text
    assert QUOTED_VALUE not in caplog.text


def test_the_database_locked_on_sqlite_while_writing_the_heartbeat_is_survived(
    zone, delivered, monkeypatch
):
    locked = OperationalError("database is locked")
    monkeypatch.setattr(outbox, "beat", failing_at_first(outbox.beat, locked, 2))

    run_worker_until(lambda: Heartbeat.objects.exists())

    queue(zone)
    run_worker_until(lambda: delivered)
    assert len(delivered) == 1


def test_a_mail_accepted_when_the_database_fails_is_marked_sent_once_it_is_back(
    zone, delivered, monkeypatch, caplog
):
    email = queue(zone)
    monkeypatch.setattr(
        outbox,
        "mark_sent",
        failing_at_first(outbox.mark_sent, OperationalError("connection lost"), 1),
    )

    run_worker_until(
        lambda: Email.objects.filter(pk=email.pk, status=STATUS.sent).exists()
    )

    assert len(delivered) == 1
    assert "round failed (NotMarked at " in caplog.text
    assert f"marked sent at last: [{email.pk}]" in caplog.text
    # Long after its lease, nothing is sent again.
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert outbox.send_all().claimed == 0
    assert len(delivered) == 1


def test_once_from_cron_fails_with_the_error_class_only(zone, monkeypatch, caplog):
    queue(zone)
    cut = OperationalError(f"terminating connection ({QUOTED_VALUE})")
    monkeypatch.setattr(outbox, "claim", failing_at_first(outbox.claim, cut, 1))

    with pytest.raises(CommandError) as raised:
        call_command("mail_worker", "--once")

    assert str(raised.value) == "the mail round failed: OperationalError"
    assert QUOTED_VALUE not in caplog.text
    assert outbox.unsent().count() == 1


# --- one mail at a time, with a short lease -----------------------------------


def test_a_claim_takes_one_mail_for_the_lease(zone, settings):
    settings.MAIL_LEASE_SECONDS = 120
    first, second = queue(zone), queue(zone, "tweede@example.be")
    now = timezone.now()

    with time_machine.travel(now, tick=False):
        claimed = outbox.claim()

    assert claimed.pk == first.pk
    assert claimed.scheduled_time == now + timedelta(seconds=120)
    assert list(outbox.due()) == [second]


def test_a_mail_sent_again_after_a_worker_died_keeps_its_message_id(
    zone, delivered, settings
):
    email = queue(zone)
    assert email.message_id
    # A worker claims the mail and the server accepts it; the worker is
    # killed before it marks the mail sent.
    outbox.claim().dispatch(commit=False)

    # No one takes it while the lease lasts...
    assert outbox.send_all().claimed == 0
    # ...then another worker sends it again.
    later = timezone.now() + timedelta(seconds=settings.MAIL_LEASE_SECONDS + 1)
    with time_machine.travel(later):
        assert outbox.send_all().sent == 1

    message_ids = [message.message()["Message-ID"] for message in delivered]
    assert message_ids == [email.message_id, email.message_id]


def test_a_mail_queued_without_message_id_gets_one_kept_for_every_attempt(
    zone, delivered, settings
):
    email = queue(zone)
    Email.objects.filter(pk=email.pk).update(message_id=None)

    outbox.claim().dispatch(commit=False)
    later = timezone.now() + timedelta(seconds=settings.MAIL_LEASE_SECONDS + 1)
    with time_machine.travel(later):
        outbox.send_all()

    email.refresh_from_db()
    assert email.message_id
    message_ids = [message.message()["Message-ID"] for message in delivered]
    assert message_ids == [email.message_id, email.message_id]


# --- the heartbeat and /healthz -------------------------------------------------


def beaten(seconds_ago: int) -> None:
    Heartbeat.objects.update_or_create(
        name=outbox.HEARTBEAT,
        defaults={"beaten_at": timezone.now() - timedelta(seconds=seconds_ago)},
    )


def test_each_round_writes_the_heartbeat_that_healthz_reports(client, zone):
    beaten(3600)

    call_command("mail_worker", "--once")

    mail_report = client.get("/healthz").json()["mail"]
    assert 0 <= mail_report["worker_heartbeat_seconds"] < 5
    assert Heartbeat.objects.count() == 1


def test_a_stale_heartbeat_where_a_worker_is_expected_is_reported_stalled(
    client, settings
):
    settings.MAIL_WORKER_EXPECTED = True
    settings.MAIL_WORKER_STALE_SECONDS = 60
    beaten(90)

    health = client.get("/healthz")
    mail_health = client.get("/healthz/mail")

    # The web pages still work: the server stays in the load balancer's pool.
    assert health.status_code == HTTPStatus.OK
    assert health.json()["mail"]["status"] == "stalled"
    assert 90 <= health.json()["mail"]["worker_heartbeat_seconds"] < 95
    # The monitoring's probe fails.
    assert mail_health.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert mail_health.json()["mail"]["status"] == "stalled"
    assert mail_health["Cache-Control"] == "no-store"


def test_no_heartbeat_at_all_where_a_worker_is_expected_is_stalled(client, settings):
    settings.MAIL_WORKER_EXPECTED = True

    response = client.get("/healthz/mail")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["mail"]["worker_heartbeat_seconds"] is None


def test_a_fresh_heartbeat_is_healthy(client, settings):
    settings.MAIL_WORKER_EXPECTED = True
    beaten(5)

    response = client.get("/healthz/mail")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["mail"]["status"] == "ok"


def test_without_a_worker_expected_an_old_heartbeat_is_no_failure(client, settings):
    settings.MAIL_WORKER_EXPECTED = False
    beaten(3600)

    response = client.get("/healthz/mail")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["mail"]["status"] == "ok"
    assert response.json()["mail"]["worker_heartbeat_seconds"] >= 3600


def test_late_mail_fails_the_mail_probe_only(client, zone, settings):
    settings.MAIL_LATE_SECONDS = 900
    with time_machine.travel(timezone.now() - timedelta(minutes=20)):
        queue(zone)

    assert client.get("/healthz").status_code == HTTPStatus.OK
    assert client.get("/healthz/mail").status_code == HTTPStatus.SERVICE_UNAVAILABLE
