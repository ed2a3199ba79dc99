"""Text that a spreadsheet reads as text, whoever typed it.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or carriage return) as a formula: a name such as
``=HYPERLINK("https://evil.example", "click")`` would become a link in the
coordinator's spreadsheet (OWASP "CSV injection"). Every export that a
person opens in a spreadsheet puts such a cell behind an apostrophe, which
the spreadsheet shows as text; an import takes that apostrophe off again.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _is_formula(value: str) -> bool:
    # A value that already starts with apostrophes before a formula character
    # gets one more, so that ``restore`` gives back exactly what was typed.
    return value.lstrip("'").startswith(FORMULA_PREFIXES)


def neutralise(value: str) -> str:
    """Make a cell text for spreadsheets."""
    return f"'{value}" if _is_formula(value) else value


def restore(value: str) -> str:
    """Undo ``neutralise`` on a cell read back from an exported file."""
    if value.startswith("'") and _is_formula(value[1:]):
        return value[1:]
    return value
