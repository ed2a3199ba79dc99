"""The overrides of Django's and the admin packages' translations.

``wabp_portal/locale_overrides`` comes first in LOCALE_PATHS, so its entries
replace what Django, django-auditlog and django-import-export ship: the
formal "u" of Django's Dutch, and the English the packages leave untranslated.
An override only works while its msgid is the package's: each entry names
the package it overrides, and an upgrade that changes or drops the msgid
fails here instead of silently bringing the old wording back.
"""

import functools
import importlib.util
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from tests.test_plain_language import AVOID, FORMAL, MAX_WORDS, plain, sentence_lengths

OVERRIDES = Path(settings.BASE_DIR) / "wabp_portal" / "locale_overrides"
PROJECT = Path(settings.BASE_DIR) / "locale"
SOURCE = re.compile(r"from: (.+)")


def key(entry: polib.POEntry) -> tuple:
    """How gettext finds an entry: its context, msgid and plural msgid."""
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


def catalogues() -> list[Path]:
    return sorted(OVERRIDES.glob("*/LC_MESSAGES/*.po"))


def package_dir(name: str) -> Path:
    root = Path(importlib.util.find_spec(name).origin).parent
    # Django's own messages (not its contrib apps') live in django/conf/locale.
    return root / "conf" if name == "django" else root


@functools.cache
def package_msgids(name: str, domain: str) -> set[tuple]:
    """Every (context, msgid) a package marks for translation.

    Its English catalogue where it ships one (Django's holds them all);
    else its catalogues in every language and the literal text of its
    source, for a package whose catalogues lag behind its code.
    """
    english = package_dir(name) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    if english.exists():
        # The source catalogue: the others may keep msgids the code dropped.
        return {key(entry) for entry in polib.pofile(str(english))}
    found = set()
    for po_path in package_dir(name).glob(f"locale/*/LC_MESSAGES/{domain}.po"):
        found |= {key(entry) for entry in polib.pofile(str(po_path))}
    return found


def in_package_source(name: str, msgid: str) -> bool:
    for path in package_dir(name).rglob("*"):
        if path.suffix in {".py", ".html", ".txt", ".js"} and msgid in path.read_text(
            encoding="utf-8", errors="replace"
        ):
            return True
    return False


def test_the_overrides_come_first_in_locale_paths():
    assert [Path(p) for p in settings.LOCALE_PATHS] == [OVERRIDES, PROJECT]


def test_there_are_overrides_for_each_language():
    assert {path.parts[-3] for path in catalogues()} == {"nl", "fr", "en"}


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: "/".join(p.parts[-3:]))
def test_each_override_names_a_msgid_its_package_still_has(po_path):
    domain = po_path.stem
    problems = []
    for entry in polib.pofile(str(po_path)):
        match = SOURCE.search(entry.comment or "")
        if not match:
            problems.append(f"{entry.msgid[:60]!r} names no package")
            continue
        packages = [name.strip() for name in match.group(1).split(",")]
        for name in packages:
            wanted = key(entry)
            if wanted not in package_msgids(name, domain) and not in_package_source(
                name, entry.msgid
            ):
                problems.append(f"{entry.msgid[:60]!r} is no longer one of {name}'s")
    assert not problems, "\n".join(problems)


def test_no_override_shadows_a_message_of_the_portal():
    """The portal's own words live in locale/; an override never hides one."""
    for language in ("nl", "fr", "en"):
        own = {
            key(entry)
            for entry in polib.pofile(str(PROJECT / language / "LC_MESSAGES/django.po"))
        }
        overridden = {
            key(entry)
            for entry in polib.pofile(
                str(OVERRIDES / language / "LC_MESSAGES/django.po")
            )
        }
        assert not own & overridden, f"{language}: {sorted(own & overridden)[:5]}"


def dutch() -> list[tuple[str, str]]:
    pairs = []
    for po_path in OVERRIDES.glob("nl/LC_MESSAGES/*.po"):
        for entry in polib.pofile(str(po_path)):
            forms = (
                list(entry.msgstr_plural.values())
                if entry.msgid_plural
                else [entry.msgstr]
            )
            pairs += [(entry.msgid, form) for form in forms]
    return pairs


def test_the_dutch_overrides_follow_the_plain_language_rules():
    problems = []
    for msgid, msgstr in dutch():
        text = plain(msgstr)
        if FORMAL.search(text):
            problems.append(f"formal: {msgstr}")
        if max(sentence_lengths(msgstr)) > MAX_WORDS:
            problems.append(f"long: {msgstr}")
        for pattern, instead, unless in AVOID:
            if re.search(pattern, text, re.IGNORECASE) and not (
                unless and re.search(unless, msgid, re.IGNORECASE)
            ):
                problems.append(f"{instead}: {msgstr}")
    assert not problems, "\n".join(problems)


def test_stock_messages_put_no_article_before_a_model_name():
    """ "De overleg ... is toegevoegd": Dutch nouns are de- or het-words, and
    Django's Dutch puts "de" before every model's name. The portal's wording
    leaves the article out."""
    article = re.compile(
        r"\b(?:de|het)\s+(?:\{name\}|%\((?:name|object_name)\)s)", re.I
    )
    with translation.override("nl"):
        messages = [
            gettext("The {name} “{obj}” was added successfully."),
            gettext("The {name} “{obj}” was changed successfully."),
            gettext("The %(name)s “%(obj)s” was deleted successfully."),
            gettext(
                "The {name} “{obj}” was added successfully. You may add another "
                "{name} below."
            ),
            gettext(
                "Are you sure you want to delete the %(object_name)s "
                '"%(escaped_object)s"? All of the following related items will be '
                "deleted:"
            ),
        ]
        added = messages[0].format(name="overleg", obj="Overleg maart")
    assert not [message for message in messages if article.search(message)]
    assert added == "Toegevoegd: overleg ‘Overleg maart’."


def test_the_overrides_are_what_the_admin_says():
    with translation.override("nl"):
        assert gettext("Django administration") == "WABP-portaal"
        assert gettext("View") == "Bekijken"
        assert gettext("Forgotten your login credentials?") == (
            "Gebruikersnaam of wachtwoord vergeten?"
        )
        assert gettext("Created {repr:s}") == "Toegevoegd: {repr:s}"
        assert "tekens" in ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            8,
        )
    with translation.override("fr"):
        # Django's own French stays; auditlog's English gets French.
        assert gettext("View") == "Afficher"
        assert gettext("Created {repr:s}") == "Création de {repr:s}"
        assert gettext("Django administration") == "Portail WABP"
    with translation.override("en"):
        assert gettext("Django administration") == "WABP portal"
        assert gettext("View") == "View"


def french_of(name: str, domain: str) -> set[tuple]:
    path = package_dir(name) / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return set()
    return {
        key(entry)
        for entry in polib.pofile(str(path))
        if entry.translated() and "fuzzy" not in entry.flags
    }


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_what_a_package_leaves_in_english_is_french_too(domain):
    """A msgid given Dutch because its package has none has French as well,
    unless the package's own French catalogue already translates it."""
    dutch_entries = polib.pofile(str(OVERRIDES / f"nl/LC_MESSAGES/{domain}.po"))
    french = {
        key(entry)
        for entry in polib.pofile(str(OVERRIDES / f"fr/LC_MESSAGES/{domain}.po"))
    }
    missing = []
    for entry in dutch_entries:
        wanted = key(entry)
        packages = SOURCE.search(entry.comment).group(1).split(", ")
        if wanted in french or any(
            wanted in french_of(name, domain) for name in packages
        ):
            continue
        missing.append(entry.msgid[:60])
    assert not missing, missing
