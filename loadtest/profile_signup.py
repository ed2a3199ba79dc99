"""Profile the e-loket's signup POST in one process: time, queries, cProfile.

    DATABASE_URL=postgres://…/<db> .venv/bin/python -m loadtest.profile_signup

On the database of ``DATABASE_URL`` (PostgreSQL; it must hold networks, from
``manage.py generate_scale_data --size small`` or ``manage.py load_demo``)
it POSTs ``PROFILE_SIGNUPS`` new residents (200) to ``/aanmelden/`` through
``django.test.Client``, with every middleware, in production mode as
``make bench`` serves it (``loadtest.harness.server_environment``: Redis for
the cache at ``PROFILE_REDIS_URL``, the rate limits raised), and prints:

- the mean milliseconds per signup (after ``PROFILE_WARMUP`` to warm up), by
  the clock and in CPU: this process's, its PostgreSQL backend's and the
  Redis server's (``/proc``; steadier than the clock on a shared machine, and
  together what a signup costs the machine, the web server's own parsing
  aside),
- the queries of one signup, counted and listed (``CaptureQueriesContext``),
- cProfile's top 25 by cumulative time over another round of signups.

The form body is the one ``loadtest/bench.lua`` sends: a published group, an
address its region covers, the current house rules, a new e-mail address and
mobile number each time. Every signup is stored (they are new residents of a
scratch database); the script checks that each POST answered "sent" and that
each stored one confirmation mail in the outbox.
"""

import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from loadtest.harness import HOST, server_environment

SIGNUPS = int(os.environ.get("PROFILE_SIGNUPS") or 200)
TOP = int(os.environ.get("PROFILE_TOP") or 25)
BATCH = 25
WARMUP = int(os.environ.get("PROFILE_WARMUP") or 20)
REDIS_URL = os.environ.get("PROFILE_REDIS_URL") or "redis://127.0.0.1:6379/9"


def setup() -> None:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database with networks")
    os.environ.update(
        server_environment(
            database_url=database_url,
            redis_url=REDIS_URL,
            port=443,
            static_root=Path(
                os.environ.get("STATIC_ROOT") or "/tmp/wabp-static-signup"
            ),
        )
    )
    # Production's own file logging is not what is measured here.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def forms(count: int) -> list[dict[str, str]]:
    """Groups with an address their region covers, as ``make bench`` picks them."""
    from groups.models import Municipality
    from loadtest.bench import signup_forms
    from registrations.services import locate_address

    rows = []
    for line in signup_forms(count):
        group, municipality, _rules, _postcode, street, number = line.split("\t")
        # Only addresses no other group covers: the form is not asked again
        # ("another group covers your address"), every POST is a signup.
        covering = locate_address(
            Municipality.objects.get(pk=municipality), street, number, _postcode
        ).groups
        if [str(covered.pk) for covered in covering] == [group]:
            rows.append(line.split("\t"))
    if not rows:
        raise SystemExit("no published group with a covered street: load data first")
    return [
        {
            "group": group,
            "municipality": municipality,
            "house_rules": rules,
            "postcode": postcode,
            "street_name": street,
            "house_number": number,
        }
        for group, municipality, rules, postcode, street, number in rows
    ]


class Signups:
    """Form bodies of new residents, as bench.lua makes them."""

    def __init__(self) -> None:
        self.run = secrets.token_hex(3)
        # The first three digits of the run's mobile numbers, the signup's
        # number the last three (a run sends at most 999).
        self.prefix = secrets.randbelow(1000)
        self.sent = 0
        self.lines = forms(2000)

    def next(self) -> dict[str, str]:
        self.sent += 1
        n = self.sent
        line = self.lines[(n * 7919) % len(self.lines)]
        return {
            "role": "participant",
            **line,
            "box": "",
            "first_name": "Bench",
            "last_name": "Resident",
            # 0468 RR RN NN: a Belgian mobile number, new in this run.
            "phone": f"0468{self.prefix:03d}{n % 1000:03d}",
            "email": f"profile-{self.run}-{n}@example.org",
            "accept_house_rules": "on",
            "accept_privacy": "on",
            "proposed_group_name": "",
            "proposed_area": "",
            "website": "",
        }


def cpu_seconds(pid: int) -> float:
    """A process's user and system CPU so far, from ``/proc/<pid>/stat``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pids() -> dict[str, int]:
    """The PostgreSQL backend of this process's connection, and Redis's pid."""
    from django.core.cache import cache
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    pids = {"PostgreSQL": backend}
    try:
        redis = cache._cache.get_client().info("server")["process_id"]
    except Exception:  # not Redis, or not on this machine
        return pids
    if Path(f"/proc/{redis}/stat").exists():
        pids["Redis"] = redis
    return pids


def client():
    from django.test import Client

    # As wrk through the load balancer: HTTPS said by the proxy's header.
    return Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST=HOST)


def post(browser, signups: Signups) -> None:
    # Form-encoded, as wrk sends it (the test client would send multipart).
    response = browser.post(
        "/aanmelden/",
        urlencode(signups.next()),
        content_type="application/x-www-form-urlencoded",
    )
    if response.status_code != 302 or "/aanmelden/verstuurd/" not in response.get(
        "Location", ""
    ):
        form = (response.context or {}).get("form")
        raise SystemExit(
            f"form errors: {sorted(form.errors) if form else None}; "
            f"signup not answered 'sent': {response.status_code} "
            f"{response.get('Location', '')}"
        )


def main() -> int:
    setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from post_office.models import Email

    from registrations.models import Signup

    signups = Signups()
    browser = client()
    signups_before = Signup.objects.count()
    mails_before = Email.objects.count()

    for _ in range(WARMUP):
        post(browser, signups)

    servers = server_pids()
    servers_started = {name: cpu_seconds(pid) for name, pid in servers.items()}
    started, cpu_started = time.perf_counter(), time.process_time()
    # The fastest batch of BATCH signups too: on a shared machine, the mean
    # carries whatever else ran meanwhile.
    best = float("inf")
    for batch in range(0, SIGNUPS, BATCH):
        batch_started = time.perf_counter()
        for _ in range(min(BATCH, SIGNUPS - batch)):
            post(browser, signups)
        size = min(BATCH, SIGNUPS - batch)
        best = min(best, (time.perf_counter() - batch_started) / size)
    elapsed = time.perf_counter() - started
    # This process's CPU alone: steadier than the clock on a shared machine.
    cpu = time.process_time() - cpu_started
    servers_cpu = {
        name: cpu_seconds(pid) - servers_started[name] for name, pid in servers.items()
    }

    with CaptureQueriesContext(connection) as queries:
        post(browser, signups)
    # Read now: captured_queries reads the connection's log, which the next
    # request empties (request_started).
    captured = list(queries.captured_queries)

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(SIGNUPS):
        post(browser, signups)
    profiler.disable()

    stored = Signup.objects.count() - signups_before
    mails = Email.objects.count() - mails_before
    print(f"signups POSTed: {signups.sent}, stored: {stored}, mails queued: {mails}")
    if stored != signups.sent or mails != signups.sent:
        print("MISMATCH: every signup must be stored once with one mail")
        return 1
    print(
        f"mean per signup: {elapsed / SIGNUPS * 1000:.2f} ms, of which "
        f"{cpu / SIGNUPS * 1000:.2f} ms this process's CPU ({SIGNUPS} signups); "
        f"fastest batch of {BATCH}: {best * 1000:.2f} ms"
    )
    for name, seconds in servers_cpu.items():
        print(f"  {name}: {seconds / SIGNUPS * 1000:.2f} ms CPU per signup")
    total = cpu + sum(servers_cpu.values())
    print(f"  together: {total / SIGNUPS * 1000:.2f} ms CPU per signup")
    print(f"queries per signup: {len(captured)}")
    for number, query in enumerate(captured, 1):
        print(f"  {number:2}. {query['sql'][:200]}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(TOP)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
