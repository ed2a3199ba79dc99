"""Signed links: the one way the portal puts a row in a link it mails.

A link carries the row's primary key, signed with the project's secret and a
salt that names the link's purpose (confirm a signup, withdraw it, answer a
meeting invitation, ...). Nobody can make a link for another row, and a link
made for one purpose never works for another. A link that expires says so
with ``max_age``; the others live as long as their row.

The page a link opens only shows what it stands for and asks: the change is
made on the POST of the page's button (mail scanners and link previews open
every link in a mail).
"""

from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

Row = TypeVar("Row", bound=models.Model)


class InvalidLink(Exception):
    """A signed link that was tampered with, has expired or names no row."""


def signed_url(url_name: str, pk: int, *, salt: str) -> str:
    """The absolute URL of ``url_name`` with ``pk`` signed for ``salt``."""
    token = signing.dumps(pk, salt=salt)
    return settings.SITE_URL + reverse(url_name, kwargs={"token": token})


def row_from_link(
    rows: models.QuerySet[Row],
    token: str,
    *,
    salt: str,
    max_age: timedelta | None = None,
    gone_message: str | None = None,
) -> Row:
    """The row of ``rows`` a signed link stands for; ``InvalidLink`` otherwise.

    ``gone_message`` is what a valid link to a row that no longer exists says
    (by default: that the link is not valid).
    """
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidLink(_("This link has expired.")) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidLink(_("This link is not valid.")) from error
    # A signed value is JSON: a link made by hand with another value (a list,
    # a string, a boolean, which is an int in Python) names no row.
    if type(pk) is not int:
        raise InvalidLink(_("This link is not valid."))
    row = rows.filter(pk=pk).first()
    if row is None:
        raise InvalidLink(gone_message or _("This link is not valid."))
    return row
