"""Compile the .po catalogues to .mo with polib, so no gettext tools are needed.

Two sets of catalogues: the portal's own (locale/) and the overrides of
Django's and the admin packages' translations (wabp_portal/locale_overrides/).
With --check it compiles nothing and fails if a translation is missing (or
fuzzy) in any catalogue: Dutch, French and English are all kept complete.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIRS = [ROOT / "locale", ROOT / "wabp_portal" / "locale_overrides"]


def main(check: bool) -> int:
    problems = []
    catalogues = [
        po_path
        for locale in LOCALE_DIRS
        for po_path in sorted(locale.glob("*/LC_MESSAGES/*.po"))
    ]
    for po_path in catalogues:
        po = polib.pofile(str(po_path))
        if check:
            untranslated = [entry.msgid for entry in po.untranslated_entries()]
            fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
            if untranslated or fuzzy:
                problems.append(
                    f"{po_path}: {len(untranslated)} untranslated, "
                    f"{len(fuzzy)} fuzzy, e.g. {(untranslated + fuzzy)[:3]}"
                )
            continue
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
