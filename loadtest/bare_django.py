"""A bare Django app: the floor ``make bench`` measures the portal against.

One view answering "ok", behind only Django's ``SecurityMiddleware`` and
``CommonMiddleware``, in production mode (DEBUG off, the same host check and
HTTPS settings the load generator's requests need). Served by gunicorn with
the portal's settings (workers, timeout):

    gunicorn loadtest.bare_django:application

Whatever the machine, what the portal's pages reach divided by what this
reaches says what the portal costs over Django itself. Its settings are this
module (DJANGO_SETTINGS_MODULE=loadtest.bare_django); it shares nothing with
the portal's.
"""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or "bare-django-benchmark-only"  # nosec B105
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(",")
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
DATABASES: dict = {}
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
# As the portal in production: behind a proxy that ends TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
USE_TZ = True


def floor(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do (as the portal's /benchmark/floor/)."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("benchmark/floor/", floor)]

os.environ["DJANGO_SETTINGS_MODULE"] = __name__

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
