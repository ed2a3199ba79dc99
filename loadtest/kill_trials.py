"""Kill the mail worker mid-send, again and again: count mails lost and doubled.

Run by hand, not in CI (about a minute):

    .venv/bin/python -m loadtest.kill_trials

Each trial queues KILL_MAILS mails in a scratch PostgreSQL database, starts
``manage.py mail_worker`` as it runs in production, sending by SMTP to a
real SMTP server in this process (aiosmtpd), and kills it with SIGKILL
while it sends. A new worker is then started and runs until every mail of
the trial is marked sent; it is stopped (SIGTERM) and the next trial begins.
At the end, per Message-ID: a mail the server never got is lost, a mail it
got more than once is a duplicate.

When the worker is killed:

    KILL_AT=random  (default) at a moment drawn uniformly over the time the
                    worker takes to send the trial's mails (measured first);
    KILL_AT=accept  the moment the server has accepted a mail drawn at random:
                    the worst moment, between the server's answer and the
                    mark "sent" in the database.

Settings (environment):

    KILL_TRIALS         trials (20)
    KILL_MAILS          mails queued per trial (50)
    KILL_LEASE_SECONDS  the workers' MAIL_LEASE_SECONDS, short so that the
                        mail in hand at the kill is sent again quickly (3)
    KILL_SEED           seed of the random moments (random)
    KILL_DATABASE_URL   the scratch database, DROPPED and created again
                        (postgres://postgres@127.0.0.1:5432/wabp_kill)

It exits non-zero when a mail was lost or a duplicate had a new Message-ID.
"""

import logging
import os
import random
import signal
import subprocess  # nosec B404: runs our own programs, no shell
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller

from loadtest.harness import (
    ROOT,
    env_int,
    free_port,
    reset_database,
    run_step,
    step,
    tail,
)

STOP_SECONDS = 20


@dataclass(frozen=True)
class Options:
    trials: int
    mails: int
    lease_seconds: int
    seed: int
    kill_at: str
    database_url: str

    @classmethod
    def from_environment(cls) -> "Options":
        kill_at = os.environ.get("KILL_AT") or "random"
        if kill_at not in ("random", "accept"):
            raise SystemExit(f"KILL_AT is random or accept, not {kill_at!r}")
        return cls(
            trials=env_int("KILL_TRIALS", 20),
            mails=env_int("KILL_MAILS", 50),
            lease_seconds=env_int("KILL_LEASE_SECONDS", 3),
            seed=env_int("KILL_SEED", random.SystemRandom().randrange(10**6)),
            kill_at=kill_at,
            database_url=os.environ.get("KILL_DATABASE_URL")
            or "postgres://postgres@127.0.0.1:5432/wabp_kill",
        )


class Sink:
    """An SMTP server that keeps the Message-ID of every mail it accepts.

    ``on_accept`` (set by a trial) runs right after the server has answered
    "250" for a mail, with the number of mails accepted so far.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.message_ids: list[str] = []
        self.lock = threading.Lock()
        self.on_accept = None
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.message_ids.append(message["Message-ID"])
            count = len(self.message_ids)
        if self.on_accept is not None:
            # After the answer has gone out: the worker has its "250".
            server.loop.call_soon(self.on_accept, count)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.message_ids)


@dataclass
class Trial:
    number: int
    queued: list[str]
    killed_after: float = 0.0
    sent_before_kill: int = 0
    marked_before_kill: int = 0
    resend_seconds: float = 0.0
    received: Counter = field(default_factory=Counter)

    @property
    def lost(self) -> int:
        return sum(1 for message_id in self.queued if not self.received[message_id])

    @property
    def duplicated(self) -> int:
        return sum(count - 1 for count in self.received.values() if count > 1)

    @property
    def strangers(self) -> int:
        """Mails received with a Message-ID that was never queued."""
        return sum(1 for message_id in self.received if message_id not in self.queued)


class Runner:
    def __init__(self, options: Options, run_dir: Path, sink: Sink) -> None:
        self.options = options
        self.run_dir = run_dir
        self.sink = sink
        self.random = random.Random(options.seed)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "wabp_portal.settings",
            "DJANGO_ENV": "development",
            "DEBUG": "0",
            "DATABASE_URL": options.database_url,
            "CONN_MAX_AGE": "60",
            "MAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": "5",
            "MAIL_LEASE_SECONDS": str(options.lease_seconds),
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("REDIS_URL", None)
        self.log = run_dir / "mail_worker.log"
        self.zone = None

    def start_worker(self) -> subprocess.Popen:
        with self.log.open("ab") as output:
            return subprocess.Popen(  # nosec B603
                [sys.executable, "manage.py", "mail_worker", "--interval=0.1"],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop_worker(self, worker: subprocess.Popen) -> None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            raise SystemExit(
                f"the worker did not stop on SIGTERM; see {self.log}"
            ) from None

    def queue(self, trial: int) -> list[str]:
        """Queue the trial's mails as the portal does; their Message-IDs."""
        from wabp_portal.mail.queue import queue_mail

        return [
            queue_mail(
                to=[f"bewoner{trial:02d}-{index:03d}@example.be"],
                template="registrations/email/confirm_signup",
                context={"confirm_url": "https://example.be/x", "withdraw_url": ""},
                language="nl",
                zone=self.zone,
            ).message_id
            for index in range(self.options.mails)
        ]

    def wait_until_all_sent(self, worker: subprocess.Popen, seconds: float) -> None:
        from wabp_portal.mail import outbox

        deadline = time.monotonic() + seconds
        while outbox.unsent().exists():
            if worker.poll() is not None:
                raise SystemExit(
                    f"the worker exited; see {self.log}:\n{tail(self.log)}"
                )
            if time.monotonic() > deadline:
                raise SystemExit(f"mail still unsent after {seconds} s; see {self.log}")
            time.sleep(0.02)

    def measure(self) -> float:
        """How long a worker takes to send a trial's mails, killed by no one."""
        self.queue(trial=99)
        worker = self.start_worker()
        first = self.sink.count()
        while self.sink.count() == first:
            time.sleep(0.005)
        started = time.monotonic()
        self.wait_until_all_sent(worker, seconds=120)
        seconds = time.monotonic() - started
        self.stop_worker(worker)
        with self.sink.lock:
            self.sink.message_ids.clear()
        return seconds

    def trial(self, number: int, send_seconds: float) -> Trial:
        from post_office.models import STATUS, Email

        trial = Trial(number=number, queued=self.queue(number))
        start_count = self.sink.count()
        killed = threading.Event()
        worker = self.start_worker()

        def kill() -> None:
            if not killed.is_set():
                os.killpg(worker.pid, signal.SIGKILL)
                killed.set()

        if self.options.kill_at == "accept":
            target = start_count + self.random.randrange(1, self.options.mails)
            self.sink.on_accept = lambda count: count == target and kill()
        # Timed from the first mail of the trial: the worker is at work.
        while self.sink.count() == start_count:
            if worker.poll() is not None:
                raise SystemExit(f"the worker exited; see {self.log}")
            time.sleep(0.001)
        started = time.monotonic()
        if self.options.kill_at == "random":
            time.sleep(self.random.uniform(0, send_seconds))
            kill()
        if not killed.wait(60):
            raise SystemExit("the worker was never killed")
        worker.wait()
        self.sink.on_accept = None
        trial.killed_after = time.monotonic() - started
        trial.sent_before_kill = self.sink.count() - start_count
        trial.marked_before_kill = Email.objects.filter(
            message_id__in=trial.queued, status=STATUS.sent
        ).count()

        restarted = time.monotonic()
        worker = self.start_worker()
        self.wait_until_all_sent(worker, seconds=self.options.lease_seconds + 60)
        trial.resend_seconds = time.monotonic() - restarted
        self.stop_worker(worker)
        with self.sink.lock:
            trial.received = Counter(self.sink.message_ids[start_count:])
        return trial

    def run(self) -> list[Trial]:
        import django

        os.environ.update(self.env)
        django.setup()
        from groups.models import PoliceZone

        self.zone = PoliceZone.objects.create(
            name="Zone Proef", email="zone@example.be"
        )
        send_seconds = self.measure()
        step(
            f"a worker sends {self.options.mails} mails in {send_seconds:.2f} s; "
            f"kills at: {self.options.kill_at}"
        )
        trials = []
        for number in range(1, self.options.trials + 1):
            trial = self.trial(number, send_seconds)
            trials.append(trial)
            step(
                f"trial {number:2d}: killed after {trial.killed_after:.3f} s, "
                f"{trial.sent_before_kill} accepted / {trial.marked_before_kill} "
                f"marked sent before the kill; all sent {trial.resend_seconds:.1f} s "
                f"after the restart; lost {trial.lost}, duplicated {trial.duplicated}"
            )
        return trials


def main() -> None:
    options = Options.from_environment()
    run_dir = Path(tempfile.mkdtemp(prefix="wabp-kill-"))
    step(f"scratch database {reset_database(options.database_url, marker='kill')}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wabp_portal.settings",
        "DATABASE_URL": options.database_url,
    }
    run_step(
        "migrate",
        [sys.executable, "manage.py", "migrate", "--noinput"],
        log=run_dir / "setup.log",
        env=env,
    )
    # aiosmtpd logs every SMTP command it gets.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sink = Sink()
    sink.controller.start()
    try:
        trials = Runner(options, run_dir, sink).run()
    finally:
        sink.controller.stop()

    lost = sum(trial.lost for trial in trials)
    duplicated = sum(trial.duplicated for trial in trials)
    strangers = sum(trial.strangers for trial in trials)
    with_duplicate = sum(1 for trial in trials if trial.duplicated)
    mid_send = sum(1 for trial in trials if trial.marked_before_kill < options.mails)
    mails = options.trials * options.mails
    print()
    print(
        f"{options.trials} SIGKILLs ({options.kill_at}) over {mails} mails "
        f"(seed {options.seed}, lease {options.lease_seconds} s):"
    )
    print(f"  killed while mail was left:    {mid_send} of {options.trials}")
    print(f"  mails lost:                    {lost}")
    print(
        f"  mails sent twice:              {duplicated} "
        f"(in {with_duplicate} of {options.trials} trials)"
    )
    print(f"  repeats with a new Message-ID: {strangers}")
    print(f"  the worker's log: {run_dir / 'mail_worker.log'}")
    if lost or strangers:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
