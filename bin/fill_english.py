"""Give every English entry its text: the source strings are written in English.

``make messages`` runs this after extracting, so the English catalogue is
complete: a new entry gets its msgid as translation; an entry someone already
translated (to word it better than the source) is left as it is.
"""

from pathlib import Path

import polib

ENGLISH = Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po"


def main() -> None:
    po = polib.pofile(str(ENGLISH))
    filled = 0
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            # A guess from a similar, older string: the source is right instead.
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = None
            entry.msgstr = ""
            entry.msgstr_plural = {index: "" for index in entry.msgstr_plural}
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
    po.save()
    print(f"{filled} English entries filled in")


if __name__ == "__main__":
    main()
