"""What a Markdown text may hold before it is rendered: its length and the shapes that make
Python-Markdown slow or make it fail, found by one linear pass over the text.

Python-Markdown scans forward from every `[` to its closing `]` (and from every `](` to the
closing `)`), and from every `<` that may open a tag to the next `>`; unclosed or deeply
nested brackets make that quadratic. Lists and quotes nested very deeply exhaust Python's
recursion limit; hundreds of abbreviation or footnote definitions make their processors slow,
and thousands of blocks cost far more than their characters.
`problems()` lists each such shape with a message for the editor; the form field
(richtext/fields.py) and the preview (richtext/views.py) refuse a text that has any, so
nothing slow is ever rendered. `make bench-security` measures the worst text these limits
allow (bench/bench_security.py).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext, ngettext

# Characters Python-Markdown scans, summed over every `[`, `](` and tag-like `<` (see above).
# A text with a few hundred ordinary links needs a few tens of thousands.
MAX_SCAN_WORK = 400_000
# Levels of lists and quotes a line may be nested in (a level: a `>`, a list marker or 4
# columns of indent).
MAX_NESTING = 10
# Blocks (text between blank lines): each costs Python-Markdown far more than its characters.
MAX_BLOCKS = 2_000
MAX_ABBREVIATIONS = 100
MAX_FOOTNOTES = 300

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# What opens a level at the start of a line: indentation, a quote's `>`, a list item's marker.
_LINE_PREFIX = re.compile(r"^(?:[ \t]|>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t]))*", re.MULTILINE)
_RULE = re.compile(r"[ ]{0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*")  # `* * *`: a line, not lists
_ABBREVIATION = re.compile(r"^[ ]{0,3}\*\[", re.MULTILINE)
_FOOTNOTE = re.compile(r"^[ ]{0,3}\[\^[^\]\n]*\]:", re.MULTILINE)
_TAG_START = re.compile(r"<[A-Za-z/!?]")


@dataclass(frozen=True)
class ShapeProblem:
    """One reason a text cannot be rendered; `too_long` when it is its length."""

    message: str
    too_long: bool = False


def max_chars():
    return settings.MARKDOWN_MAX_CHARS


def problems(text):
    """What keeps `text` from being rendered, as messages for the editor (none: it may be)."""
    text = str(text or "")
    limit = max_chars()
    if len(text) > limit:
        # Nothing else is looked at: the length alone decides, and the scan stays bounded.
        return [
            ShapeProblem(
                gettext("This text has %(length)s characters; a text may have at most %(limit)s.")
                % {"length": f"{len(text):,}", "limit": f"{limit:,}"},
                too_long=True,
            )
        ]
    found = []
    if bracket_work(text) + tag_work(text) > MAX_SCAN_WORK:
        found.append(
            ShapeProblem(
                gettext(
                    "This text has too many unclosed or deeply nested brackets ([ ], ( ) after "
                    "a link, or < ) to be shown. Close each one, or write \\[ or \\< for a "
                    "bracket meant as text."
                )
            )
        )
    depth, line = nesting(text)
    if depth > MAX_NESTING:
        found.append(
            ShapeProblem(
                gettext(
                    "Line %(line)s is nested %(depth)s levels deep in lists, quotes or "
                    "indentation; at most %(limit)s levels can be shown."
                )
                % {"line": line, "depth": depth, "limit": MAX_NESTING}
            )
        )
    blocks = len(_BLANK_LINE.findall(text)) + 1
    if blocks > MAX_BLOCKS:
        found.append(
            ShapeProblem(
                gettext(
                    "This text has %(count)s paragraphs or other blocks (separated by blank "
                    "lines); at most %(limit)s can be shown."
                )
                % {"count": f"{blocks:,}", "limit": f"{MAX_BLOCKS:,}"}
            )
        )
    for pattern, limit, singular, plural in (
        (
            _ABBREVIATION,
            MAX_ABBREVIATIONS,
            "This text defines %(count)s abbreviation (*[…]: …); at most %(limit)s can be shown.",
            "This text defines %(count)s abbreviations (*[…]: …); at most %(limit)s can be shown.",
        ),
        (
            _FOOTNOTE,
            MAX_FOOTNOTES,
            "This text has %(count)s footnote ([^…]: …); at most %(limit)s can be shown.",
            "This text has %(count)s footnotes ([^…]: …); at most %(limit)s can be shown.",
        ),
    ):
        count = len(pattern.findall(text))
        if count > limit:
            found.append(
                ShapeProblem(ngettext(singular, plural, count) % {"count": count, "limit": limit})
            )
    return found


def _blocks(text):
    """The text's blocks (separated by blank lines) as (start, end) offsets: Markdown's inline
    patterns never look past the block they are in."""
    start = 0
    for blank in _BLANK_LINE.finditer(text):
        yield start, blank.start()
        start = blank.end()
    yield start, len(text)


def bracket_work(text):
    """Characters scanned from every `[` to its `]` and from every `](` to its `)`, where an
    unclosed one scans to the end of its block."""
    work = 0
    for start, end in _blocks(text):
        squares = []
        rounds = []
        link_opens = set()
        position = start
        while position < end:
            char = text[position]
            if char == "\\":
                position += 2
                continue
            if char == "[":
                squares.append(position)
            elif char == "]":
                if squares:
                    work += position - squares.pop()
                if position + 1 < end and text[position + 1] == "(":
                    link_opens.add(position + 1)
            elif char == "(":
                rounds.append(position)
            elif char == ")" and rounds:
                opened = rounds.pop()
                if opened in link_opens:
                    work += position - opened
                    link_opens.discard(opened)
            position += 1
        work += sum(end - opened for opened in squares)
        work += sum(end - opened for opened in link_opens)
    return work


def tag_work(text):
    """Characters scanned from every `<` that may open a tag to the next `>` (or the end)."""
    work = 0
    close = -1
    for match in _TAG_START.finditer(text):
        if close < match.start():  # each `>` is found once: the pass stays linear
            close = text.find(">", match.start())
            if close < 0:
                close = len(text)
        work += close - match.start()
    return work


def nesting(text):
    """The deepest nesting of any line (a `>`, a list marker or 4 columns of indent is a
    level), and that line's number (from 1)."""
    deepest, deepest_line = 0, 0
    for number, line in enumerate(text.split("\n"), start=1):
        if _RULE.fullmatch(line):
            continue
        prefix = _LINE_PREFIX.match(line)
        columns = 0
        levels = 0
        for char in prefix[0] if prefix else "":
            if char in ">*+-.)":
                levels += 1  # a quote, or a list item's marker (its digits are not counted)
            elif levels:
                continue  # the space after a marker is not indentation
            elif char == " ":
                columns += 1
            elif char == "\t":
                columns += 4 - columns % 4
        depth = levels + columns // 4
        if depth > deepest:
            deepest, deepest_line = depth, number
    return deepest, deepest_line
