"""The finder's answer, rendered once per search and table version.

A search's answer depends on the networks table and on the search's keys
only: the street text as ``street_search_keys`` reads it, the house number and
the postcode (or the postcode alone). So the answer is rendered once per keys,
version of the table and language (``network_cache.cached_lookup``), and
every visitor who searches the same (typing "Motstraat" or " motstraat ") gets
that render.

What a visitor typed is theirs alone: the answer holds a marker where the
typed street goes (the buttons that carry it to the signup form and the
waiting list), and the page a marker in each field of the form; ``fill``
puts this visitor's text in their place, escaped, at every request. A marker
starts with ``<``: whatever the templates print of the data is escaped, so no
street or group name can make one, and the answer in the cache holds only our
render of public data. The key is a hash of the keys: bounded whatever was
typed.
"""

import hashlib
import json
import re
from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .models import street_search_keys
from .public import lookup_address, lookup_postcode

# Where the visitor's own text goes: the fields of the form as typed
# (straat, nummer, postcode), the street as read (typed), and the answer in
# the page (results).
# Accepted bandit finding B703: a marker is our own constant text.
MARKERS = {
    name: SafeString(f"<wabp-echo {name}>")  # nosec B703
    for name in ("straat", "nummer", "postcode", "typed", "results")
}
_MARKER = re.compile("|".join(re.escape(marker) for marker in MARKERS.values()))


def fill(html: str, **values: str) -> SafeString:
    """``html`` with each marker replaced by its value, escaped unless safe.

    In one pass: a value is never read for markers itself.
    """
    by_marker = {MARKERS[name]: conditional_escape(v) for name, v in values.items()}
    # Accepted bandit finding B703: ``html`` is our own render of public data
    # (escaped by the templates), and every value put in it is escaped here.
    # See SECURITY.md.
    return SafeString(  # nosec B703
        _MARKER.sub(lambda match: by_marker[match[0]], html)
    )


# The page around an answer, by language: it holds no data of the table, so
# it is rendered once per process and language (templates change only with a
# new release, which starts new processes; in development, every time).
_pages: dict[str, str] = {}


def page(render: Callable[[], str]) -> str:
    """The page around an answer in the active language, with its markers."""
    if settings.DEBUG:
        return render()
    language = get_language()
    html = _pages.get(language)
    if html is None:
        html = _pages[language] = render()
    return html


def search_name(data: dict) -> str:
    """The cache name of a valid search (``FinderForm.cleaned_data``)."""
    if data["straat"]:
        keys = ["street", *street_search_keys(data["straat"]), data["nummer"]]
    else:
        keys = ["postcode"]
    keys.append(data["postcode"])
    return hashlib.sha256(json.dumps(keys).encode()).hexdigest()


def render_answer(data: dict, context: dict) -> str:
    """The answer to a valid search, with the typed street as its marker.

    ``context``: what the templates need besides (the signup pages' URLs).
    """
    search = {
        "straat": MARKERS["typed"] if data["straat"] else "",
        "nummer": data["nummer"],
        "postcode": data["postcode"],
    }
    if data["straat"]:
        lookup = lookup_address(data["straat"], data["nummer"], data["postcode"])
        template, context = "groups/_finder_address.html", {**context, "lookup": lookup}
    else:
        lookup = lookup_postcode(data["postcode"])
        template = "groups/_finder_postcode.html"
        context = {**context, "postcode_lookup": lookup}
    return render_to_string(template, {**context, "search": search})
