"""Text put in a spreadsheet cell (CSV downloads and exports): formula-like text neutralised.

A spreadsheet runs a cell that starts with "=", "+", "-", "@", a tab or a carriage return as a
formula; a leading "'" makes it text. Every CSV the site writes (the indicator downloads, the
admin's exports, the audit log) neutralises its text cells with `neutralise()`; the import
pipeline undoes it with `unneutralise()`, so export then import is an identity.
"""

# Text a spreadsheet would run as a formula when it starts a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def needs_neutralising(text: str) -> bool:
    if not text:
        return False
    if text[0] in FORMULA_STARTS:
        return True
    # Text that starts with our own escape mark must keep it, or import would remove it.
    return text[0] == "'" and needs_neutralising(text[1:])


def neutralise(text: object) -> str:
    """Text safe to put in a spreadsheet cell: formula-like text gets a leading "'"."""
    text = "" if text is None else str(text)
    return "'" + text if needs_neutralising(text) else text


def unneutralise(text: str) -> str:
    """Undo neutralise(): exactly inverse, so export then import is an identity."""
    if text.startswith("'") and needs_neutralising(text[1:]):
        return text[1:]
    return text
