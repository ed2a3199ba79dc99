"""The benchmark's floor: a bare Django page that ``make bench`` measures the
portal's pages against.

Served at /benchmark/floor/ only when BENCHMARK_FLOOR_VIEW is set (never in a
real deployment), through the same middleware as every page, so that a
page's throughput divided by the floor's says what the page itself costs
(loadtest/bench.py).
"""

from django.http import HttpRequest, HttpResponse


def floor(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do."""
    return HttpResponse(b"ok", content_type="text/plain")
