"""Signed links: the one way the portal puts a row in a link it mails.

A link carries the row's primary key, signed with the project's secret and a
salt that names the link's purpose (confirm a signup, withdraw it, answer a
meeting invitation, ...). Nobody can make a link for another row, and a link
made for one purpose never works for another. A link that expires says so
with ``max_age``; the others live as long as their row.

A link can also be bound to a value of its row (``bind``): an e-mail address,
say, so that a link mailed to an address stops working once the row has
another one. The value itself is never in the link (a URL ends up in the web
server's logs, and a signed value is only signed, not hidden): the link
carries a keyed digest of it (HMAC with the project's secret and the link's
purpose), which nobody without the secret can compute or test guesses
against. Reading the link checks the digest against the row's value now.

The page a link opens only shows what it stands for and asks: the change is
made on the POST of the page's button (mail scanners and link previews open
every link in a mail).
"""

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

Row = TypeVar("Row", bound=models.Model)


class InvalidLink(Exception):
    """A signed link that was tampered with, has expired or names no row."""


class SupersededLink(InvalidLink):
    """A genuine link bound to a value its row no longer has."""


def _digest(value: str, *, salt: str) -> str:
    # 128 bits: enough to tell two values apart, and the link stays short.
    return salted_hmac(f"{salt}.bind", value, algorithm="sha256").hexdigest()[:32]


def signed_url(url_name: str, pk: int, *, salt: str, bind: str | None = None) -> str:
    """The absolute URL of ``url_name`` with ``pk`` signed for ``salt``.

    With ``bind``, the link works only while ``row_from_link``'s ``bind``
    gives the same value for the row.
    """
    value: int | list = pk if bind is None else [pk, _digest(bind, salt=salt)]
    token = signing.dumps(value, salt=salt)
    return settings.SITE_URL + reverse(url_name, kwargs={"token": token})


def _unsign(token: str, *, salt: str, max_age: timedelta | None) -> tuple[int, str]:
    """The primary key and the digest ("" when unbound) a token carries."""
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidLink(_("This link has expired.")) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidLink(_("This link is not valid.")) from error
    # A signed value is JSON: a link made by hand with another value (a
    # string, a boolean, which is an int in Python, a list of another shape)
    # names no row.
    if type(value) is int:
        return value, ""
    if (
        type(value) is list
        and len(value) == 2
        and type(value[0]) is int
        and type(value[1]) is str
        and value[1]
    ):
        return value[0], value[1]
    raise InvalidLink(_("This link is not valid."))


def row_from_link(
    rows: models.QuerySet[Row],
    token: str,
    *,
    salt: str,
    max_age: timedelta | None = None,
    gone_message: str | None = None,
    bind: Callable[[Row], str | None] | None = None,
    unbound: Callable[[Row], bool] | None = None,
    superseded_message: str | None = None,
) -> Row:
    """The row of ``rows`` a signed link stands for; ``InvalidLink`` otherwise.

    ``gone_message`` is what a valid link to a row that no longer exists says
    (by default: that the link is not valid).

    ``bind`` gives the value a link to the row must be bound to now
    (``signed_url``'s ``bind``); a link bound to another value raises
    ``SupersededLink`` with ``superseded_message``. When it gives None the row
    holds nothing a binding protects, and any link to it will do. A link made
    without a binding is accepted only where ``unbound`` says so for the row
    (links mailed before their purpose was bound). Without ``bind``, only
    links without a binding are accepted.
    """
    pk, digest = _unsign(token, salt=salt, max_age=max_age)
    if digest and bind is None:
        raise InvalidLink(_("This link is not valid."))
    row = rows.filter(pk=pk).first()
    if row is None:
        raise InvalidLink(gone_message or _("This link is not valid."))
    if bind is None:
        return row
    value = bind(row)
    if value is None:
        return row
    if digest:
        matches = constant_time_compare(digest, _digest(value, salt=salt))
    else:
        matches = unbound is not None and unbound(row)
    if not matches:
        raise SupersededLink(superseded_message or _("This link is no longer valid."))
    return row
