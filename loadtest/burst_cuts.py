"""A burst of database cuts under load: is every database error a 503?

Run by hand, not in CI (about two minutes, most of it setting up):

    .venv/bin/python -m loadtest.burst_cuts

It creates a scratch PostgreSQL database, migrates it and loads the demo data,
then serves the portal with gunicorn in production mode (DEBUG off,
``deploy/gunicorn.conf.py``, 2 workers with threads, persistent connections
with health checks) reaching the database through ``tests.pgproxy.PgProxy``,
a TCP proxy in this process that can cut every connection on command. A few
client threads drive a mixed load on loopback for BURST_SECONDS: the home
page, the e-loket form (its group list reads the database), the finder's
look-ups (POSTs) and street suggestions (JSON), and signups (GET the form
for its CSRF token, POST it; after a 503 the resident sends the same form
again, as the page asks). Meanwhile the proxy cuts all database connections
BURST_CUTS times at random moments, each time keeping the database away for
a random moment of up to BURST_DOWN_MS; the last seconds run without cuts,
to see the portal recover.

How to read the output. The table counts the answers per kind of request:
``ok`` is the expected answer (200, or the redirect to the "sent" page for a
signup), ``503`` the "briefly unavailable" page, ``5xx other`` any other
server error (the goal is 0: each one is listed below the table with its
path, and with the exception class and frames from gunicorn's log, never a
message or anything personal), ``other`` anything else (a 403, a form sent
back with errors), ``conn err`` a request that got no answer at all. Then
the signups: every signup answered with the redirect to the "sent" page must
be in the database exactly once (``lost``: not at all, ``duplicated``: more
than once) and none may be half stored (a signup without its status record
or its confirmation mail in the outbox, or a mail without its signup). A
signup whose resident saw only 503s may still be stored: the database
committed it and the connection was cut before the answer came back; that is
counted ("stored unseen"), not an error. Last, recovery: how long after the
last cut the first request that needs the database was answered normally,
and when the last 503 came.

It exits non-zero on any non-503 5xx, any request without an answer, any
lost, duplicated or half-stored signup. The logs stay in the run's directory
(printed at the end); the scratch database is dropped unless BURST_KEEP=1.

Settings (environment):

    BURST_SECONDS       how long the load runs (60); the cuts fall between
                        5 s and 15 s before its end
    BURST_CUTS          cuts of all database connections (100)
    BURST_DOWN_MS       the longest a cut keeps the database away (200)
    BURST_CLIENTS       client threads (6)
    BURST_WORKERS       gunicorn workers (2) ...
    BURST_THREADS       ... and threads per worker (4)
    BURST_SEED          seed of the random moments and choices (random)
    BURST_DATABASE_URL  the scratch database, DROPPED and created again
                        (postgres://postgres@127.0.0.1:5432/wabp_burst)
    BURST_REDIS_URL     cache and sessions, FLUSHED first, as in production
                        (redis://127.0.0.1:6379/12); empty: no Redis, so a
                        cache per process and the sessions in the database
    BURST_KEEP          1 to keep the scratch database afterwards
"""

import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests

from loadtest.harness import (
    HOST,
    ROOT,
    Processes,
    drop_database,
    env_int,
    flush_cache,
    free_port,
    reset_database,
    run_step,
    server_environment,
    step,
    tail,
    wait_until_ready,
)

GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
APPLICATION_NAME = "wabp-burst"
SIGNUP_PATH = "/aanmelden/"
SENT_PATH = "/aanmelden/verstuurd/"
FINDER_PATH = "/zoek-je-groep/"
# What the finder asks while a resident types (JSON).
SUGGESTIONS_PATH = "/zoek-je-groep/straten/"
# Cuts start this long after the load, and stop this long before its end.
WARM_UP_SECONDS = 5
CALM_SECONDS = 15
# A visitor who got the 503 page sends the same form again, at most this often.
SIGNUP_ATTEMPTS = 5
RETRY_PAUSE_SECONDS = 0.5
CLIENT_TIMEOUT = 45
# Kinds of request, with the weight of each action of a client.
ACTIONS = {"home": 2, "form": 2, "finder": 3, "suggestions": 1, "signup": 2}
KINDS = ("home", "form", "finder", "suggestions", "signup form", "signup post")
# Kinds whose answer needs the database (the home page may come from the cache).
NEEDS_DATABASE = {"form", "finder", "suggestions", "signup form", "signup post"}
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Options:
    seconds: int
    cuts: int
    down_ms: int
    clients: int
    workers: int
    threads: int
    seed: int
    database_url: str
    redis_url: str
    keep: bool

    @classmethod
    def from_environment(cls) -> "Options":
        options = cls(
            seconds=env_int("BURST_SECONDS", 60),
            cuts=env_int("BURST_CUTS", 100),
            down_ms=int(os.environ.get("BURST_DOWN_MS") or 200),
            clients=env_int("BURST_CLIENTS", 6),
            workers=env_int("BURST_WORKERS", 2),
            threads=env_int("BURST_THREADS", 4),
            seed=env_int("BURST_SEED", random.SystemRandom().randrange(10**6)),
            database_url=os.environ.get("BURST_DATABASE_URL")
            or "postgres://postgres@127.0.0.1:5432/wabp_burst",
            redis_url=os.environ.get("BURST_REDIS_URL", "redis://127.0.0.1:6379/12"),
            keep=os.environ.get("BURST_KEEP") == "1",
        )
        if options.seconds < WARM_UP_SECONDS + CALM_SECONDS + 5:
            raise SystemExit(
                f"BURST_SECONDS must be at least {WARM_UP_SECONDS + CALM_SECONDS + 5}"
            )
        return options


@dataclass
class Answer:
    """One request: what it was, how it ended, when (monotonic seconds)."""

    kind: str
    path: str
    started: float
    ended: float
    status: int | None = None  # None: no answer (see ``error``)
    error: str = ""
    location: str = ""

    @property
    def ok(self) -> bool:
        if self.kind == "signup post":
            return self.status == 302 and self.location == SENT_PATH
        return self.status == 200

    @property
    def outcome(self) -> str:
        if self.status is None:
            return "conn err"
        if self.ok:
            return "ok"
        if self.status == 503:
            return "503"
        if self.status >= 500:
            return "5xx other"
        return "other"


@dataclass
class Resident:
    """One signup: how often its form was posted and whether it was sent."""

    email: str
    posts: int = 0
    sent: bool = False


@dataclass
class Load:
    """What the client threads share: the answers and the signups."""

    base_url: str
    secure: bool
    run_id: str
    signup_forms: list[dict]
    look_ups: list[dict]
    answers: list[Answer] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    numbers: Counter = field(default_factory=Counter)

    def new_number(self) -> int:
        with self.lock:
            self.numbers["resident"] += 1
            return self.numbers["resident"]


class Client:
    """One client thread: a browser that keeps clicking, without pauses."""

    def __init__(self, load: Load, seed: int) -> None:
        self.load = load
        self.random = random.Random(seed)
        self.session = requests.Session()
        origin = f"{'https' if load.secure else 'http'}://{load.base_url[7:]}"
        self.origin = origin
        self.session.headers.update(
            {
                "Accept-Language": "nl-BE,nl;q=0.9",
                "User-Agent": "wabp-burst-cuts",
                "Origin": origin,
                "Referer": origin + SIGNUP_PATH,
            }
        )
        if load.secure:
            # Production: the proxy in front ends TLS and says so.
            self.session.headers["X-Forwarded-Proto"] = "https"
        self.csrf_cookie = ""
        self.last_text = ""

    def request(self, kind: str, method: str, path: str, **kwargs) -> Answer:
        started = time.monotonic()
        answer = Answer(kind=kind, path=path, started=started, ended=started)
        if self.csrf_cookie:
            # The CSRF cookie is Secure in production and this client speaks
            # plain HTTP to gunicorn: send it back as the browser would.
            kwargs["cookies"] = {"csrftoken": self.csrf_cookie}
        try:
            response = self.session.request(
                method,
                self.load.base_url + path,
                timeout=CLIENT_TIMEOUT,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as error:
            answer.error = type(error).__name__
        else:
            answer.status = response.status_code
            answer.location = response.headers.get("Location", "")
            self.last_text = response.text
            cookie = response.cookies.get("csrftoken")
            if cookie:
                self.csrf_cookie = cookie
        answer.ended = time.monotonic()
        self.load.answers.append(answer)  # list.append is atomic
        return answer

    def run(self) -> None:
        actions, weights = zip(*ACTIONS.items(), strict=True)
        while not self.load.stop.is_set():
            action = self.random.choices(actions, weights)[0]
            if action == "home":
                self.request("home", "GET", "/")
            elif action == "form":
                self.request("form", "GET", SIGNUP_PATH)
            elif action == "finder":
                look_up = self.random.choice(self.load.look_ups)
                self.request("finder", "POST", FINDER_PATH, data=look_up)
            elif action == "suggestions":
                typed = self.random.choice(self.load.look_ups)["straat"][:4].lower()
                self.request(
                    "suggestions", "GET", SUGGESTIONS_PATH, params={"q": typed}
                )
            else:
                self.sign_up()
        self.session.close()

    def sign_up(self) -> None:
        """Fill in the e-loket for a new resident; send it again after a 503."""
        number = self.load.new_number()
        resident = Resident(email=f"burst-{self.load.run_id}-{number:06d}@example.org")
        self.load.residents.append(resident)
        form = dict(self.random.choice(self.load.signup_forms))
        form.update(
            email=resident.email,
            # 0468 is a Belgian mobile range; the demo data uses 0470.
            phone=f"0468 {number // 1000:03d} {number % 1000:03d}",
        )
        for _attempt in range(SIGNUP_ATTEMPTS):
            page = self.request("signup form", "GET", SIGNUP_PATH)
            token = CSRF_TOKEN.search(self.last_text) if page.status == 200 else None
            if token is None:
                if page.status not in (None, 503):
                    return  # something else is wrong: counted as "other"
                time.sleep(RETRY_PAUSE_SECONDS)
                continue
            resident.posts += 1
            answer = self.request(
                "signup post",
                "POST",
                SIGNUP_PATH,
                data={**form, "csrfmiddlewaretoken": token.group(1)},
            )
            if answer.ok:
                resident.sent = True
                return
            if answer.status not in (None, 503):
                return  # refused, not unavailable: counted as "other"
            time.sleep(RETRY_PAUSE_SECONDS)


@dataclass
class Cut:
    at: float
    restored: float


def cut_repeatedly(proxy, options: Options, rng: random.Random, started: float):
    """Cut every connection ``options.cuts`` times, at random moments."""
    window = options.seconds - WARM_UP_SECONDS - CALM_SECONDS
    moments = sorted(rng.uniform(0, window) for _ in range(options.cuts))
    cuts = []
    for moment in moments:
        delay = started + WARM_UP_SECONDS + moment - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        at = time.monotonic()
        proxy.cut()
        time.sleep(rng.uniform(0, options.down_ms / 1000))
        proxy.restore()
        cuts.append(Cut(at=at, restored=time.monotonic()))
    return cuts


def demo_forms(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Valid e-loket forms (address in the group's region) and finder look-ups."""
    from groups.models import RegionStreet, WhatsAppGroup
    from registrations.models import HouseRules
    from registrations.services import locate_address
    from tests.eloket import eloket_form

    forms, look_ups = [], []
    current = {rules.zone_id: rules for rules in HouseRules.objects.current()}
    groups = WhatsAppGroup.objects.published().select_related("municipality")
    for group in groups:
        rules = current.get(group.municipality.zone_id)
        if rules is None:
            continue
        coverage = RegionStreet.objects.filter(region=group.region_id).select_related(
            "street"
        )
        for covered in coverage[:5]:
            low = covered.number_from or 1
            high = covered.number_to or low + 100
            number = str(rng.randint(low, high))
            look_ups.append({"straat": covered.street.name, "nummer": number})
            address = locate_address(
                group.municipality,
                covered.street.name,
                number,
                covered.street.postcode,
            )
            if group in address.groups:
                forms.append(
                    eloket_form(
                        group,
                        rules,
                        street_name=covered.street.name,
                        house_number=number,
                        postcode=covered.street.postcode
                        if covered.street.postcode in group.municipality.postcode_list
                        else group.municipality.postcode_list[0],
                    )
                )
    # A street that nobody covers and one that does not exist: other pages.
    look_ups += [
        {"straat": "Nergensstraat", "nummer": "1"},
        {"straat": "Stationsstraat", "nummer": "999"},
    ]
    if not forms:
        raise SystemExit("the demo data has no group open for signups")
    return forms, look_ups


# A log record starts with a time: Django's (2026-01-31 10:00:00,123 ERROR …)
# or gunicorn's own ([2026-01-31 10:00:00 +0000] [123] [ERROR] …).
# Python's own note on an error it could not raise (a generator closed as it
# is collected) starts one too.
RECORD_START = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} |\[\d{4}-\d\d-\d\d "
    r"|Exception ignored in: )"
)
EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*)(?::|$)")
# gunicorn's master on a worker that hung or died (not one stopped at the end).
WORKER_LOST = (
    "WORKER TIMEOUT",
    "was sent SIGKILL",
    "exited with code",
    "failed to boot",
)
FRAME_LINE = re.compile(r'^\s+File "([^"]+)", line (\d+), in (\S+)')


def log_records(log: Path) -> list[list[str]]:
    records: list[list[str]] = []
    for line in log.read_text(errors="replace").splitlines():
        if RECORD_START.match(line) or not records:
            records.append([line])
        else:
            records[-1].append(line)
    return records


def short_path(path: str) -> str:
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1]
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return path


def describe_traceback(lines: list[str]) -> str:
    """The exception classes of the chain and where the last one was raised.

    Only class names, files and line numbers: no message, which could quote
    data (the log is redacted, but this output is meant to be pasted).
    """
    chain: list[tuple[str, list[tuple[str, str, str]]]] = []
    frames: list[tuple[str, str, str]] = []
    for line in lines[1:]:
        frame = FRAME_LINE.match(line)
        if frame:
            frames.append(frame.groups())
            continue
        exception = EXCEPTION_LINE.match(line)
        if exception and exception.group(1) not in ("Traceback", "During", "The"):
            chain.append((exception.group(1), frames))
            frames = []
    if not chain:
        return "no traceback"
    text = " -> ".join(name for name, _frames in chain)
    last_frames = chain[-1][1]
    if last_frames:
        path, line, function = last_frames[-1]
        text += f"; raised at {short_path(path)}:{line} in {function}"
    own = [f for f in last_frames if str(ROOT) in f[0] and ".venv" not in f[0]]
    if own and own[-1] != last_frames[-1]:
        path, line, function = own[-1]
        text += f" (last project frame {short_path(path)}:{line} in {function})"
    return text


def server_errors(log: Path) -> tuple[list[str], Counter]:
    """The non-503 server errors in gunicorn's log, and counts of its kinds."""
    errors, kinds = [], Counter()
    for record in log_records(log):
        head = record[0]
        if "Service Unavailable: " in head:
            kinds["503 logged"] += 1
        elif "Internal Server Error: " in head or "Error handling request" in head:
            kinds["500 logged"] += 1
            path = head.rsplit(": ", 1)[-1] if "Server Error: " in head else "?"
            errors.append(f"{path}: {describe_traceback(record)}")
        elif "Booting worker" in head:
            kinds["workers booted"] += 1
        elif any(sign in head for sign in WORKER_LOST):
            kinds["workers lost"] += 1
        elif head.startswith("Exception ignored in: "):
            # Raised where no request can see it: counted, not an error.
            kinds[f"ignored {describe_traceback(record)}"] += 1
        elif "Traceback (most recent call last)" in "\n".join(record):
            kinds["other tracebacks"] += 1
            errors.append(f"(no request) {head[:120]}: {describe_traceback(record)}")
    return errors, kinds


@dataclass
class SignupCheck:
    posted: int = 0
    sent: int = 0
    stored: int = 0
    lost: int = 0
    duplicated: int = 0
    half_stored: int = 0
    stored_unseen: int = 0
    orphan_mails: int = 0


def check_signups(load: Load) -> SignupCheck:
    """Every signup sent is stored once, with its status record and its mail."""
    from post_office.models import Email

    from registrations.models import Signup, StatusChange
    from registrations.notifications import SIGNUP_HEADER

    marker = f"burst-{load.run_id}-"
    rows: dict[str, list[int]] = defaultdict(list)
    for pk, email in Signup.objects.filter(email__startswith=marker).values_list(
        "pk", "email"
    ):
        rows[email].append(pk)
    pks = {pk for pks in rows.values() for pk in pks}
    changes = Counter(
        StatusChange.objects.filter(signup__in=pks).values_list("signup", flat=True)
    )
    mails: Counter = Counter()
    for headers, to in Email.objects.values_list("headers", "to"):
        signup = (headers or {}).get(SIGNUP_HEADER)
        if any(address.startswith(marker) for address in to or []):
            mails[int(signup) if signup else 0] += 1
    check = SignupCheck(stored=len(pks))
    for resident in load.residents:
        check.posted += resident.posts > 0
        stored = rows.get(resident.email, [])
        if resident.sent:
            check.sent += 1
            check.lost += not stored
        elif stored:
            check.stored_unseen += 1
        check.duplicated += max(0, len(stored) - 1)
    for pk in pks:
        check.half_stored += changes[pk] != 1 or not mails[pk]
    check.orphan_mails = sum(count for pk, count in mails.items() if pk not in pks)
    return check


def recovery(answers: list[Answer], last: Cut) -> tuple[float | None, float | None]:
    """Seconds from the last cut's end to the first normal answer that needed
    the database, and to the end of the last request that failed."""
    after = [a for a in answers if a.kind in NEEDS_DATABASE and a.ended > last.restored]
    first_ok = min(
        (a.ended for a in after if a.ok and a.started >= last.restored), default=None
    )
    last_failed = max(
        (a.ended for a in after if a.outcome in ("503", "5xx other", "conn err")),
        default=None,
    )
    return (
        None if first_ok is None else first_ok - last.restored,
        None if last_failed is None else last_failed - last.restored,
    )


def print_table(answers: list[Answer]) -> Counter:
    outcomes = ("ok", "503", "5xx other", "other", "conn err")
    header = f"{'request':<14} {'count':>6} " + " ".join(f"{o:>9}" for o in outcomes)
    print(header)
    print("-" * len(header))
    totals: Counter = Counter()
    for kind in KINDS:
        counts = Counter(a.outcome for a in answers if a.kind == kind)
        totals.update(counts)
        print(
            f"{kind:<14} {sum(counts.values()):>6} "
            + " ".join(f"{counts[o]:>9}" for o in outcomes)
        )
    print("-" * len(header))
    print(
        f"{'all':<14} {sum(totals.values()):>6} "
        + " ".join(f"{totals[o]:>9}" for o in outcomes)
    )
    return totals


def burst(options: Options, run_dir: Path, processes: Processes) -> list[str]:
    """Run it all; the list of what went wrong (empty: passed)."""
    from tests.pgproxy import PgProxy

    rng = random.Random(options.seed)
    run_id = f"{options.seed:06d}"
    port = free_port()
    secure = True
    env = server_environment(
        database_url=options.database_url,
        redis_url=options.redis_url,
        port=port,
        static_root=run_dir / "static",
    )
    env.update(DEBUG="0", MAIL_WORKER_EXPECTED="0")
    if not options.redis_url:
        env.pop("REDIS_URL")
    setup_log = run_dir / "setup.log"
    server_log = run_dir / "gunicorn.log"
    manage = [sys.executable, "manage.py"]

    step(f"scratch database {reset_database(options.database_url, marker='burst')}")
    if options.redis_url:
        flush_cache(options.redis_url)
    run_step("migrate", [*manage, "migrate", "--noinput"], log=setup_log, env=env)
    run_step("load the demo data", [*manage, "load_demo"], log=setup_log, env=env)

    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    step("collectstatic")
    call_command("collectstatic", interactive=False, verbosity=0)
    signup_forms, look_ups = demo_forms(rng)
    database = connection.settings_dict
    connection.close()

    proxy = PgProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    try:
        user = database["USER"] + (
            f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        )
        server_env = {
            **env,
            "DATABASE_URL": f"postgres://{user}@127.0.0.1:{proxy.port}/"
            f"{database['NAME']}?sslmode=disable&application_name={APPLICATION_NAME}",
        }
        step(
            f"gunicorn, {options.workers} workers × {options.threads} threads, on "
            f"http://{HOST}:{port}/, the database through a proxy on {proxy.port}"
        )
        server = processes.start(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(GUNICORN_CONFIG),
                "wabp_portal.wsgi:application",
                f"--bind={HOST}:{port}",
                f"--workers={options.workers}",
                f"--threads={options.threads}",
                "--timeout=30",
                "--graceful-timeout=10",
                "--no-control-socket",
            ],
            log=server_log,
            env=server_env,
        )
        wait_until_ready(f"http://{HOST}:{port}/", server, server_log)

        load = Load(
            base_url=f"http://{HOST}:{port}",
            secure=secure,
            run_id=run_id,
            signup_forms=signup_forms,
            look_ups=look_ups,
        )
        clients = [
            threading.Thread(
                target=Client(load, rng.randrange(10**9)).run,
                name=f"client-{n}",
                daemon=True,
            )
            for n in range(options.clients)
        ]
        step(
            f"load: {options.clients} clients for {options.seconds} s; "
            f"{options.cuts} cuts (down up to {options.down_ms} ms) between "
            f"{WARM_UP_SECONDS} s and {options.seconds - CALM_SECONDS} s "
            f"(seed {options.seed})"
        )
        started = time.monotonic()
        for client in clients:
            client.start()
        cuts = cut_repeatedly(proxy, options, rng, started)
        step(f"last cut; calm until {options.seconds} s")
        time.sleep(max(0.0, started + options.seconds - time.monotonic()))
        load.stop.set()
        for client in clients:
            client.join(CLIENT_TIMEOUT + 5)
        stuck = [client.name for client in clients if client.is_alive()]
        server_died = processes.exited("gunicorn")
        processes.stop("gunicorn")
    finally:
        proxy.close()

    # The checks below read the database directly, not through the proxy.
    answers = sorted(load.answers, key=lambda answer: answer.started)
    print()
    print(
        f"Burst of {len(cuts)} database cuts, {options.seconds} s of load from "
        f"{options.clients} clients, gunicorn {options.workers}×{options.threads}, "
        f"{'Redis' if options.redis_url else 'no Redis'}, seed {options.seed}:"
    )
    totals = print_table(answers)
    problems = []
    other_5xx = [a for a in answers if a.outcome == "5xx other"]
    no_answer = [a for a in answers if a.outcome == "conn err"]
    if other_5xx:
        print(f"\nNon-503 server errors ({len(other_5xx)}):")
        for answer in other_5xx:
            print(
                f"  {answer.status} {answer.kind} {answer.path} at "
                f"{answer.started - started:.2f} s"
            )
        problems.append(f"{len(other_5xx)} server errors other than 503")
    if no_answer:
        print(f"\nRequests without an answer ({len(no_answer)}):")
        for kind, error in Counter((a.kind, a.error) for a in no_answer):
            print(f"  {kind}: {error}")
        problems.append(f"{len(no_answer)} requests without an answer")
    logged, kinds = server_errors(server_log)
    print(
        "\ngunicorn's log: "
        + ", ".join(f"{name} {count}" for name, count in sorted(kinds.items()))
    )
    if logged:
        print("Server errors in the log (exception chain, where raised):")
        for line, count in Counter(logged).most_common():
            print(f"  {count}× {line}")

    check = check_signups(load)
    print(
        f"\nSignups: {check.posted} posted, {check.sent} answered 'sent', "
        f"{check.stored} stored; lost {check.lost}, duplicated {check.duplicated}, "
        f"half stored {check.half_stored}, mails without a signup "
        f"{check.orphan_mails}; stored while the resident saw only 503s "
        f"{check.stored_unseen}"
    )
    for name in ("lost", "duplicated", "half_stored", "orphan_mails"):
        if getattr(check, name):
            problems.append(f"{getattr(check, name)} signups {name.replace('_', ' ')}")
    if cuts:
        first_ok, last_failed = recovery(answers, cuts[-1])
        print(
            "Recovery after the last cut: first normal answer that needed the "
            "database after "
            + (f"{first_ok:.2f} s" if first_ok is not None else "never")
            + "; last failed request ended "
            + (
                f"{last_failed:.2f} s after it"
                if last_failed is not None
                else "before it (none failed after it)"
            )
        )
        calm = sorted(
            a.ended - a.started
            for a in answers
            if a.kind in NEEDS_DATABASE and a.ok and a.started > cuts[-1].restored
        )
        if calm:
            print(
                "  (for comparison: such a request took "
                f"{calm[len(calm) // 2]:.2f} s at the median after the last cut)"
            )
        if first_ok is None:
            problems.append("no normal answer after the last cut")
    print(
        f"Figures: requests {sum(totals.values())}, 503 {totals['503']}, "
        f"non-503 5xx {totals['5xx other']}, no answer {totals['conn err']}, "
        f"lost signups {check.lost}, duplicated {check.duplicated}"
    )
    if stuck:
        problems.append(f"clients still waiting at the end: {', '.join(stuck)}")
    if server_died:
        problems.append(f"gunicorn stopped during the load; see {server_log}")
    return problems


def drop_scratch_database(url: str) -> None:
    """Close this process's connections first, then drop the scratch database."""
    from django.apps import apps

    if apps.ready:
        from django.db import connections

        connections.close_all()
    drop_database(url)


def main() -> int:
    options = Options.from_environment()
    run_dir = Path(tempfile.mkdtemp(prefix="wabp-burst-"))
    processes = Processes()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    problems: list[str] = []
    try:
        problems = burst(options, run_dir, processes)
    except KeyboardInterrupt:
        print("\nInterrupted: servers stopped, no verdict.")
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        processes.stop_all()
        shutil.rmtree(run_dir / "static", ignore_errors=True)
        if not options.keep:
            drop_scratch_database(options.database_url)
        print(f"\nLogs: {run_dir}")
        if (run_dir / "gunicorn.log").exists() and problems:
            print(f"The end of gunicorn's log:\n{tail(run_dir / 'gunicorn.log', 10)}")
    if problems:
        print("\nBURST FAILED:")
        for problem in problems:
            print(f"- {problem}")
        return 1
    print("\nBurst passed: every database error was a 503, every signup stored once.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
