"""Every message the portal shows exists in Dutch, French and English.

The source is scanned afresh with Django's ``makemessages`` (into a copy, so
the catalogues in the repo are only read): a string added to a template or to
Python code without ``make messages`` fails here, as does one left without its
Dutch, left fuzzy (a guess by gettext), or translated with other placeholders
than its source, which would break the page when it is shown.
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import ngettext

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["nl", "fr", "en"]
# What ``make messages`` scans (see MAKEMESSAGES_FLAGS in the Makefile).
SOURCES = ["groups", "registrations", "devdata", "wabp_portal", "templates", "bin"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="needs GNU gettext to scan the source (apt-get install gettext)",
)


def key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


def label(entry_key: tuple) -> str:
    context, msgid, _plural = entry_key
    return f"{context + ' | ' if context else ''}{msgid[:70]!r}"


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> set[tuple]:
    """What the code and templates mark for translation today."""
    copy = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        shutil.copytree(
            Path(settings.BASE_DIR) / name,
            copy / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "data"),
        )
    (copy / "locale").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        call_command("makemessages", locale=["xx"], no_location=True, verbosity=0)
    extracted = polib.pofile(str(copy / "locale/xx/LC_MESSAGES/django.po"))
    assert len(extracted) > 500, "the scan found almost nothing"
    return {key(entry) for entry in extracted}


@pytest.fixture(scope="module", params=LANGUAGES)
def catalogue(request) -> tuple[str, polib.POFile]:
    path = LOCALE / request.param / "LC_MESSAGES" / "django.po"
    return request.param, polib.pofile(str(path))


def test_every_message_in_the_source_is_in_the_catalogue(source_messages, catalogue):
    language, po = catalogue
    missing = source_messages - {key(entry) for entry in po if not entry.obsolete}

    assert not missing, (
        f"{len(missing)} messages are not in the {language} catalogue; run "
        "`make messages` and translate them: "
        + "; ".join(label(entry) for entry in sorted(missing, key=str)[:10])
    )


def test_the_catalogue_holds_nothing_the_source_dropped(source_messages, catalogue):
    language, po = catalogue
    stale = {key(entry) for entry in po} - source_messages

    assert not stale, (
        f"{len(stale)} entries of the {language} catalogue are no longer used: "
        + "; ".join(label(entry) for entry in sorted(stale, key=str)[:10])
    )


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_message_is_translated(catalogue):
    language, po = catalogue
    untranslated = [
        entry for entry in po if not all(translations(entry)) or "fuzzy" in entry.flags
    ]

    assert not untranslated, (
        f"{len(untranslated)} messages lack a {language} translation (or are "
        "fuzzy): " + "; ".join(label(key(entry)) for entry in untranslated[:10])
    )


def test_translations_keep_the_placeholders(catalogue):
    language, po = catalogue
    broken = []
    for entry in po:
        expected = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in translations(entry):
            found = set(PLACEHOLDER.findall(text))
            # A plural form may leave out the count ("één uitnodiging").
            if found != expected and not (entry.msgid_plural and found < expected):
                wrong = f"{sorted(found)} instead of {sorted(expected)}"
                broken.append(f"{label(key(entry))}: {wrong}")

    assert not broken, f"{language}: " + "; ".join(broken[:10])


def test_the_french_plural_rule_counts_zero_as_one():
    """French counts 0 as one (plural=(n > 1)): "0 invitation envoyée"."""
    singular, plural = (
        "%(count)d invitation was sent.",
        "%(count)d invitations were sent.",
    )
    with translation.override("fr"):
        french = [ngettext(singular, plural, n) % {"count": n} for n in (0, 1, 2)]
    with translation.override("nl"):
        dutch = ngettext(singular, plural, 0) % {"count": 0}

    assert french == [
        "0 invitation envoyée.",
        "1 invitation envoyée.",
        "2 invitations envoyées.",
    ]
    assert dutch == "0 uitnodigingen verstuurd."


def test_every_language_of_the_site_has_a_catalogue():
    assert sorted(code for code, _name in settings.LANGUAGES) == sorted(LANGUAGES)
