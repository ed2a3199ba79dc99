"""`make bench`: the portal's speed at national scale, against the Django floor.

Twice, on a scratch PostgreSQL database (dropped and created again each time):
with a small data set (10,000 signups) and with the national one (600
municipalities, 20,000 groups, 150,000 streets, 1,500,000 signups; both from
``manage.py generate_scale_data``). Each time it serves the portal with
gunicorn in production mode (Redis for the cache, sessions and rate limits)
and measures from this second process, over loopback:

- with the national data, throughput (wrk) of a bare Django app (one view
  behind only SecurityMiddleware and CommonMiddleware, loadtest/bare_django.py,
  served by a second gunicorn with the same settings: the bare floor), of a
  minimal view served by the portal through its whole middleware (the
  in-stack floor), of the home, municipality and house rules pages and of the
  finder's result, taking turns in BENCH_ROUNDS rounds so that a slow moment
  of the machine weighs on each alike; then of the signup POST (validation,
  insert, outbox); every signup answered "sent" must be stored once, and the
  queries one signup makes are counted;
- with the national data, the finder's latency over many streets, and each
  gunicorn worker's resident memory at the end;
- in a process of its own, where a request's microseconds go in the
  middleware stack, layer by layer (loadtest/middleware_profile.py);
- with both, the latency of the coordinator's waiting signups and of the
  staff's list of all signups (logged in, one request at a time, the lists
  taking turns); with the national data also the list of a coordinator with
  as many waiting signups as the small run's busiest, to compare like lists.

It prints one table, writes it with the query plans of the lists into
docs/benchmarks.md (BENCH_OUTPUT), and exits non-zero when a request failed
or the signup rows do not match the answers. The goals are reported, not
enforced: they depend on the machine.

Settings (environment):

    BENCH_SECONDS      how long each throughput and latency run lasts (15)
    BENCH_ROUNDS       the turns the floor and the pages take within it (3)
    BENCH_CONNECTIONS  wrk's open connections during throughput runs (16)
    BENCH_THREADS      wrk's threads (1)
    BENCH_WORKERS      gunicorn workers (2 × cores + 1)
    BENCH_SAMPLES      requests per admin list (60, after 5 to warm up)
    BENCH_SIZES        the data sets, small first ("small,national")
    BENCH_PROFILE_REQUESTS requests per measure of the middleware profile (3000)
    BENCH_DATABASE_URL the scratch database, DROPPED and created again
                       (postgres://postgres@127.0.0.1:5432/wabp_bench)
    BENCH_REDIS_URL    the cache, FLUSHED first (redis://127.0.0.1:6379/6)
    BENCH_OUTPUT       where the report goes (docs/benchmarks.md)

Needs wrk (apt-get install wrk).
"""

import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess  # nosec B404: runs our own programs, no shell
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

from loadtest.harness import (
    BIN,
    HOST,
    ROOT,
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

LUA = ROOT / "loadtest" / "bench.lua"
# Throughput goals, requests per second ÷ the bare Django app's (issue 25):
# the cached public pages, the portal's middleware on an empty view, the
# finder's result.
PAGE_GOAL = 0.8
STACK_GOAL = 0.75
FINDER_GOAL = 0.3
# The signup POST ÷ the in-stack floor, and × the rate before issue 25
# (69 signups/s on the machine issue 25 measured, 0.03 of its floor).
SIGNUP_GOAL = 0.1
SIGNUP_BEFORE = 0.03
FINDER_P95_GOAL_MS = 25
PAGES = ("home", "municipality", "house rules")
FINDER = "/zoek-je-groep/"
# Median latency goals of the lists at national scale, and large ÷ small.
LIST_GOALS_MS = {"coordinator": 100, "staff": 250}
LIST_RATIO_GOAL = 1.5
# The coordinator whose list is as long as the smaller run's busiest one's.
SAME_ROWS = "coordinator, as many rows"


@dataclass(frozen=True)
class Options:
    seconds: int
    rounds: int
    connections: int
    threads: int
    workers: int
    samples: int
    profile_requests: int
    sizes: list[str]
    database_url: str
    redis_url: str
    output: Path

    @classmethod
    def from_environment(cls) -> "Options":
        return cls(
            seconds=env_int("BENCH_SECONDS", 15),
            rounds=env_int("BENCH_ROUNDS", 3),
            connections=env_int("BENCH_CONNECTIONS", 16),
            threads=env_int("BENCH_THREADS", 1),
            workers=env_int("BENCH_WORKERS", 2 * (os.cpu_count() or 1) + 1),
            samples=env_int("BENCH_SAMPLES", 60),
            profile_requests=env_int("BENCH_PROFILE_REQUESTS", 3000),
            sizes=(os.environ.get("BENCH_SIZES") or "small,national").split(","),
            database_url=os.environ.get("BENCH_DATABASE_URL")
            or "postgres://postgres@127.0.0.1:5432/wabp_bench",
            redis_url=os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/6",
            output=Path(os.environ.get("BENCH_OUTPUT") or ROOT / "docs/benchmarks.md"),
        )


@dataclass
class Run:
    """What one wrk run measured."""

    name: str
    requests: int
    seconds: float
    statuses: dict[int, int]
    socket_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def answered(self, *statuses: int) -> int:
        return sum(self.statuses.get(status, 0) for status in statuses)

    @property
    def errors(self) -> int:
        """Requests answered otherwise than the run expects, or not at all."""
        return self.socket_errors + self.requests - self.answered(200, 302)

    @classmethod
    def combined(cls, runs: list["Run"]) -> "Run":
        """Runs of one target as one: their sums, and their latencies' worst.

        Percentiles of separate runs do not add up; the median of the medians
        and the highest p95 and p99 are what the runs vouch for.
        """
        statuses: dict[int, int] = {}
        for run in runs:
            for status, count in run.statuses.items():
                statuses[status] = statuses.get(status, 0) + count
        return cls(
            name=runs[0].name,
            requests=sum(run.requests for run in runs),
            seconds=sum(run.seconds for run in runs),
            statuses=statuses,
            socket_errors=sum(run.socket_errors for run in runs),
            p50_ms=statistics.median(run.p50_ms for run in runs),
            p95_ms=max(run.p95_ms for run in runs),
            p99_ms=max(run.p99_ms for run in runs),
        )


@dataclass
class ListTiming:
    """Sequential requests of one admin list by one logged-in user."""

    name: str
    path: str
    rows_visible: int
    timings_ms: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.timings_ms, n=20)[-1]


@dataclass
class Size:
    """The figures of one data set."""

    name: str
    counts: dict[str, int]
    lists: dict[str, ListTiming] = field(default_factory=dict)
    runs: dict[str, Run] = field(default_factory=dict)
    signups_stored: int | None = None
    plans: list[tuple[str, str, str]] = field(default_factory=list)
    # Resident memory (MiB) of each gunicorn worker at the end of the run.
    worker_memory_mib: list[float] = field(default_factory=list)
    # The queries of one signup POST, as Django sent them (no values).
    signup_queries: list[str] = field(default_factory=list)
    # loadtest/middleware_profile.py's figures.
    profile: dict | None = None


def wrk(
    options: Options,
    port: int,
    name: str,
    args: list[str],
    *,
    connections: int,
    seconds: int | None = None,
    warm_up: bool = True,
) -> Run:
    """Run wrk for ``seconds`` (BENCH_SECONDS) after a short warm-up; its figures."""
    command = [
        "wrk",
        f"--threads={min(options.threads, connections)}",
        f"--connections={connections}",
        "--timeout=10s",
        f"--script={LUA}",
        f"http://{HOST}:{port}",
        "--",
        *args,
    ]
    # Warm-up: every worker has its connection, caches and templates.
    warm_up_command = [*command[:1], "--duration=3s", *command[1:]]
    if args[0] == "signup":
        warm_up_command.append("0")
        command.append("1")
    if warm_up:
        subprocess.run(  # nosec B603
            warm_up_command,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
    result = subprocess.run(  # nosec B603
        [*command[:1], f"--duration={seconds or options.seconds}s", *command[1:]],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    line = [row for row in result.stdout.splitlines() if row.startswith("{")][-1]
    figures = json.loads(line)
    return Run(
        name=name,
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        statuses={int(key): value for key, value in figures["statuses"].items()},
        socket_errors=figures["socket_errors"],
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
    )


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def data_counts() -> dict[str, int]:
    from groups.models import Municipality, Street, WhatsAppGroup
    from registrations.models import Signup

    return {
        "municipalities": Municipality.objects.count(),
        "groups": WhatsAppGroup.objects.count(),
        "streets": Street.objects.count(),
        "signups": Signup.objects.count(),
    }


def logged_in_cookie(user) -> str:
    """A session of ``user`` with a verified second step, as after logging in.

    The session lives in the shared cache (Redis), where the servers read it.
    """
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="benchmark", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


def accounts(like_rows: int | None = None) -> dict[str, tuple]:
    """Who the lists are measured for: (user, rows they see, admin path).

    The coordinator of the group with the most waiting signups, a staff
    member of the zone with the most signups (the busiest of each role), and
    a superuser, who sees every signup.

    With ``like_rows`` (the waiting signups of the smaller run's busiest
    coordinator) also the coordinator whose list is that long, or closest to
    it: the coordinator's list costs what its rows cost to render, so the
    large ÷ small ratio compares lists of the same length, and says what the
    size of the table costs. The busiest coordinator of a country has more
    waiting signups than the busiest of a zone.
    """
    from django.db.models import Count, F, Q
    from django.db.models.functions import Abs
    from django.urls import reverse

    from groups.models import Coordinator, PoliceZone
    from registrations.constants import SignupStatus
    from registrations.models import Signup

    coordinators = (
        Coordinator.objects.filter(user__isnull=False, is_active=True)
        .annotate(
            waiting=Count(
                "groups__signups",
                filter=Q(groups__signups__status=SignupStatus.PENDING),
            )
        )
        .select_related("user")
    )
    coordinator = coordinators.order_by("-waiting", "pk").first()
    zone = (
        PoliceZone.objects.filter(staff__isnull=False)
        .annotate(signups=Count("municipalities__signups"))
        .order_by("-signups", "pk")
        .first()
    )
    staff = zone.staff.order_by("pk").first()
    pending_list = reverse("admin:registrations_pendingsignup_changelist")
    who = {
        "coordinator": (
            coordinator.user,
            Signup.objects.visible_to(coordinator.user).pending().count(),
            pending_list,
        ),
        "staff": (
            staff,
            Signup.objects.visible_to(staff).count(),
            reverse("admin:registrations_signup_changelist"),
        ),
        # Every signup of the country: no goal, but its count is capped
        # (wabp_portal/paginator.py), so it must not grow with the table.
        "superuser": (
            superuser(),
            Signup.objects.count(),
            reverse("admin:registrations_signup_changelist"),
        ),
    }
    if like_rows is not None:
        like = (
            coordinators.annotate(off=Abs(F("waiting") - like_rows))
            .order_by("off", "-waiting", "pk")
            .first()
        )
        who[SAME_ROWS] = (
            like.user,
            Signup.objects.visible_to(like.user).pending().count(),
            pending_list,
        )
    return who


def superuser():
    from django.contrib.auth.models import User

    user, created = User.objects.get_or_create(
        username="benchmark-superuser",
        defaults={"is_superuser": True, "is_staff": True},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def time_lists(port: int, lists: dict[str, tuple[str, str]], samples: int):
    """Milliseconds per request of each list: {name: (session cookie, path)}.

    The lists take turns, one request each, every user on their own
    kept-alive connection: all of them are measured over the same seconds, so
    a moment when the (shared) machine is slower weighs on each alike.
    """
    connections = {name: HTTPConnection(HOST, port, timeout=30) for name in lists}
    timings: dict[str, list[float]] = {name: [] for name in lists}
    for number in range(samples + 5):
        for name, (cookie, path) in lists.items():
            started = time.perf_counter()
            connections[name].request(
                "GET",
                path,
                headers={
                    "Host": HOST,
                    "X-Forwarded-Proto": "https",
                    "Cookie": f"sessionid={cookie}",
                },
            )
            response = connections[name].getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200 or b'id="result_list"' not in body:
                raise SystemExit(
                    f"{path} answered {response.status} without its list: "
                    "the benchmark's login did not work"
                )
            if number >= 5:
                timings[name].append(elapsed)
    for connection in connections.values():
        connection.close()
    return timings


def time_page(port: int, path: str) -> None:
    connection = HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")


def query_plans(
    user, path: str, title: str, data: dict | None = None
) -> list[tuple[str, str, str]]:
    """The plans of the slowest queries of a page (POSTed ``data`` if given),
    as PostgreSQL ran them."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        session = client.session
        session[DEVICE_ID_SESSION_KEY] = (
            TOTPDevice.objects.filter(user=user).first().persistent_id
        )
        session.save()
    with CaptureQueriesContext(connection) as queries:
        if data is None:
            response = client.get(path, secure=True, headers={"host": HOST})
        else:
            response = client.post(path, data, secure=True, headers={"host": HOST})
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in the plans")
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql)  # nosec B608
            plan = "\n".join(row[0] for row in cursor.fetchall())
            took = float(plan.rsplit("Execution Time: ", 1)[1].split()[0])
            plans.append((took, sql, plan))
    plans.sort(key=lambda entry: entry[0], reverse=True)
    return [
        (f"{title} ({len(queries.captured_queries)} queries; slowest)", sql, plan)
        for _took, sql, plan in plans[:2]
    ]


def finder_searches(count: int = 2000) -> list[dict[str, str]]:
    """Look-ups residents make: a street of a group's region and a number.

    The finder's form posts them (no address in the URL): bench.lua's
    ``finder`` mode sends each as a form body.
    """
    from groups.models import RegionStreet

    rows = (
        RegionStreet.objects.filter(region__whatsapp_groups__is_public=True)
        .order_by("?")
        .values_list("street__name", "number_from")[:count]
    )
    return [{"straat": name, "nummer": str(start or 12)} for name, start in rows]


def signup_forms(count: int = 2000) -> list[str]:
    """Groups to sign up for, each with an address its region covers."""
    from groups.models import RegionStreet, WhatsAppGroup
    from registrations.models import HouseRules

    rules = dict(HouseRules.objects.current().values_list("zone_id", "pk"))
    lines = []
    groups = (
        WhatsAppGroup.objects.published()
        .select_related("municipality")
        .order_by("?")[:count]
    )
    for group in groups:
        coverage = (
            RegionStreet.objects.filter(region=group.region_id, parity="all")
            .select_related("street")
            .first()
        )
        if coverage is None:
            continue
        lines.append(
            "\t".join(
                str(value)
                for value in (
                    group.pk,
                    group.municipality_id,
                    rules[group.municipality.zone_id],
                    coverage.street.postcode,
                    coverage.street.name,
                    coverage.number_from or 10,
                )
            )
        )
    return lines


def bench_size(
    name: str,
    options: Options,
    run_dir: Path,
    processes: Processes,
    smaller: Size | None = None,
):
    from django.db import connections

    port = free_port()
    # This process's own settings, with the same secret key, so that the
    # sessions it makes are valid on the server.
    env = {**os.environ, "SITE_URL": f"https://{HOST}:{port}"}
    setup_log = run_dir / f"setup-{name}.log"
    server_log = run_dir / f"gunicorn-{name}.log"
    manage = [sys.executable, "manage.py"]

    connections.close_all()
    step(f"scratch database {reset_database(options.database_url, marker='bench')}")
    flush_cache(options.redis_url)
    run_step("migrate", [*manage, "migrate", "--noinput"], log=setup_log, env=env)
    started = time.monotonic()
    run_step(
        f"generate the {name} data set",
        [*manage, "generate_scale_data", f"--size={name}"],
        log=setup_log,
        env=env,
    )
    step(f"generated in {time.monotonic() - started:.0f} s")
    if not (run_dir / "static" / "staticfiles.json").exists():
        run_step(
            "collectstatic",
            [*manage, "collectstatic", "--noinput", "-v0"],
            log=setup_log,
            env=env,
        )

    # A database in use has been vacuumed and analysed; a freshly loaded one
    # would be, by autovacuum, in the middle of the measurements.
    step("VACUUM ANALYZE")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    size = Size(name=name, counts=data_counts())
    coordinator = smaller.lists.get("coordinator") if smaller else None
    who = accounts(like_rows=coordinator.rows_visible if coordinator else None)
    step(f"gunicorn with {options.workers} workers on http://{HOST}:{port}/")
    server = processes.start(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "wabp_portal.wsgi",
            f"--bind={HOST}:{port}",
            f"--workers={options.workers}",
            "--timeout=60",
            "--no-control-socket",
        ],
        log=server_log,
        env={**env, "DB_STATEMENT_TIMEOUT": "30"},
    )
    bare = None
    if name == size_names(options)[-1]:
        bare_port = free_port()
        step(f"bare Django, gunicorn with {options.workers} workers, port {bare_port}")
        bare = processes.start(
            "bare",
            [
                str(BIN / "gunicorn"),
                "loadtest.bare_django:application",
                f"--bind={HOST}:{bare_port}",
                f"--workers={options.workers}",
                "--timeout=60",
                "--no-control-socket",
            ],
            log=run_dir / "gunicorn-bare.log",
            env={**env, "DJANGO_SETTINGS_MODULE": "loadtest.bare_django"},
        )
    try:
        wait_until_ready(f"http://{HOST}:{port}/", server, server_log)
        if bare is not None:
            wait_until_ready(
                f"http://{HOST}:{bare_port}/benchmark/floor/",
                bare,
                run_dir / "gunicorn-bare.log",
            )
        for role, (_user, rows, path) in who.items():
            step(f"{role}: {path} ({rows} rows)")
        step(f"{options.samples} requests of each list, taking turns")
        timings = time_lists(
            port,
            {
                role: (logged_in_cookie(user), path)
                for role, (user, _rows, path) in who.items()
            },
            options.samples,
        )
        for role, (user, rows, path) in who.items():
            timing = ListTiming(name=role, path=path, rows_visible=rows)
            timing.timings_ms = timings[role]
            size.lists[role] = timing
            size.plans += query_plans(user, path, f"{role}: {path}")
        if bare is not None:
            measure_throughput(size, options, port, bare_port, run_dir)
            size.worker_memory_mib = worker_memory_mib(server.pid)
            size.signup_queries = signup_queries()
            size.profile = middleware_profile(options.profile_requests)
    finally:
        processes.stop("gunicorn")
        processes.stop("bare")
    alarms = log_alarms(server_log)
    if alarms:
        raise SystemExit("errors in the server's log:\n  " + "\n  ".join(alarms[:20]))
    return size


def size_names(options: Options) -> list[str]:
    return [name.strip() for name in options.sizes if name.strip()]


def measure_throughput(
    size: Size, options: Options, port: int, bare_port: int, run_dir: Path
):
    """The floors, pages, the finder and signups, with the national data."""
    from django.urls import reverse

    from groups.models import Municipality
    from registrations.models import HouseRules, Signup

    slugs = list(Municipality.objects.values_list("slug", flat=True))
    pages = {
        "home": ["/"],
        "municipality": [f"/gemeente/{slug}/" for slug in slugs],
        # Each zone's current house rules, at the address of their version
        # (with several zones, /huishoudelijk-reglement/ asks for the
        # municipality first).
        "house rules": [
            reverse("registrations:house-rules-version", args=[pk])
            for pk in HouseRules.objects.current().values_list("pk", flat=True)
        ],
    }
    files = {
        "floor": write_lines(run_dir / "floor.txt", ["/benchmark/floor/"]),
        **{
            name: write_lines(run_dir / f"{name.replace(' ', '-')}.txt", paths)
            for name, paths in pages.items()
        },
        "finder": write_lines(
            run_dir / "finder.txt", [urlencode(each) for each in finder_searches()]
        ),
    }
    # Each page a few times first, as a site that has been up for a while
    # has them in its cache: the run measures serving pages, not the first
    # visits (each worker keeps what it serves; wrk's warm-up does the rest).
    for path in [path for paths in pages.values() for path in paths]:
        time_page(port, path)
    size.runs.update(
        wrk_taking_turns(
            options,
            {
                "bare": (bare_port, ["get", str(files["floor"])]),
                "floor": (port, ["get", str(files["floor"])]),
                **{name: (port, ["get", str(files[name])]) for name in pages},
                "finder throughput": (port, ["finder", str(files["finder"])]),
            },
        )
    )
    run_id = secrets.token_hex(4)
    forms = write_lines(run_dir / "signups.txt", signup_forms())
    step(f"wrk: signup POST, {options.connections} connections")
    size.runs["signup"] = wrk(
        options,
        port,
        "signup",
        ["signup", str(forms), run_id],
        connections=options.connections,
    )
    # Only the measured run's residents (phase 1), not the warm-up's.
    size.signups_stored = Signup.objects.filter(
        email__startswith=f"bench-{run_id}-1-"
    ).count()
    step("wrk: finder, 1 connection (latency, not throughput)")
    size.runs["finder"] = wrk(
        options, port, "finder", ["finder", str(files["finder"])], connections=1
    )
    size.plans += query_plans(None, FINDER, "finder", data=finder_searches(1)[0])


def worker_memory_mib(master: int) -> list[float]:
    """The resident memory (VmRSS, MiB) of each worker of a gunicorn master."""
    children = Path(f"/proc/{master}/task/{master}/children")
    memory = []
    for pid in children.read_text().split():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                memory.append(int(line.split()[1]) / 1024)
    return sorted(memory)


def single_cover_form() -> list[str]:
    """A line of ``signup_forms`` whose address only its own group covers.

    An address another group covers too is answered with the form again,
    asking which group (no signup to count). Checked without the portal's
    cache, so the counted signup looks its address and group up as a new
    resident's does.
    """
    from groups.models import Street, WhatsAppGroup

    for line in signup_forms(50):
        group, municipality, _rules, postcode, street, number = line.split("\t")
        streets = Street.objects.filter(
            municipality=municipality, name=street, postcode=postcode
        )
        covering = WhatsAppGroup.objects.published().covering(
            list(streets.values_list("pk", flat=True)), int(number)
        )
        if list(covering.values_list("pk", flat=True)) == [int(group)]:
            return line.split("\t")
    raise SystemExit("no address that only its own group covers")


def signup_queries() -> list[str]:
    """The statements of one signup POST, as Django sends them, shortened to
    what they do (``INSERT INTO "registrations_signup"``): no values."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    line = single_cover_form()
    data = {
        "role": "participant",
        "group": line[0],
        "municipality": line[1],
        "house_rules": line[2],
        "postcode": line[3],
        "street_name": line[4],
        "house_number": line[5],
        "first_name": "Bench",
        "last_name": "Queries",
        "phone": "0468999999",
        "email": f"bench-queries-{secrets.token_hex(4)}@example.org",
        "accept_house_rules": "on",
        "accept_privacy": "on",
    }
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/aanmelden/", data, secure=True, headers={"host": HOST})
    if response.status_code != 302:
        raise SystemExit(f"the counted signup answered {response.status_code}")
    return [query_shape(query["sql"]) for query in queries.captured_queries]


def query_shape(sql: str) -> str:
    """What a statement does, without its values: verb and first table."""
    words = sql.split()
    verb = words[0].upper()
    if verb == "SELECT" and "FROM" in words:
        table = words[words.index("FROM") + 1]
        return f"SELECT … FROM {table}"
    if verb in ("INSERT", "DELETE") and len(words) > 2:
        return f"{verb} {words[1]} {words[2]}"
    if verb == "UPDATE" and len(words) > 1:
        return f"UPDATE {words[1]}"
    return verb


def middleware_profile(requests: int) -> dict:
    """loadtest/middleware_profile.py in a process of its own, as the server
    is set up (production mode)."""
    step("profile: the middleware stack, layer by layer")
    result = subprocess.run(  # nosec B603
        [sys.executable, "-m", "loadtest.middleware_profile", str(requests)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def wrk_taking_turns(
    options: Options, targets: dict[str, tuple[int, list[str]]]
) -> dict[str, Run]:
    """wrk on each target in turn, BENCH_ROUNDS times; each target's sum.

    The shared machine's speed moves within a minute: one run after the
    other, a page could be measured in a slow moment and the floor in a fast
    one. Taking turns, every moment weighs on each alike.
    """
    rounds = max(1, options.rounds)
    seconds = max(1, options.seconds // rounds)
    runs: dict[str, list[Run]] = {name: [] for name in targets}
    step(
        f"wrk: {', '.join(targets)} taking turns, {rounds} × {seconds} s each, "
        f"{options.connections} connections"
    )
    for turn in range(rounds):
        for name, (port, args) in targets.items():
            runs[name].append(
                wrk(
                    options,
                    port,
                    name,
                    args,
                    connections=options.connections,
                    seconds=seconds,
                    warm_up=turn == 0,
                )
            )
    return {name: Run.combined(turns) for name, turns in runs.items()}


def verdict(met: bool) -> str:
    return "yes" if met else "NO"


def report(sizes: list[Size], options: Options) -> tuple[str, list[str]]:
    """The table (Markdown) and the problems found (failed requests, rows)."""
    problems: list[str] = []
    large = sizes[-1]
    small = sizes[0] if len(sizes) > 1 else None
    rows = [
        ("measure", "value", "reference", "ratio", "goal", "met"),
    ]
    bare = large.runs.get("bare")
    floor = large.runs.get("floor")
    if bare:
        rows.append(
            (
                "bare Django view, requests/s",
                f"{bare.rps:,.0f}",
                "",
                "1",
                "",
                "",
            )
        )
    for name, label, goal in (
        ("floor", "empty view through the portal's middleware", STACK_GOAL),
        *((page, f"{page} page (cached)", PAGE_GOAL) for page in PAGES),
        ("finder throughput", "finder result", FINDER_GOAL),
    ):
        run = large.runs.get(name)
        if run and bare:
            ratio = run.rps / bare.rps
            rows.append(
                (
                    f"{label}, requests/s",
                    f"{run.rps:,.0f}",
                    f"bare {bare.rps:,.0f}"
                    + (
                        f"; in-stack {run.rps / floor.rps:.2f}"
                        if floor and run is not floor
                        else ""
                    ),
                    f"{ratio:.2f}",
                    f"≥ {goal}",
                    verdict(ratio >= goal),
                )
            )
    signup = large.runs.get("signup")
    if signup and floor:
        ratio = signup.rps / floor.rps
        rows.append(
            (
                "signup POST, requests/s",
                f"{signup.rps:,.0f}",
                f"in-stack floor {floor.rps:,.0f}"
                + (f"; bare {signup.rps / bare.rps:.3f}" if bare else ""),
                f"{ratio:.3f}",
                f"≥ {SIGNUP_GOAL} (before: {SIGNUP_BEFORE})",
                verdict(ratio >= SIGNUP_GOAL),
            )
        )
        sent = signup.answered(302)
        # wrk stops with a request under way on each connection: the server
        # finishes and stores those, but their answers are never counted.
        in_flight = large.signups_stored - sent
        stored_once = 0 <= in_flight <= options.connections
        rows.append(
            (
                "signups stored = answered “sent”",
                f"{large.signups_stored:,}",
                f"sent {sent:,} + {in_flight} under way at the stop",
                "",
                "equal, 0 errors",
                verdict(stored_once and not signup.errors),
            )
        )
        if not stored_once:
            problems.append(
                f"{large.signups_stored} signups stored for {sent} answered "
                f"'sent' and at most {options.connections} under way at the stop"
            )
    if large.signup_queries:
        rows.append(
            (
                "queries per signup POST",
                f"{len(large.signup_queries)}",
                "listed below",
                "",
                "fewer (round trips)",
                "",
            )
        )
    if large.worker_memory_mib:
        memory = large.worker_memory_mib
        rows.append(
            (
                "gunicorn worker memory at the end, MiB",
                f"{min(memory):.0f}–{max(memory):.0f}",
                f"{len(memory)} workers",
                "",
                "reported",
                "",
            )
        )
    finder = large.runs.get("finder")
    if finder:
        rows.append(
            (
                "finder p50 / p95, ms",
                f"{finder.p50_ms:.1f} / {finder.p95_ms:.1f}",
                f"{large.counts['streets']:,} streets",
                "",
                f"p95 < {FINDER_P95_GOAL_MS}",
                verdict(finder.p95_ms < FINDER_P95_GOAL_MS),
            )
        )
    for role, label in (
        ("coordinator", "coordinator's waiting signups"),
        ("staff", "staff's list of signups"),
    ):
        timing = large.lists.get(role)
        if timing is None:
            continue
        goal = LIST_GOALS_MS[role]
        rows.append(
            (
                f"{label}, median ms",
                f"{timing.median_ms:.1f}",
                f"{large.counts['signups']:,} signups",
                "",
                f"< {goal}",
                verdict(timing.median_ms < goal),
            )
        )
        if small and role in small.lists:
            # Lists of the same length, where the sizes give one (see accounts).
            same = large.lists.get(SAME_ROWS) if role == "coordinator" else None
            compared = same or timing
            ratio = compared.median_ms / small.lists[role].median_ms
            rows.append(
                (
                    f"{label}, large ÷ small"
                    + (
                        f" ({same.rows_visible} and "
                        f"{small.lists[role].rows_visible} rows)"
                        if same
                        else ""
                    ),
                    f"{compared.median_ms:.1f} ÷ {small.lists[role].median_ms:.1f} ms",
                    f"{small.counts['signups']:,} signups",
                    f"{ratio:.2f}",
                    f"≤ {LIST_RATIO_GOAL}",
                    verdict(ratio <= LIST_RATIO_GOAL),
                )
            )
    for size in sizes:
        for run in size.runs.values():
            if run.errors:
                problems.append(
                    f"{run.name}: {run.errors} failed requests "
                    f"(answers: {run.statuses}, socket errors {run.socket_errors})"
                )
    return markdown_table(rows), problems


def markdown_table(rows: list[tuple]) -> str:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append(
                "| "
                + " | ".join(
                    "-" * width if i == 0 else "-" * (width - 1) + ":"
                    for i, width in enumerate(widths)
                )
                + " |"
            )
    return "\n".join(lines)


def machine(options: Options) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk_version = subprocess.run(  # nosec B603 B607
        ["wrk", "--version"], capture_output=True, text=True
    ).stdout.split()[1]
    return (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, PostgreSQL {postgres.split()[0]}, "
        f"gunicorn {options.workers} sync workers, wrk {wrk_version} with "
        f"{options.connections} connections and {options.threads} thread(s) on "
        f"the same machine, {options.seconds} s per run after 3 s of warm-up "
        f"(the floor and the pages in {options.rounds} turns)"
    )


def write_report(
    sizes: list[Size], table: str, options: Options, machine_line: str
) -> None:
    counts = "; ".join(
        f"**{size.name}**: "
        + ", ".join(f"{value:,} {key}" for key, value in size.counts.items())
        for size in sizes
    )
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (loadtest/bench.py); run it again to refresh.",
        "Two floors, measured in the same run, taking turns with the pages: the",
        "**bare** floor is a separate Django app (loadtest/bare_django.py: one",
        "view behind only SecurityMiddleware and CommonMiddleware) served by a",
        "second gunicorn with the same settings; the **in-stack** floor is the",
        "same empty view served by the portal, through its whole middleware",
        "(`/benchmark/floor/`). A throughput divided by the bare floor's says what",
        "the portal costs over Django itself, whatever the machine.",
        "",
        f"Run of {datetime.now():%Y-%m-%d %H:%M}: {machine_line}.",
        "",
        f"Data: {counts}.",
        "",
        table,
        "",
        "Lists, per data set (milliseconds, sequential requests of a "
        "logged-in user; rows = signups that user may see):",
        "",
    ]
    list_rows = [("data set", "list", "rows", "median", "p95")]
    for size in sizes:
        for timing in size.lists.values():
            list_rows.append(
                (
                    size.name,
                    f"{timing.name}: `{timing.path}`",
                    f"{timing.rows_visible:,}",
                    f"{timing.median_ms:.1f}",
                    f"{timing.p95_ms:.1f}",
                )
            )
    lines += [markdown_table(list_rows), ""]
    runs = sizes[-1].runs
    if runs:
        run_rows = [("run", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms")]
        for run in runs.values():
            run_rows.append(
                (
                    run.name,
                    f"{run.requests:,}",
                    f"{run.rps:,.0f}",
                    f"{run.p50_ms:.1f}",
                    f"{run.p95_ms:.1f}",
                    f"{run.p99_ms:.1f}",
                )
            )
        lines += ["wrk runs with the national data:", "", markdown_table(run_rows), ""]
    large = sizes[-1]
    if large.profile:
        lines += profile_section(large.profile)
    if large.signup_queries:
        lines += [
            "## The queries of one signup POST",
            "",
            f"{len(large.signup_queries)} statements, in order (counted with the "
            "national data; tests/registrations pins the number):",
            "",
            *[
                f"{number}. `{shape}`"
                for number, shape in enumerate(large.signup_queries, 1)
            ],
            "",
        ]
    if large.worker_memory_mib:
        lines += [
            "## Memory",
            "",
            "Resident memory (VmRSS) of each portal gunicorn worker after the "
            "national run: "
            + ", ".join(f"{mib:.0f} MiB" for mib in large.worker_memory_mib)
            + ". `make soak` samples it at the start and the end of its run "
            "(see the README).",
            "",
        ]
    lines += [
        "## Query plans",
        "",
        "The slowest queries of each page measured, with the plan PostgreSQL",
        "chose and ran (EXPLAIN ANALYZE), on the data set named.",
        "",
    ]
    for size in sizes:
        for title, sql, plan in size.plans:
            lines += [
                f"### {size.name}: {title}",
                "",
                "```sql",
                sql,
                "```",
                "",
                "```",
                plan,
                "```",
                "",
            ]
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text("\n".join(lines), encoding="utf-8")


def profile_section(profile: dict) -> list[str]:
    """The middleware profile as Markdown: per request kind, per layer."""
    lines = [
        "## Where a request's microseconds go",
        "",
        "loadtest/middleware_profile.py: Django's WSGI handler called in one "
        f"process, no server or socket, {profile['requests']:,} anonymous "
        f"cookie-less GETs per measure, {profile['rounds']} rounds taking turns "
        "(the median round). With a stopwatch between every two layers, a "
        "layer's own time is its stopwatch's minus the next one's (each row "
        "includes a stopwatch, a fraction of a microsecond).",
        "",
    ]
    summary = [("request", "portal stack µs", "bare (2 middleware) µs", "none µs")]
    for name, figures in profile["paths"].items():
        summary.append(
            (
                f"{name} `{figures['path']}`",
                f"{figures['us']['portal']:.0f}",
                f"{figures['us']['bare']:.0f}",
                f"{figures['us']['none']:.0f}",
            )
        )
    lines += [markdown_table(summary), ""]
    names = list(profile["paths"])
    rows = [("layer", *(f"{name} µs" for name in names))]
    layers = [profile["paths"][name]["layers_us"] for name in names]
    for index, (layer, _us) in enumerate(layers[0]):
        rows.append((layer, *(f"{each[index][1]:.1f}" for each in layers)))
    lines += [markdown_table(rows), ""]
    return lines


def main() -> int:
    if shutil.which("wrk") is None:
        print("make bench needs wrk: apt-get install wrk")
        return 2
    options = Options.from_environment()
    run_dir = Path(tempfile.mkdtemp(prefix="wabp-bench-"))
    processes = Processes()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sizes: list[Size] = []
    try:
        os.environ.update(
            server_environment(
                database_url=options.database_url,
                redis_url=options.redis_url,
                port=0,
                static_root=run_dir / "static",
            ),
            BENCHMARK_FLOOR_VIEW="1",
            # Generating the national data and its indexes takes longer than
            # a request may; the server gets its limit back below.
            DB_STATEMENT_TIMEOUT="0",
        )
        import django

        django.setup()
        for name in size_names(options):
            smaller = sizes[-1] if sizes else None
            sizes.append(bench_size(name, options, run_dir, processes, smaller))
        table, problems = report(sizes, options)
        machine_line = machine(options)
    except KeyboardInterrupt:
        print("\nInterrupted: servers stopped, no figures.")
        return 130
    except (subprocess.CalledProcessError, SystemExit) as error:
        processes.stop_all()
        detail = getattr(error, "stderr", None) or ""
        print(f"\nBENCHMARK FAILED: {error}\n{detail}\nLogs: {run_dir}")
        for log in sorted(run_dir.glob("*.log")):
            print(f"--- {log.name}\n{tail(log, 15)}")
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        processes.stop_all()
    write_report(sizes, table, options, machine_line)
    print(f"\nBenchmark {datetime.now():%Y-%m-%d %H:%M}: {machine_line}\n")
    print(table)
    print(f"\nWritten to {options.output}, with the query plans; logs in {run_dir}")
    if problems:
        print("\nBENCHMARK FAILED:")
        for problem in problems:
            print(f"- {problem}")
        return 1
    shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
