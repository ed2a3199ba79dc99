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
from django.http import HttpRequest

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
    return username.replace(NUL, "")[:length]
