"""The environment of a program a test starts (a server, a script, a check)."""

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

# Set by the browser tests for their own process; never for a child.
NEVER_INHERITED = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def child_environment(*, drop: Iterable[str] = (), **values: str) -> dict[str, str]:
    """This process's environment without ``drop``, with ``values`` set."""
    left_out = NEVER_INHERITED | set(drop)
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env.update(values)
    return env


def start_gunicorn(
    *, port: int, env: dict[str, str], log_path: Path, cwd: Path, threads: int
) -> subprocess.Popen:
    """The portal under gunicorn, one worker with threads, logging to a file."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
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
