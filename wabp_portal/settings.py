"""Settings for the WABP portal.

Everything comes from the environment, with development defaults so that a
fresh checkout runs on SQLite with no configuration at all. ``.env.example``
documents every variable. With ``DJANGO_ENV=production`` the portal refuses to
start without ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` and turns
on the secure settings that ``manage.py check --deploy`` asks for.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    missing = [
        name
        for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
        if not env(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            f"Production mode needs these environment variables: {', '.join(missing)}"
        )

SECRET_KEY = env("SECRET_KEY", "django-insecure-development-only-never-in-production")
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "wabp_portal.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "post_office",
    "import_export",
    "wabp_portal.apps.AuditLogConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "groups",
    "registrations",
    # Development data: the demo loader and the scale generator (devdata/).
    "devdata",
    # The kernel's own models: the mail worker's heartbeat (wabp_portal.models),
    # the mail (wabp_portal.mail) with its admin and the mail_worker command.
    "wabp_portal.apps.PortalConfig",
]

MIDDLEWARE = [
    # Puts Permissions-Policy on every response, and the other security
    # headers on those answered before Django's own middleware (/healthz).
    "wabp_portal.middleware.SecurityHeadersMiddleware",
    # Answers /healthz for load balancers before anything else (no host
    # check, no HTTPS redirect, no session): see wabp_portal/health.py.
    "wabp_portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The public pages, the same for every visitor without cookies, answered
    # whole from the cache before the rest of the stack (groups/page_cache.py).
    "groups.page_cache.SharedPageCacheMiddleware",
    # Below WhiteNoise, so static files keep their cache headers.
    "wabp_portal.middleware.NoStoreMiddleware",
    # django-csp's, with the policy built once (wabp_portal.middleware).
    "wabp_portal.middleware.PolicyCachingCSPMiddleware",
    # Django's, making a new (empty) session only when a page uses it.
    "wabp_portal.middleware.LazySessionMiddleware",
    # Django's LocaleMiddleware, choosing once per cookie and Accept-Language.
    "wabp_portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a login verified once its second factor (TOTP) was given.
    "django_otp.middleware.OTPMiddleware",
    # Django's, making the messages' storage only when a page uses it.
    "wabp_portal.middleware.LazyMessageMiddleware",
    "wabp_portal.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Any database error raised by a view: the 503 page, also with DEBUG on.
    "wabp_portal.middleware.DatabaseUnavailableMiddleware",
    # Records who made each change the audit log keeps (auditlog's, skipped
    # for a request without a session cookie, which has nobody to record).
    "wabp_portal.middleware.AuditActorMiddleware",
    # Locks out repeated failed logins (django-axes; last, as it asks).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wabp_portal.urls"
WSGI_APPLICATION = "wabp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        # A kept connection is tested before each request reuses it, so the
        # app recovers by itself after the database restarted or a network cut.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast instead of hanging: a database that does not answer within
    # DB_CONNECT_TIMEOUT seconds, or a statement (or lock wait) longer than
    # DB_STATEMENT_TIMEOUT seconds, ends the request with the 503 page.
    # 0 switches the statement timeout off (long migrations on big tables).
    statement_timeout_ms = int(env("DB_STATEMENT_TIMEOUT", "30")) * 1000
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(env("DB_CONNECT_TIMEOUT", "5")),
        "options": f"-c statement_timeout={statement_timeout_ms}",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, sharing one client per connection pool.
            "BACKEND": "wabp_portal.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wabp",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "wabp",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

AUTHENTICATION_BACKENDS = [
    # Refuses logins that are locked out before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, also taking the e-mail address for the user name.
    "wabp_portal.auth.EmailOrUsernameBackend",
]

# Two-step verification (TOTP, django-otp) for everybody who logs in: on in
# production; the demo on SQLite runs without it unless this is set.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "WABP portal")
# django-otp's device admin never shows a device's secret (its key or QR
# code), not even to a superuser: whoever holds it passes the second step.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lockout (django-axes): after 5 failed logins for one user name from one
# address, that pair is refused for 30 minutes, even with the right password.
# Failures within those 30 minutes also count per user name from every
# address (a guess spread over many addresses) and per address for every user
# name (one password tried on many logins): 20 of either lock that user name,
# or that address, the same way. wabp_portal.security.LockoutHandler gives
# each of the three its own limit (axes itself knows one).
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_FAILURE_LIMIT_PER_USERNAME = int(env("AXES_FAILURE_LIMIT_PER_USERNAME", "20"))
AXES_FAILURE_LIMIT_PER_ADDRESS = int(env("AXES_FAILURE_LIMIT_PER_ADDRESS", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "wabp_portal.security.LockoutHandler"
# A successful login clears its own pair's failures only (see LockoutHandler).
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not extend it: it ends 30 minutes after the 5th.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "wabp_portal.security.lockout_response"
# The user name as axes records it, fitted to its 255-character column: a
# longer one gets the normal "wrong user name or password", not an error.
AXES_USERNAME_CALLABLE = "wabp_portal.axes_input.axes_username"
# The address as the trusted proxies give it (TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "wabp_portal.client_address.client_address"
# Axes' own log lines name a client by a keyed hash, never by name or address;
# successful logins are not recorded (only failures count towards a lockout).
AXES_CLIENT_STR_CALLABLE = "wabp_portal.security.axes_client_str"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True

# Sessions: a new key at every login (Django's login() does it) and at the
# second factor; logged out after SESSION_IDLE_TIMEOUT seconds without a
# request, and after SESSION_COOKIE_AGE at the latest.
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(10 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The language choice (set_language): no script of ours reads it.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
# Django looks in LOCALE_PATHS before the apps' catalogues, and the first
# entry wins (trans_real merges them in reverse): the overrides put Django's
# and the admin packages' own strings in the portal's words (je-form, Dutch
# where they ship none); locale/ holds the portal's own messages.
LOCALE_PATHS = [BASE_DIR / "wabp_portal" / "locale_overrides", BASE_DIR / "locale"]

# The signup pages (registrations) that the public network pages (groups)
# send a resident to: named here, where the project joins its apps, so that
# groups links there without knowing the other app (as LOGIN_URL does for
# auth).
JOIN_URLS = {
    "signup": "registrations:signup",
    "signup_from_finder": "registrations:signup-from-finder",
    # "Tell me when my street gets a group", from the finder's "no group yet".
    "waiting_list_from_finder": "registrations:waiting-list-from-finder",
}
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# crispy-forms gives each field the class of its widget, lowercased: the
# quick drop-down list (wabp_portal.forms.QuickSelect) is a "select" still.
CRISPY_CLASS_CONVERTERS = {"quickselect": "select"}

PHONENUMBER_DEFAULT_REGION = "BE"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# Mail: every message goes through django-post-office's database outbox and is
# sent by the `mail_worker` command, so a failing mail server delays mail but
# never loses it. MAIL_DELIVERY_BACKEND is what the worker finally sends with;
# in development mails land as files in var/mail/ so they can be read.
EMAIL_BACKEND = "post_office.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "WABP <noreply@wabp.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
MAIL_DELIVERY_BACKEND = env(
    "MAIL_DELIVERY_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
POST_OFFICE = {
    "BACKENDS": {"default": MAIL_DELIVERY_BACKEND},
    "DEFAULT_PRIORITY": "medium",
    "MESSAGE_ID_ENABLED": True,
    "LOG_LEVEL": 1,  # failures only: the log holds no addresses of sent mail
}
# The worker (wabp_portal.mail.outbox) retries a mail that could not be sent after
# MAIL_RETRY_BASE_SECONDS, doubling at each failure up to
# MAIL_RETRY_MAX_SECONDS, and gives up after MAIL_MAX_ATTEMPTS attempts (about
# seven hours with the defaults); staff then see it under "Undelivered mail"
# and can send it again. /healthz reports mail waiting longer than
# MAIL_LATE_SECONDS as late.
MAIL_RETRY_BASE_SECONDS = int(env("MAIL_RETRY_BASE_SECONDS", "60"))
MAIL_RETRY_MAX_SECONDS = int(env("MAIL_RETRY_MAX_SECONDS", "3600"))
MAIL_MAX_ATTEMPTS = int(env("MAIL_MAX_ATTEMPTS", "12"))
MAIL_LATE_SECONDS = int(env("MAIL_LATE_SECONDS", "900"))
# A worker takes one mail at a time for MAIL_LEASE_SECONDS: killed while
# sending, it leaves that mail to another worker after so long (sent again,
# with the same Message-ID, if the server had it already). Far longer than one
# SMTP conversation may take (EMAIL_TIMEOUT per step).
MAIL_LEASE_SECONDS = int(env("MAIL_LEASE_SECONDS", "120"))
# Each worker round writes a heartbeat (wabp_portal.models.Heartbeat); where a
# worker is expected, /healthz reports mail as "stalled" (and /healthz/mail
# answers 503) once the heartbeat is older than MAIL_WORKER_STALE_SECONDS.
MAIL_WORKER_EXPECTED = env_bool("MAIL_WORKER_EXPECTED", PRODUCTION)
MAIL_WORKER_STALE_SECONDS = int(env("MAIL_WORKER_STALE_SECONDS", "60"))

# The public site's own address, used in links inside e-mails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # At DEBUG Django logs whole template contexts, names and all.
        "django.template": {"level": "INFO"},
        # post_office has its own handler; without this every line shows twice.
        "post_office": {"handlers": ["console"], "propagate": False},
        # Axes names clients by a keyed hash (wabp_portal.security); its
        # per-attempt chatter stays out of the log, lockouts are logged there.
        "axes": {"level": "WARNING"},
    },
}

# Headers on every response: no framing, no MIME sniffing, the referrer kept
# to our own pages, and a Content-Security-Policy that allows nothing but our
# own files (no inline scripts or styles anywhere, the admin included).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "base-uri": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Bootstrap draws its small icons (select arrows, close buttons) as
        # data: SVG images in its stylesheet.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
    }
}
# Browser features no page of the portal uses, refused to the pages and to
# anything they might embed (Permissions-Policy header). The Topics API
# (browsing-topics) replaced FLoC's interest-cohort, which browsers no
# longer know and Chromium reports as an error on every page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "clipboard-read",
        "clipboard-write",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "web-share",
        "xr-spatial-tracking",
    ]
}

if PRODUCTION:
    # Django believes this header from anybody: safe only because gunicorn is
    # reachable from the proxy alone, and the proxy overwrites the header on
    # every request (nginx: proxy_set_header X-Forwarded-Proto $scheme).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Requests per client address and period (seconds) before a "too many
# attempts" page that says how long to wait; counted in the cache, so shared
# when REDIS_URL is set. One address may be a whole room: an information
# evening on one wifi, a care home, a library. The limits leave room for
# that and still stop a script.
RATE_LIMITS = {
    # Signups stored (a form sent back with an error does not count).
    "signup": (int(env("RATE_LIMIT_SIGNUP", "30")), 3600),
    # Signup forms sent, stored or not.
    "signup-form": (int(env("RATE_LIMIT_SIGNUP_FORM", "120")), 600),
    # Finder searches.
    "finder": (int(env("RATE_LIMIT_FINDER", "300")), 600),
    # Street suggestions while typing (a dozen per street name typed).
    "suggestions": (int(env("RATE_LIMIT_SUGGESTIONS", "3000")), 600),
    # Waiting-list forms that send a mail (a confirmation, or a reminder to
    # an address already on the list); a form sent back with an error does
    # not count.
    "waiting-list": (int(env("RATE_LIMIT_WAITING_LIST", "30")), 3600),
    # Waiting-list forms sent, stored or not.
    "waiting-list-form": (int(env("RATE_LIMIT_WAITING_LIST_FORM", "120")), 600),
    # Changes sent from a resident's own page (a new e-mail address gets a
    # mail, a new mobile number is checked against the group's).
    "own-details": (int(env("RATE_LIMIT_OWN_DETAILS", "30")), 3600),
}
# Reverse proxies whose X-Forwarded-For is believed, for the rate limits and
# the lockout: addresses or networks (CIDR), comma-separated, and "unix" for a
# proxy that reaches gunicorn over a Unix socket. A request from any other
# address is counted by that address, whatever its headers say
# (wabp_portal.client_address). Production default: a proxy on the same host;
# behind a load balancer on another host, list that balancer's addresses.
TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES", "127.0.0.1,::1,unix" if PRODUCTION else ""
)

# How long a confirmation link stays valid.
SIGNUP_CONFIRMATION_HOURS = int(env("SIGNUP_CONFIRMATION_HOURS", "48"))

# Retention (days), applied by `manage.py purge_personal_data` run daily from
# cron: unconfirmed signups are deleted after UNCONFIRMED_RETENTION_DAYS;
# rejected and withdrawn ones are erased CLOSED_RETENTION_DAYS after the end,
# members who left or were removed LEFT_RETENTION_DAYS after it (the rows stay
# for the statistics, without anything personal); sent and failed mail leaves
# the outbox after MAIL_RETENTION_DAYS; login records (django-axes, when
# installed) after LOGIN_RECORD_RETENTION_DAYS. The name and number of a
# member who withdrew stay for their coordinators (to remove them from the
# WhatsApp group) until one marks it done, at most
# WITHDRAWN_MEMBER_RETENTION_DAYS.
UNCONFIRMED_RETENTION_DAYS = int(env("UNCONFIRMED_RETENTION_DAYS", "7"))
# A signup staff entered for a resident who confirms by signing a printed
# letter (registrations.services.assisted) waits this long for the signature.
LETTER_CONFIRMATION_DAYS = int(env("LETTER_CONFIRMATION_DAYS", "30"))
CLOSED_RETENTION_DAYS = int(env("CLOSED_RETENTION_DAYS", "30"))
WITHDRAWN_MEMBER_RETENTION_DAYS = int(env("WITHDRAWN_MEMBER_RETENTION_DAYS", "14"))
LEFT_RETENTION_DAYS = int(env("LEFT_RETENTION_DAYS", "30"))
# A coordinator can undo the end of a membership (left, removed) for this many
# hours; the member's mail waits until then, and the purge erases nothing that
# can still be undone, whatever LEFT_RETENTION_DAYS says.
MEMBERSHIP_UNDO_HOURS = int(env("MEMBERSHIP_UNDO_HOURS", "24"))
MAIL_RETENTION_DAYS = int(env("MAIL_RETENTION_DAYS", "30"))
LOGIN_RECORD_RETENTION_DAYS = int(env("LOGIN_RECORD_RETENTION_DAYS", "30"))
# The waiting list for a group: an unconfirmed entry goes after
# UNCONFIRMED_RETENTION_DAYS, like an unconfirmed signup; a resident told of a
# group is erased WAITING_LIST_NOTIFIED_RETENTION_DAYS later (their mail's
# link to leave the list works until then), and every entry at the latest
# WAITING_LIST_MAX_AGE_DAYS after it was made, told or not.
WAITING_LIST_NOTIFIED_RETENTION_DAYS = int(
    env("WAITING_LIST_NOTIFIED_RETENTION_DAYS", "14")
)
WAITING_LIST_MAX_AGE_DAYS = int(env("WAITING_LIST_MAX_AGE_DAYS", "365"))

# Coordinators are reminded of signups pending longer than this many days, and
# of approved members not marked as added to WhatsApp after this many days.
REMINDER_PENDING_DAYS = int(env("REMINDER_PENDING_DAYS", "3"))
REMINDER_NOT_ADDED_DAYS = int(env("REMINDER_NOT_ADDED_DAYS", "2"))

# The group's life (manage.py send_reconfirmations, daily): a member is asked
# whether they still live here RECONFIRMATION_INTERVAL_DAYS after their
# approval and after each answer; with no answer after
# RECONFIRMATION_ANSWER_DAYS their coordinators are told to remove them. A
# request to accept new house rules has a deadline (REACCEPTANCE_DEADLINE_DAYS
# unless staff choose another), a reminder REACCEPTANCE_REMINDER_DAYS before
# it, and after it the coordinators are told whom to remove.
RECONFIRMATION_INTERVAL_DAYS = int(env("RECONFIRMATION_INTERVAL_DAYS", "365"))
RECONFIRMATION_ANSWER_DAYS = int(env("RECONFIRMATION_ANSWER_DAYS", "30"))
REACCEPTANCE_DEADLINE_DAYS = int(env("REACCEPTANCE_DEADLINE_DAYS", "30"))
REACCEPTANCE_REMINDER_DAYS = int(env("REACCEPTANCE_REMINDER_DAYS", "7"))

# Statistics and coverage: WhatsApp groups hold at most 1,024 members; staff
# are warned from this many on, and of signups pending longer than this.
GROUP_SIZE_WARNING = int(env("GROUP_SIZE_WARNING", "900"))
STALE_PENDING_DAYS = int(env("STALE_PENDING_DAYS", "14"))

# `make bench` compares pages with a minimal view at /benchmark/floor/, served
# only when this is set (never in a real deployment).
BENCHMARK_FLOOR_VIEW = env_bool("BENCHMARK_FLOOR_VIEW", False)

# The home page holds the whole networks table up to this many published
# groups; above it, an index of the municipalities, each with its own table.
HOME_TABLE_GROUPS = int(env("HOME_TABLE_GROUPS", "150"))

# Invitations to set a password (new coordinators) stay valid this long.
PASSWORD_RESET_TIMEOUT = int(env("PASSWORD_RESET_TIMEOUT", str(60 * 60 * 24 * 7)))

# Table import and export (django-import-export): every import runs in one
# transaction and nothing is written when a row is refused.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# The audit log keeps who changed what; the client address is personal data
# and not needed to answer "who did this".
AUDITLOG_DISABLE_REMOTE_ADDR = True
