"""The project's own error pages."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

# How long a browser or a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when the database did not answer.

    A lost connection, a database that restarts or a statement that ran past
    its timeout is temporary, and the transaction it broke was rolled back:
    the visitor is told that and asked to try again shortly. The page is
    rendered without the request, so it needs neither the database nor the
    session.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        template = loader.get_template("503.html")
        response = HttpResponse(template.render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request)


def floor(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do: the benchmark's floor (``make bench``).

    Served only when BENCHMARK_FLOOR_VIEW is set, through the same middleware
    as every page, so a page's throughput can be compared with it.
    """
    return HttpResponse(b"ok", content_type="text/plain")
