"""What the pages say, looked up in the Dutch catalogue."""

from django.utils import translation
from django.utils.translation import gettext, ngettext


def dutch(text: str) -> str:
    """What the page says for ``text``, whether or not it is translated yet."""
    with translation.override("nl"):
        return gettext(text)


def dutch_count(singular: str, plural: str, count: int) -> str:
    with translation.override("nl"):
        return ngettext(singular, plural, count) % {"counter": count}
