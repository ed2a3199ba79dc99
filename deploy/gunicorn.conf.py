"""gunicorn's settings for the WABP portal (the app server behind the proxy).

Start it from anywhere with

    gunicorn -c deploy/gunicorn.conf.py

gunicorn reads this file as Python. Options on the command line win over
the values here (the tests that start gunicorn pass their own --bind and
--workers). Django's own settings still come from the environment
(DJANGO_ENV, SECRET_KEY, DATABASE_URL, ... see .env.example); the three
variables read here are gunicorn's:

    GUNICORN_BIND     where to listen: host:port, unix:/path/to.sock, or several
                      of them separated by commas (default 127.0.0.1:8000: only
                      the proxy on the same host can reach it)
    GUNICORN_WORKERS  worker processes (default 2 x CPU cores + 1)
    GUNICORN_THREADS  threads per worker (default 1: sync workers)

The proxy in front (nginx or a load balancer) ends TLS and adds
X-Forwarded-For and X-Forwarded-Proto (which proxies the portal believes:
see .env.example).
This file needs nothing but the standard library and gunicorn itself.
"""

import os
from pathlib import Path

# The project's root (this file is in deploy/), so that the portal is found
# wherever gunicorn was started from (systemd, cron, another directory).
chdir = str(Path(__file__).resolve().parent.parent)
wsgi_app = "wabp_portal.wsgi:application"


def _env(name: str, default: str) -> str:
    """The variable's value; its default when it is unset or empty."""
    return os.environ.get(name, "").strip() or default


# Loopback by default, not gunicorn's 0.0.0.0:$PORT when PORT is set: the app
# server is meant to be reached through the proxy only.
bind = [
    address.strip()
    for address in _env("GUNICORN_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]
workers = int(_env("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(_env("GUNICORN_THREADS", "1"))

# gunicorn (25.1 and later) opens a control socket for `gunicornc` by default,
# one path per user ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl): not needed
# (systemd reloads with SIGHUP), and a second server of the same user would
# fight over it.
control_socket_disable = True

# HTTP/1.1 only (gunicorn's default): TLS and HTTP/2 end at the proxy. The
# Server header is removed for HTTP/1.1 (below); gunicorn's HTTP/2 adds its
# own, which is why HTTP/2 stays off here.
http_protocols = "h1"

# No access log: request lines hold client addresses and the links of
# e-mails (signed tokens); errors still go to stderr (the journal).


def hide_server_header() -> None:
    """Send no ``Server`` header, rather than ``Server: gunicorn``.

    gunicorn writes the header itself (``Response.default_headers`` in
    ``gunicorn/http/wsgi.py``) and has no setting for it. Naming the server
    tells a scanner which flaws to try and helps nobody else. Calling this
    twice changes nothing.
    """
    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers
    if getattr(original, "hides_server", False):
        return

    def default_headers(self) -> list[str]:
        return [
            line for line in original(self) if not line.lower().startswith("server:")
        ]

    default_headers.hides_server = True
    wsgi.Response.default_headers = default_headers


def post_worker_init(worker) -> None:
    """gunicorn's hook: each worker, before it takes its first request."""
    hide_server_header()
