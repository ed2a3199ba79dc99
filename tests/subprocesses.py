"""The environment of a program a test starts (a server, a script, a check)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

# Set by the browser tests for their own process; never for a child.
NEVER_INHERITED = {"DJANGO_ALLOW_ASYNC_UNSAFE"}
GUNICORN_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def child_environment(*, drop: Iterable[str] = (), **values: str) -> dict[str, str]:
    """This process's environment without ``drop``, with ``values`` set."""
    left_out = NEVER_INHERITED | set(drop)
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env.update(values)
    return env


def database_url(
    *, application_name: str, host: str | None = None, port: int | None = None
) -> str:
    """The test database as a child process reaches it (DATABASE_URL).

    ``host`` and ``port`` default to the test's own connection; a test that
    cuts connections gives its proxy's. ``application_name`` marks the
    child's sessions, so the test can wait for them to end.
    """
    from urllib.parse import quote

    from django.db import connection

    database = connection.settings_dict
    credentials = quote(database["USER"], safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = host or database["HOST"] or "127.0.0.1"
    port = port or database["PORT"] or 5432
    return (
        f"postgres://{credentials}@{host}:{port}/{database['NAME']}"
        f"?sslmode=disable&application_name={application_name}"
    )


def start_gunicorn(
    *, port: int, env: dict[str, str], log_path: Path, cwd: Path, threads: int
) -> subprocess.Popen:
    """The portal under gunicorn, one worker with threads, logging to a file.

    With the production settings of deploy/gunicorn.conf.py; the options
    after it (address, workers, threads, timeouts) win over the file's.
    """
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(GUNICORN_CONFIG),
                "wabp_portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                str(threads),
                "--timeout",
                "30",
                "--graceful-timeout",
                "2",
                # Its default path is one per user: servers running at the
                # same time (other test runs) would fight over it.
                "--no-control-socket",
            ],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def free_port() -> int:
    """A port on loopback that nothing listens on (for a server to start on)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server_sessions_to_end(application_name: str, seconds: float = 10):
    """Wait until the servers' database sessions are gone.

    They end a moment after the servers' processes or sockets: the final
    flush and DROP DATABASE must find no one else connected.
    """
    from django.db import connection

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                [application_name],
            )
            if not cursor.fetchone()[0]:
                return
        time.sleep(0.05)
