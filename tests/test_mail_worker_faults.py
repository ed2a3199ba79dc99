"""The database goes away under a running mail worker: mail resumes by itself.

``manage.py mail_worker`` runs as in production, in a process of its own, with
a kept database connection (CONN_MAX_AGE) reaching PostgreSQL through
``tests.pgproxy``, which drops connections on command, and sends to a real
SMTP server (aiosmtpd) in this process. The worker must outlive every cut,
log it by class name only, and deliver each mail once the database is back,
without anyone restarting it.

The tests commit their rows (``transaction=True``) so the worker can read
them; the worker is stopped before the test database is flushed.
"""

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from post_office.models import STATUS, Email

from tests.factories import PoliceZoneFactory
from tests.pgproxy import PgProxy
from tests.smtp_sink import SmtpSink
from tests.subprocesses import (
    child_environment,
    database_url,
    wait_for_server_sessions_to_end,
)
from wabp_portal.mail import outbox
from wabp_portal.mail.queue import queue_mail

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="cutting the database connection needs PostgreSQL over TCP "
        "(a proxy between the worker and the database); SQLite is a file",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Marks the worker's database sessions, to wait for them to end.
APPLICATION_NAME = "wabp-mail-worker-fault-tests"
# Short, so that a mail left leased would be sent again within the test.
LEASE_SECONDS = 2
# The statement that marks a mail sent (wabp_portal.mail.outbox.mark_sent).
MARK_SENT = b'UPDATE "post_office_email" SET "status"'
# The statement that claims a mail (wabp_portal.mail.outbox.claim).
CLAIM = b"FOR UPDATE SKIP LOCKED"


@dataclass
class Worker:
    process: subprocess.Popen
    proxy: PgProxy
    sink: SmtpSink
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_mail(self, count: int, seconds: float) -> float:
        """Wait until the server has ``count`` mails; return how long it took."""
        started = time.monotonic()
        while len(self.sink.received) < count:
            if time.monotonic() - started > seconds:
                pytest.fail(
                    f"{len(self.sink.received)} of {count} mails after {seconds} s"
                    f"\n{self.log()}"
                )
            assert self.process.poll() is None, f"the worker exited:\n{self.log()}"
            time.sleep(0.05)
        return time.monotonic() - started


@pytest.fixture
def proxy(transactional_db) -> Iterator[PgProxy]:
    database = connection.settings_dict
    with PgProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))) as p:
        yield p
    assert not [t for t in threading.enumerate() if t.name.startswith("pgproxy")]
    wait_for_server_sessions_to_end(APPLICATION_NAME)


@pytest.fixture
def worker(proxy, tmp_path) -> Iterator[Worker]:
    """``manage.py mail_worker`` reaching the test database through ``proxy``."""
    sink = SmtpSink()
    sink.start()
    env = child_environment(
        drop={"DJANGO_ENV", "REDIS_URL"},
        DJANGO_SETTINGS_MODULE="wabp_portal.settings",
        DATABASE_URL=database_url(
            application_name=APPLICATION_NAME, host="127.0.0.1", port=proxy.port
        ),
        CONN_MAX_AGE="60",
        DB_CONNECT_TIMEOUT="2",
        DB_STATEMENT_TIMEOUT="2",
        MAIL_DELIVERY_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        EMAIL_USE_TLS="0",
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT="5",
        MAIL_LEASE_SECONDS=str(LEASE_SECONDS),
        PYTHONUNBUFFERED="1",
    )
    log_path = tmp_path / "mail_worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "mail_worker", "--interval=0.2"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    running = Worker(process=process, proxy=proxy, sink=sink, log_path=log_path)
    try:
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        sink.stop()
        # Shown with the report of a failing test.
        print(f"--- mail worker log ---\n{running.log()}")


def queue(zone, count: int, prefix: str) -> list[str]:
    addresses = [f"{prefix}{index:02d}@example.be" for index in range(count)]
    for address in addresses:
        queue_mail(
            to=[address],
            template="registrations/email/confirm_signup",
            context={"confirm_url": "https://example.be/x", "withdraw_url": ""},
            language="nl",
            zone=zone,
        )
    return addresses


def test_database_cut_under_the_worker_and_mail_resumes_by_itself(worker):
    zone = PoliceZoneFactory()
    before = queue(zone, 5, "voor")
    worker.wait_for_mail(5, seconds=20)

    # The database vanishes: first in the middle of a claim, then altogether.
    worker.proxy.cut_on(CLAIM)
    during = queue(zone, 5, "tijdens")
    deadline = time.monotonic() + 10
    while not worker.proxy.tripped and time.monotonic() < deadline:
        time.sleep(0.05)
    assert worker.proxy.tripped, "the worker never claimed a mail"
    worker.proxy.cut()
    time.sleep(4)  # rounds fail; the pauses between them grow (1, 2, 4 s)
    assert worker.process.poll() is None, worker.log()
    sent_while_cut = len(worker.sink.received)

    worker.proxy.restore()
    resumed_in = worker.wait_for_mail(10, seconds=30)

    print(f"mail resumed {resumed_in:.1f} s after the database came back")
    # The pause after three failed rounds is 4 s, plus a round.
    assert resumed_in < 4 + 3
    assert sent_while_cut < 10
    assert worker.sink.recipients() == sorted(before + during)
    assert len(set(worker.sink.message_ids())) == 10
    # The last mail is marked sent just after the mail server took it.
    deadline = time.monotonic() + 5
    while outbox.unsent().exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert outbox.unsent().count() == 0
    # The heartbeat is fresh again; the worker is the one started.
    time.sleep(0.5)
    assert outbox.heartbeat_age().total_seconds() < 2
    assert worker.process.poll() is None
    log = worker.log()
    assert "round failed (OperationalError at " in log
    assert "working again after" in log
    assert "Traceback" not in log
    assert "@example.be" not in log
    assert "voor00" not in log and "tijdens00" not in log


def test_mail_accepted_while_the_database_is_cut_is_marked_and_not_sent_again(
    worker,
):
    zone = PoliceZoneFactory()
    worker.proxy.cut_on(MARK_SENT)

    (address,) = queue(zone, 1, "eenmaal")
    worker.wait_for_mail(1, seconds=20)
    deadline = time.monotonic() + 10
    while (
        Email.objects.filter(status=STATUS.sent).count() < 1
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)

    assert worker.proxy.tripped, "the mail was never marked sent"
    assert Email.objects.get().status == STATUS.sent
    # Well past the lease: had it been left leased, it would go out again.
    time.sleep(LEASE_SECONDS + 2)
    assert worker.sink.recipients() == [address]
    log = worker.log()
    assert "round failed (NotMarked at " in log
    assert "marked sent at last" in log
    assert worker.process.poll() is None
