"""`make soak`: the portal under a mixed load for a while, with zero errors.

Runs gunicorn on a scratch PostgreSQL database with the demo data, the mail
worker beside it, and locust (``loadtest/locustfile.py``) in a second process
on loopback: residents reading the public pages, looking up their street and
signing up. Then it prints the requests, errors and latency percentiles per
kind of request and checks that every signup locust saw succeed is in the
database exactly once, with one confirmation mail; one in ten residents
double-clicks "send" (the form goes twice at once), and that must make one
signup too. It exits non-zero on any failed request, any error in the
server's logs and any mismatch.

Settings (environment):

    SOAK_SECONDS       how long the load runs (60)
    SOAK_USERS         simulated residents at once (20)
    SOAK_SPAWN_RATE    residents started per second (5)
    SOAK_WAIT_MIN/MAX  seconds a resident pauses between two actions (0.5, 2)
    SOAK_DOUBLE_CLICKS share of signups whose form is sent twice at once (0.1)
    SOAK_WORKERS       gunicorn workers (2 × cores + 1)
    SOAK_DATABASE_URL  the scratch database, DROPPED and created again
                       (postgres://postgres@127.0.0.1:5432/wabp_soak)
    SOAK_REDIS_URL     cache for sessions and rate limits, FLUSHED first
                       (redis://127.0.0.1:6379/5)
    SOAK_MAIL_WORKER   0 to run without the mail worker (1)
    SOAK_MEMORY_GROWTH_MB  the most a gunicorn worker's memory may grow
                       between the end of the warm-up (the first quarter of
                       the run) and the end (10): more is a leak

The logs, the figures (results.json) and locust's HTML report stay in the
run's directory (printed at the end), the collected static files too
(STATIC_ROOT); the scratch database is left for inspection.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess  # nosec B404: runs our own programs, no shell
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loadtest.harness import (
    BIN,
    HOST,
    Processes,
    env_int,
    flush_cache,
    free_port,
    log_alarms,
    reset_database,
    run_step,
    server_environment,
    step,
    tail,
    wait_until_ready,
)


@dataclass(frozen=True)
class Options:
    seconds: int
    users: int
    spawn_rate: float
    workers: int
    database_url: str
    redis_url: str
    mail_worker: bool
    memory_growth_mb: int

    @classmethod
    def from_environment(cls) -> "Options":
        return cls(
            seconds=env_int("SOAK_SECONDS", 60),
            users=env_int("SOAK_USERS", 20),
            spawn_rate=float(os.environ.get("SOAK_SPAWN_RATE") or 5),
            workers=env_int("SOAK_WORKERS", 2 * (os.cpu_count() or 1) + 1),
            database_url=os.environ.get("SOAK_DATABASE_URL")
            or "postgres://postgres@127.0.0.1:5432/wabp_soak",
            redis_url=os.environ.get("SOAK_REDIS_URL") or "redis://127.0.0.1:6379/5",
            mail_worker=os.environ.get("SOAK_MAIL_WORKER", "1") != "0",
            memory_growth_mb=env_int("SOAK_MEMORY_GROWTH_MB", 10),
        )


def demo_data(run_id: str) -> dict:
    """What the locustfile needs to know of the loaded demo data."""
    from groups.models import Municipality, RegionStreet, Street, WhatsAppGroup

    covered = set(
        RegionStreet.objects.filter(
            region__whatsapp_groups__in=WhatsAppGroup.objects.published()
        ).values_list("street_id", flat=True)
    )
    return {
        "run_id": run_id,
        "municipalities": list(
            Municipality.objects.order_by("slug").values_list("slug", flat=True)
        ),
        "streets": [
            {"name": name, "postcode": postcode, "covered": pk in covered}
            for pk, name, postcode in Street.objects.order_by(
                "name", "postcode"
            ).values_list("pk", "name", "postcode")
        ],
    }


def read_signups(path: Path) -> dict[str, int]:
    """The locustfile's list of signups: e-mail address -> times the form went."""
    signups: dict[str, int] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            email, posts = line.split()
            if email in signups:
                raise SystemExit(f"{email} is twice in {path}: two residents in one")
            signups[email] = int(posts)
    return signups


def print_summary(results: dict, options: Options) -> None:
    """The figures per kind of request, as the README records them."""
    header = (
        f"{'request':<30} {'count':>7} {'errors':>6} {'rps':>6} "
        f"{'p50':>6} {'p95':>6} {'p99':>6} {'max':>6}"
    )
    print()
    print(
        f"Soak {datetime.now():%Y-%m-%d %H:%M}: {options.seconds} s "
        f"({results['duration']:.0f} s of requests), {options.users} users, "
        f"{options.workers} gunicorn workers, {os.cpu_count()} cores; "
        "latency in ms"
    )
    print(header)
    print("-" * len(header))
    for row in [*results["kinds"], None, results["total"]]:
        if row is None:
            print("-" * len(header))
            continue
        print(
            f"{row['name'][:30]:<30} {row['requests']:>7} {row['failures']:>6} "
            f"{row['rps']:>6.1f} {row['p50']:>6.0f} {row['p95']:>6.0f} "
            f"{row['p99']:>6.0f} {row['max']:>6.0f}"
        )
    for failure in results["failures"]:
        print(
            f"  failed {failure['occurrences']}× {failure['name']}: {failure['error']}"
        )


def check_signups(
    succeeded: dict[str, int], attempted: dict[str, int], run_id: str
) -> list[str]:
    """Every signup locust saw succeed is in the database once.

    Its holder got one confirmation mail; after a double click perhaps also
    the notice that someone signed up again with their address (when the
    second request found the first one's signup stored, rather than racing
    it to the insert).
    """
    from django.db.models import Count
    from post_office.models import STATUS, Email

    from registrations.models import Signup

    problems = []
    marker = f"soak-{run_id}-"
    ours = Signup.objects.filter(email__startswith=marker)
    rows: dict[str, int] = {}
    roles: dict[str, str] = {}
    for email, role in ours.values_list("email", "role"):
        rows[email] = rows.get(email, 0) + 1
        roles[email] = role
    mails: dict[str, int] = {}
    for recipients in Email.objects.values_list("to", flat=True):
        for address in recipients:
            if address.startswith(marker):
                mails[address] = mails.get(address, 0) + 1
    for email, posts in sorted(succeeded.items()):
        if rows.get(email, 0) != 1:
            problems.append(
                f"{email} ({roles.get(email, '?')}, form sent {posts}×): "
                f"{rows.get(email, 0)} signup rows"
            )
        if not 1 <= mails.get(email, 0) <= posts:
            problems.append(
                f"{email} (form sent {posts}×): {mails.get(email, 0)} mails"
            )
    unexpected = sorted(set(rows) - set(succeeded))
    if unexpected:
        problems.append(
            f"{len(unexpected)} signups in the database that locust did not see "
            f"succeed ({len(set(unexpected) & set(attempted))} of them posted)"
        )
    statuses = dict(
        Email.objects.order_by().values_list("status").annotate(n=Count("id"))
    )
    doubled = [email for email, posts in succeeded.items() if posts > 1]
    print(
        f"\nSignups: {len(attempted)} posted, {len(succeeded)} succeeded "
        f"({len(doubled)} of them sent twice at once), "
        f"{sum(rows.values())} in the database "
        f"({ours.filter(role='coordinator').count()} new-group applications)."
    )
    print(
        "Outbox: "
        + ", ".join(
            f"{label} {statuses.get(value, 0)}"
            for value, label in (
                (STATUS.sent, "sent"),
                (STATUS.queued, "queued"),
                (STATUS.requeued, "requeued"),
                (STATUS.failed, "failed"),
            )
        )
    )
    if statuses.get(STATUS.failed):
        problems.append(f"{statuses[STATUS.failed]} mails failed")
    return problems


def memory_mb(pid: int) -> float:
    """Resident memory of a process and its children (Linux; 0 elsewhere)."""
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for process in [pid, *map(int, children)]:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return total


def worker_memory_mb(master: int) -> dict[int, float]:
    """Resident memory of each worker of a gunicorn master: {pid: MB}."""
    memory = {}
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text()
        for pid in map(int, children.split()):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    memory[pid] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return memory


class MemorySampler(threading.Thread):
    """Each gunicorn worker's memory every SAMPLE_SECONDS while the load runs.

    A leak shows as growth after the warm-up: the first quarter of the run
    (every page, template and connection made once) is the baseline, the
    end of the run is compared with it.
    """

    SAMPLE_SECONDS = 10

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.samples: list[tuple[float, dict[int, float]]] = []
        self.stopped = threading.Event()
        self.started_at = time.monotonic()

    def run(self) -> None:
        while not self.stopped.wait(self.SAMPLE_SECONDS):
            self.samples.append(
                (time.monotonic() - self.started_at, worker_memory_mb(self.master))
            )

    def report(self, seconds: int) -> tuple[str, float] | None:
        """A line per worker (warm, end, growth), and the largest growth."""
        self.samples.append(
            (time.monotonic() - self.started_at, worker_memory_mb(self.master))
        )
        warm = [memory for at, memory in self.samples if at >= seconds / 4]
        if len(warm) < 2:
            return None
        first, last = warm[0], warm[-1]
        lines, growth = [], 0.0
        for pid in sorted(set(first) & set(last)):
            grew = last[pid] - first[pid]
            growth = max(growth, grew)
            lines.append(
                f"  worker {pid}: {first[pid]:.1f} MB after the warm-up, "
                f"{last[pid]:.1f} MB at the end ({grew:+.1f} MB)"
            )
        return "\n".join(lines), growth


def wait_for_outbox(seconds: float) -> int:
    """Let the mail worker send what the load queued; the number left."""
    from post_office.models import STATUS, Email

    deadline = time.monotonic() + seconds
    while True:
        left = Email.objects.filter(status__in=[STATUS.queued, STATUS.requeued]).count()
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(1)


def soak(options: Options, run_dir: Path, processes: Processes) -> list[str]:
    """Run it all; the list of what went wrong (empty: passed)."""
    run_id = secrets.token_hex(4)
    port = free_port()
    static_root = run_dir / "static"
    env = server_environment(
        database_url=options.database_url,
        redis_url=options.redis_url,
        port=port,
        static_root=static_root,
    )
    setup_log = run_dir / "setup.log"
    server_log = run_dir / "gunicorn.log"
    mail_log = run_dir / "mail_worker.log"
    locust_log = run_dir / "locust.log"
    manage = [sys.executable, "manage.py"]

    step(f"scratch database {reset_database(options.database_url, marker='soak')}")
    flush_cache(options.redis_url)
    run_step("migrate", [*manage, "migrate", "--noinput"], log=setup_log, env=env)
    run_step("load the demo data", [*manage, "load_demo"], log=setup_log, env=env)

    # The checks below read the database through Django, as the server sees it.
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from registrations.models import Signup

    step("collectstatic")
    call_command("collectstatic", interactive=False, verbosity=0)
    data_file = run_dir / "data.json"
    data_file.write_text(json.dumps(demo_data(run_id), ensure_ascii=False))
    signups_before = Signup.objects.count()

    step(f"gunicorn with {options.workers} workers on http://{HOST}:{port}/")
    server = processes.start(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "wabp_portal.wsgi",
            f"--bind={HOST}:{port}",
            f"--workers={options.workers}",
            "--timeout=30",
            "--graceful-timeout=20",
            f"--access-logfile={run_dir / 'access.log'}",
            # Its default socket (~/.gunicorn/gunicorn.ctl) is one per user:
            # another gunicorn on this machine may be using it.
            "--no-control-socket",
        ],
        log=server_log,
        env=env,
    )
    if options.mail_worker:
        processes.start(
            "mail worker",
            [*manage, "mail_worker", "--interval=1"],
            log=mail_log,
            env=env,
        )
    wait_until_ready(f"http://{HOST}:{port}/", server, server_log)
    memory_before = memory_mb(server.pid)
    sampler = MemorySampler(server.pid)
    sampler.start()

    succeeded_file = run_dir / "signups_succeeded.txt"
    attempted_file = run_dir / "signups_posted.txt"
    results_file = run_dir / "results.json"
    step(f"locust: {options.users} users for {options.seconds} s (log: {locust_log})")
    locust = processes.start(
        "locust",
        [
            str(BIN / "locust"),
            "--locustfile=loadtest/locustfile.py",
            "--headless",
            "--only-summary",
            f"--host=http://{HOST}:{port}",
            f"--users={options.users}",
            f"--spawn-rate={options.spawn_rate}",
            f"--run-time={options.seconds}s",
            # Residents busy signing up finish first, so that every signup
            # posted has its answer.
            "--stop-timeout=30",
            f"--html={run_dir / 'locust.html'}",
        ],
        log=locust_log,
        env={
            **os.environ,
            "SOAK_DATA": str(data_file),
            "SOAK_SIGNUPS": str(succeeded_file),
            "SOAK_ATTEMPTS": str(attempted_file),
            "SOAK_RESULTS": str(results_file),
        },
    )
    problems: list[str] = []
    try:
        locust_code = locust.wait(options.seconds + 120)
    except subprocess.TimeoutExpired:
        locust_code = None
        problems.append("locust did not stop in time")
    processes.stop("locust")

    memory_after = memory_mb(server.pid)
    sampler.stopped.set()
    per_worker = sampler.report(options.seconds)
    step("load done; the mail worker empties the outbox")
    left = wait_for_outbox(60) if options.mail_worker else 0
    for name in ("mail worker", "gunicorn"):
        if processes.exited(name):
            problems.append(f"the {name} stopped during the load")
        processes.stop(name)

    if not results_file.exists():
        return [f"locust wrote no figures; see {locust_log}:\n{tail(locust_log)}"]
    results = json.loads(results_file.read_text())
    print_summary(results, options)
    if memory_before:
        # Growth over a long run is what a soak looks for: a leak.
        print(
            f"\ngunicorn's memory (master and workers): {memory_before:.0f} MB "
            f"before the load, {memory_after:.0f} MB at its end."
        )
    if per_worker:
        lines, growth = per_worker
        print(f"Each worker's memory (largest growth {growth:+.1f} MB):\n{lines}")
        if growth > options.memory_growth_mb:
            problems.append(
                f"a worker's memory grew {growth:.1f} MB after the warm-up "
                f"(more than SOAK_MEMORY_GROWTH_MB={options.memory_growth_mb})"
            )
    total = results["total"]
    if not total["requests"]:
        problems.append("no requests were made")
    if total["failures"]:
        problems.append(f"{total['failures']} requests failed")
    for exception in results["exceptions"]:
        problems.append(
            f"locustfile error {exception['count']}×: {exception['message']}"
        )
    if locust_code:
        problems.append(f"locust exited with {locust_code}")

    succeeded = read_signups(succeeded_file)
    attempted = read_signups(attempted_file)
    problems += check_signups(succeeded, attempted, run_id)
    created = Signup.objects.count() - signups_before
    if created != len(succeeded):
        problems.append(f"{created} signups created, {len(succeeded)} succeeded")
    if left:
        problems.append(f"{left} mails still in the outbox after 60 s")
    alarms = log_alarms(server_log, mail_log)
    if alarms:
        problems.append(
            f"{len(alarms)} error lines in the server logs:\n  "
            + "\n  ".join(alarms[:20])
        )
    return problems


def main() -> int:
    options = Options.from_environment()
    run_dir = Path(tempfile.mkdtemp(prefix="wabp-soak-"))
    processes = Processes()
    # Ctrl-C and a kill (TERM) stop the servers; also when started in the
    # background, where the shell makes Python ignore Ctrl-C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        problems = soak(options, run_dir, processes)
    except KeyboardInterrupt:
        print("\nInterrupted: servers stopped, no verdict.")
        return 130
    finally:
        # A second Ctrl-C must not leave the servers running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        processes.stop_all()
        shutil.rmtree(run_dir / "static", ignore_errors=True)
        if any(run_dir.iterdir()):
            print(f"\nLogs, figures and locust's HTML report: {run_dir}")
        else:
            run_dir.rmdir()
    if problems:
        print("\nSOAK FAILED:")
        for problem in problems:
            print(f"- {problem}")
        return 1
    print("\nSoak passed: no errors, every signup stored once.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
