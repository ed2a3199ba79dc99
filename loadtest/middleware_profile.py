"""Where a request's microseconds go: the portal's middleware, layer by layer.

Run by ``make bench`` in a process of its own, with the server's settings
(production mode), and printed as one line of JSON:

    python -m loadtest.middleware_profile [REQUESTS]

It calls Django's WSGI handler in this process, without a server or a
socket, for anonymous GETs without a cookie (what most requests of a public
site are): the benchmark's floor view, and the home page. Each is timed

- with the portal's ``MIDDLEWARE`` as it is;
- with only ``SecurityMiddleware`` and ``CommonMiddleware`` (what the bare
  Django app of ``make bench`` runs) and with no middleware at all;
- with a stopwatch between every two layers of the portal's stack: a layer's
  own time is what its stopwatch measured minus the next one's. What runs
  after the last layer (URL resolving, the ``process_view`` hooks of
  ``CsrfViewMiddleware`` and axes, the view) is one row; what the handler
  does around the first layer (building the request, the signals that close
  old database connections) another.

The requests of each kind take turns in rounds, so that a slow moment of the
machine weighs on each alike; the median round counts.
"""

import json
import statistics
import sys
import time
from collections.abc import Callable

ROUNDS = 5
BARE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
PATHS = {"floor": "/benchmark/floor/", "home": "/"}

# Nanoseconds spent inside each stopwatch (index = its place in the stack).
_inside: list[int] = []


def _stopwatch(index: int) -> type:
    class Stopwatch:
        def __init__(self, get_response: Callable) -> None:
            self.get_response = get_response

        def __call__(self, request):
            started = time.perf_counter_ns()
            try:
                return self.get_response(request)
            finally:
                _inside[index] += time.perf_counter_ns() - started

    Stopwatch.__name__ = Stopwatch.__qualname__ = f"Stopwatch{index}"
    return Stopwatch


def _handler(middleware: list[str]):
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    settings.MIDDLEWARE = middleware
    return WSGIHandler()


def _environ(path: str) -> dict:
    from django.conf import settings
    from django.test.client import FakePayload

    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": settings.ALLOWED_HOSTS[0],
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        # As the load balancer says it, in production.
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_HOST": settings.ALLOWED_HOSTS[0],
        "HTTP_ACCEPT_LANGUAGE": "nl-BE,nl;q=0.9",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": FakePayload(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multiprocess": True,
        "wsgi.multithread": False,
        "wsgi.run_once": False,
    }


def _serve(handler, path: str) -> int:
    status = []
    response = handler(_environ(path), lambda code, headers: status.append(code))
    b"".join(response)
    response.close()
    return int(status[0].split()[0])


def _time(handler, path: str, requests: int) -> float:
    """Microseconds per request."""
    started = time.perf_counter_ns()
    for _ in range(requests):
        _serve(handler, path)
    return (time.perf_counter_ns() - started) / requests / 1000


def profile(requests: int) -> dict:
    from django.conf import settings

    portal = list(settings.MIDDLEWARE)
    # A stopwatch above each layer, and one below the last.
    stopwatches = [_stopwatch(index) for index in range(len(portal) + 1)]
    module = sys.modules[__name__]
    for watch in stopwatches:
        setattr(module, watch.__name__, watch)
    timed = [f"{__name__}.{stopwatches[0].__name__}"]
    for name, watch in zip(portal, stopwatches[1:], strict=True):
        timed += [name, f"{__name__}.{watch.__name__}"]
    handlers = {
        "portal": _handler(portal),
        "bare": _handler(BARE_MIDDLEWARE),
        "none": _handler([]),
        "timed": _handler(timed),
    }
    settings.MIDDLEWARE = portal
    _inside[:] = [0] * len(stopwatches)
    for handler in handlers.values():
        for path in PATHS.values():
            status = _serve(handler, path)
            if status != 200:
                raise SystemExit(f"{path}: status {status}, not 200")
    totals: dict[str, dict[str, list[float]]] = {
        path: {name: [] for name in handlers} for path in PATHS
    }
    layers: dict[str, list[list[float]]] = {path: [] for path in PATHS}
    for _round in range(ROUNDS):
        for path_name, path in PATHS.items():
            for name, handler in handlers.items():
                _inside[:] = [0] * (len(portal) + 1)
                totals[path_name][name].append(_time(handler, path, requests))
                if name == "timed":
                    layers[path_name].append([ns / requests / 1000 for ns in _inside])
    result: dict = {"requests": requests, "rounds": ROUNDS, "paths": {}}
    for path_name in PATHS:
        median = {
            name: statistics.median(values)
            for name, values in totals[path_name].items()
        }
        # The round whose timed total is the median one.
        rounds = sorted(
            range(ROUNDS), key=lambda index: totals[path_name]["timed"][index]
        )
        inside = layers[path_name][rounds[ROUNDS // 2]]
        total = totals[path_name]["timed"][rounds[ROUNDS // 2]]
        rows = [("handler around the stack (request, signals)", total - inside[0])]
        rows += [
            (name, inside[index] - inside[index + 1])
            for index, name in enumerate(portal)
        ]
        rows.append(("URL resolving, process_view hooks, the view", inside[-1]))
        result["paths"][path_name] = {
            "path": PATHS[path_name],
            "us": median,
            "layers_us": rows,
            "timed_total_us": total,
        }
    return result


def main() -> None:
    import django

    django.setup()
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(json.dumps(profile(requests)))


if __name__ == "__main__":
    main()
