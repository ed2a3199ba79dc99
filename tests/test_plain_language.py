"""Plain-language rules for the Dutch catalogue (issue 8, "Clear language").

The Dutch texts are how the police zone and its municipalities write to
residents and coordinators, many of them older and not at ease with forms.
These tests guard what a machine can check in locale/nl/LC_MESSAGES/django.po:

1. One form of address, the informal one: "je/jij/jouw", never "u/uw".
2. Short sentences: at most MAX_WORDS words. Measured on the catalogue: before
   the plain-language review the longest sentence had 27 words and 11 had more
   than 20; after it, none has more than 20.
3. One word for one thing: a term in the English msgid always becomes the same
   Dutch term (SAME_TERM), and some words are never used (AVOID): the house
   rules are always the "huishoudelijk reglement", signing up is "inschrijven"
   ("aanmelden" is logging in), a resident is a "bewoner", "je kan" not
   "je kunt", "e-mail" not "mail".
4. A msgid that is a full sentence (ends with . ? or !) has a msgstr that ends
   with the same mark.

Placeholders (%(name)s, {url}), HTML tags and web addresses are removed first,
so the "u" in a URL or a placeholder is never taken for the word "u".
"""

import re
from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/nl/LC_MESSAGES/django.po"
MAX_WORDS = 20

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"<[^>]+>")
URL = re.compile(r"\b(?:https?://|www\.)\S+")
# "u", "uw", "uzelf" as words; not the "u" of "20 u" (20 uur).
FORMAL = re.compile(r"(?<!\d )\b(?:u|uw|uzelf)\b", re.IGNORECASE)

# (English term in the msgid, Dutch term the msgstr then contains)
SAME_TERM = [
    (r"house[ -]rules", r"huishoudelijk reglement"),
    (r"\bsign(?:s|ed|ing)?[ -]?ups?\b", r"schrij|ingeschreven"),
    (r"\bcoordinators?\b", r"coördinator"),
    (r"\bmobile number", r"gsm-nummer"),
]
# (Dutch the catalogue never uses, what it uses instead, unless the msgid matches)
AVOID = [
    (r"\bhuisregel", "huishoudelijk reglement", None),
    (r"(?<!huishoudelijk )\breglement", "huishoudelijk reglement, in full", None),
    (r"aanmeld", "inschrijven: aanmelden is logging in", r"\blog"),
    (r"\bcoordinat", "coördinator, with the diaeresis", None),
    (r"\binwoners?\b", "bewoner", None),
    (r"\bkunt\b", "je kan, as everywhere else", None),
    (r"\bemail|(?<![\w-])mails?\b", "e-mail", None),
]


def plain(text: str) -> str:
    """The words a reader sees: placeholders become X, tags and URLs go."""
    text = URL.sub(" ", text)
    text = TAG.sub(" ", text)
    return PLACEHOLDER.sub("X", text)


def sentence_lengths(text: str) -> list[int]:
    sentences = re.split(r"(?<=[.!?])\s+", plain(text))
    return [len([w for w in s.split() if re.search(r"\w", w)]) for s in sentences]


def translations() -> list[tuple[str, str]]:
    """(msgid, msgstr) for every translation; plural forms pair with msgid_plural."""
    pairs = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            for index, form in sorted(entry.msgstr_plural.items()):
                pairs.append((entry.msgid_plural if index else entry.msgid, form))
        else:
            pairs.append((entry.msgid, entry.msgstr))
    return pairs


def report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_catalogue_is_read_and_translated():
    pairs = translations()
    assert len(pairs) > 500
    assert all(msgstr for _, msgstr in pairs)


@pytest.mark.parametrize(
    ("text", "formal"),
    [
        ("Vul uw naam in.", True),
        ("Kunt U dit bevestigen?", True),
        ("Bekijk je e-mail.", False),
        ("Het overleg begint om 20 u.", False),
        ('Lees de <a href="{url}">uitleg</a> op %(url)s of https://u.be/u', False),
    ],
)
def test_formal_address_detector(text, formal):
    assert bool(FORMAL.search(plain(text))) is formal


def test_no_formal_address():
    problems = [msgstr for _, msgstr in translations() if FORMAL.search(plain(msgstr))]
    assert not problems, report(problems)


def test_sentences_are_short():
    problems = [
        f"{max(sentence_lengths(msgstr))} words: {msgstr}"
        for _, msgstr in translations()
        if max(sentence_lengths(msgstr)) > MAX_WORDS
    ]
    assert not problems, report(problems)


def test_same_term_for_the_same_thing():
    problems = []
    for msgid, msgstr in translations():
        text = plain(msgstr)
        for english, dutch in SAME_TERM:
            if re.search(english, msgid, re.IGNORECASE) and not re.search(
                dutch, text, re.IGNORECASE
            ):
                problems.append(f"{msgstr!r} lacks {dutch!r} for {english!r}")
        for avoid, instead, unless in AVOID:
            if re.search(avoid, text, re.IGNORECASE) and not (
                unless and re.search(unless, msgid, re.IGNORECASE)
            ):
                problems.append(f"{msgstr!r}: write {instead}")
    assert not problems, report(problems)


def test_full_sentences_end_like_the_english():
    problems = [
        f"{msgid!r} -> {msgstr!r}"
        for msgid, msgstr in translations()
        if msgid.rstrip()[-1:] in {".", "?", "!"}
        and msgstr.rstrip()[-1:] != msgid.rstrip()[-1:]
    ]
    assert not problems, report(problems)
