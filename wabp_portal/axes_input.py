"""What django-axes records of a login attempt, fitted to its columns.

Axes writes the user name someone typed into a 255-character column of its
own tables (``AccessAttempt``, ``AccessFailureLog``). Django's login form does
not limit the user name's length (it only sets the browser's ``maxlength``),
so a longer one would reach that column and end the request with a database
error on PostgreSQL (SQLite does not check lengths), instead of the normal
"wrong user name or password". The other values axes stores from a request
(user agent, path, Accept header, the query and form data) it cuts to size
itself; the address comes from ``wabp_portal.client_address``.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from .auth import logins_with_email

# PostgreSQL refuses a NUL character in any text column.
NUL = "\x00"


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The user name of a login attempt (AXES_USERNAME_CALLABLE).

    As axes reads it itself (the credentials given to ``authenticate``, else
    the posted form), cut to the column. No login has a name that long
    (Django allows 150 characters), so two cut names that share their first
    255 characters are counted together without locking anyone out.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if not isinstance(username, str):
        return username
    length = AccessAttempt._meta.get_field("username").max_length
    return canonical_username(username.replace(NUL, ""))[:length]


def canonical_username(typed: str) -> str:
    """The login's user name for an e-mail address typed instead of it.

    Either logs in (``wabp_portal.auth.EmailOrUsernameBackend``): counted
    under one name, typing both forms does not double the attempts before a
    lockout. An address of several logins, or of none, is counted as typed.
    """
    if "@" not in typed or len(typed) > 254:
        return typed
    user_model = get_user_model()
    if user_model._default_manager.filter(username=typed).exists():
        return typed
    logins = logins_with_email(typed)
    return logins[0].get_username() if len(logins) == 1 else typed
