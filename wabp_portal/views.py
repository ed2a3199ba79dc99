"""The project's own error pages."""

import importlib
import sqlite3
import sys

from django.db import Error as DjangoDatabaseError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

# How long a browser or a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


def _database_errors() -> tuple[type[BaseException], ...]:
    """The base classes of every database error, whichever layer raises it.

    Django wraps the driver's errors in its own (``django.db.Error``: the
    DatabaseError family and InterfaceError), but not everywhere: closing a
    server-side cursor on a dead connection raises psycopg2's own error.
    The drivers are PEP 249's, each with its ``Error`` base class; those not
    installed are left out.
    """
    errors: list[type[BaseException]] = [DjangoDatabaseError, sqlite3.Error]
    for driver in ("psycopg2", "psycopg"):
        try:
            errors.append(importlib.import_module(driver).Error)
        except ImportError:
            pass
    return tuple(errors)


DATABASE_ERRORS = _database_errors()


def is_database_error(error: BaseException | None) -> bool:
    """Whether ``error`` is the database's, or was raised from or during one."""
    pending = [error]
    seen: set[int] = set()
    while pending:
        error = pending.pop()
        if error is None or id(error) in seen:
            continue
        if isinstance(error, DATABASE_ERRORS):
            return True
        seen.add(id(error))
        pending += [error.__cause__, error.__context__]
    return False


def service_unavailable() -> HttpResponse:
    """The 503 page: the database did not answer, try again shortly.

    Any database error gets it: a lost connection, a database that restarts
    or a statement past its timeout is temporary, and the transaction it
    broke was rolled back whole. The page is rendered without the request,
    so it needs neither the database nor the session.
    """
    template = loader.get_template("503.html")
    response = HttpResponse(template.render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when the database did not answer.

    Django calls it for an error that ``DatabaseUnavailableMiddleware`` did
    not see: one raised by a middleware (the session saved on the way out)
    rather than by a view.
    """
    if is_database_error(sys.exc_info()[1]):
        return service_unavailable()
    return django_server_error(request)
