"""What the load runs share: a scratch database, gunicorn, and its stopping.

``loadtest/soak.py`` (``make soak``) and ``loadtest/bench.py`` (``make bench``)
both serve the portal with gunicorn in production mode on a scratch PostgreSQL
database and drive it from another process on loopback.
"""

import os
import secrets
import signal
import socket
import subprocess  # nosec B404: runs our own programs, no shell
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# Lines of the server's logs that mean something went wrong.
LOG_ALARMS = ("Traceback", " ERROR ", " CRITICAL ", "[ERROR]", "[CRITICAL]")
STARTED = time.monotonic()


def step(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:4.0f} s] {message}", flush=True)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def server_environment(
    *, database_url: str, redis_url: str, port: int, static_root: Path
) -> dict:
    """The portal's settings for the run: production mode, as deployed.

    DJANGO_ENV=production rather than DEBUG=0 in development mode, so that the
    load measures what runs in production: the manifest static storage, the
    secure settings and persistent database connections (CONN_MAX_AGE). In
    production the app sits behind a proxy that ends TLS; the load generator plays
    that proxy by sending X-Forwarded-Proto: https, which the settings trust
    (SECURE_PROXY_SSL_HEADER), so the HTTPS redirect stays on. The CSRF cookie
    is Secure then; the load generator sends it back itself, as the browser would.
    """
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wabp_portal.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        # Not Redis db 0: whatever else on this machine uses Redis keeps it.
        "REDIS_URL": redis_url,
        "SITE_URL": f"https://{HOST}:{port}",
        "STATIC_ROOT": str(static_root),
        # All the load comes from one address (loopback), which the limits
        # per client address would stop after a few signups: raise them.
        **{
            f"RATE_LIMIT_{scope}": "1000000"
            for scope in (
                "SIGNUP",
                "SIGNUP_FORM",
                "FINDER",
                "SUGGESTIONS",
                "WAITING_LIST",
                "WAITING_LIST_FORM",
                "OWN_DETAILS",
            )
        },
        # Mails are taken from the outbox and dropped, nothing leaves the host.
        "MAIL_DELIVERY_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }


def _server_connection(config: dict):
    """An autocommit connection to the server's maintenance database."""
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    return connection


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def reset_database(url: str, *, marker: str) -> str:
    """Drop and create the scratch database (its name must contain ``marker``)."""
    import dj_database_url

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if "postgresql" not in config["ENGINE"] or marker not in name:
        # A safety catch: this database is dropped.
        raise SystemExit(
            f"The scratch database must be a PostgreSQL database with {marker!r} "
            f"in its name, since it is dropped; got {name!r}."
        )
    connection = _server_connection(config)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")  # nosec B608
        cursor.execute(f"CREATE DATABASE {_quoted(name)}")  # nosec B608
    connection.close()
    return f"{name} on {config['HOST'] or 'localhost'}, dropped and created"


def drop_database(url: str) -> None:
    """Drop the scratch database (after ``reset_database`` made it)."""
    import dj_database_url

    config = dj_database_url.parse(url)
    connection = _server_connection(config)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP DATABASE IF EXISTS {_quoted(config['NAME'])} WITH (FORCE)"  # nosec B608
        )
    connection.close()


def flush_cache(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Processes:
    """The servers of the run; each is stopped, whatever happens."""

    def __init__(self) -> None:
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], *, log: Path, env: dict):
        with log.open("ab") as output:
            # Its own process group: Ctrl-C reaches only this script, which
            # stops the servers in order (gunicorn's workers with their master).
            process = subprocess.Popen(  # nosec B603
                command,
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.running.append((name, process))
        return process

    def stop(self, name: str, *, timeout: float = 20) -> None:
        for entry in [entry for entry in self.running if entry[0] == name]:
            self.running.remove(entry)
            process = entry[1]
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

    def exited(self, name: str) -> bool:
        return any(
            process.poll() is not None
            for entry_name, process in self.running
            if entry_name == name
        )

    def stop_all(self) -> None:
        for name, _process in reversed(list(self.running)):
            self.stop(name)


def run_step(title: str, command: list[str], *, log: Path, env: dict) -> None:
    step(title)
    with log.open("ab") as output:
        result = subprocess.run(  # nosec B603
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    if result.returncode:
        raise SystemExit(f"{title} failed; see {log}:\n{tail(log)}")


def tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_until_ready(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start; see {log}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # nosec B310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within 60 s; see {log}")


def log_alarms(*logs: Path) -> list[str]:
    found = []
    for log in logs:
        if log.exists():
            for line in log.read_text(errors="replace").splitlines():
                if any(alarm in line for alarm in LOG_ALARMS):
                    found.append(f"{log.name}: {line}")
    return found
