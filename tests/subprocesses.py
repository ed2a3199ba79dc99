"""The environment of a program a test starts (a server, a script, a check)."""

import os
from collections.abc import Iterable

# Set by the browser tests for their own process; never for a child.
NEVER_INHERITED = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def child_environment(*, drop: Iterable[str] = (), **values: str) -> dict[str, str]:
    """This process's environment without ``drop``, with ``values`` set."""
    left_out = NEVER_INHERITED | set(drop)
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env.update(values)
    return env
