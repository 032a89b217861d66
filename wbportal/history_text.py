"""What a version changed in a long text, as a person reads it: the changed paragraphs (their
changed words marked), one unchanged paragraph of context on each side, and the unchanged rest
folded away, so that a two-word change in a long body takes a few lines, not the whole text
twice."""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString

from publishing.diff import highlight, words_and_signs

# Paragraphs are separated by blank lines (Markdown's rule).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
# Unchanged paragraphs shown on each side of a change.
CONTEXT = 1


def paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").strip("\n")
    return [part.strip("\n") for part in _PARAGRAPH_BREAK.split(text)] if text else []


@dataclass
class Piece:
    """One stretch of the text: "same" (shown, unchanged), "folded" (unchanged, hidden until
    opened) or "changed" (`old` and `new` as HTML, the changed words marked; either may be
    empty when paragraphs were only added or only removed)."""

    kind: str
    texts: list[SafeString] = field(default_factory=list)
    old: SafeString | None = None
    new: SafeString | None = None


def _unchanged(texts: list[str], first: bool, last: bool) -> list[Piece]:
    """A run of unchanged paragraphs: the ones next to a change shown, the rest folded."""
    escaped = [escape(text) for text in texts]
    head = [] if first else escaped[:CONTEXT]
    tail = [] if last else escaped[-CONTEXT:]
    if len(head) + len(tail) >= len(escaped):
        return [Piece("same", escaped)]
    middle = escaped[len(head) : len(escaped) - len(tail)]
    pieces = []
    if head:
        pieces.append(Piece("same", head))
    pieces.append(Piece("folded", middle))
    if tail:
        pieces.append(Piece("same", tail))
    return pieces


def text_changes(old: str, new: str) -> list[Piece]:
    """The pieces of the change from `old` to `new` (both plain text; escaped here)."""
    old_parts, new_parts = paragraphs(old), paragraphs(new)
    matcher = difflib.SequenceMatcher(a=old_parts, b=new_parts, autojunk=False)
    opcodes = matcher.get_opcodes()
    pieces: list[Piece] = []
    for index, (operation, old_start, old_end, new_start, new_end) in enumerate(opcodes):
        if operation == "equal":
            first, last = index == 0, index == len(opcodes) - 1
            pieces.extend(_unchanged(old_parts[old_start:old_end], first, last))
            continue
        removed = "\n\n".join(old_parts[old_start:old_end])
        added = "\n\n".join(new_parts[new_start:new_end])
        old_html, new_html = highlight(removed, added, words_and_signs)
        pieces.append(
            Piece("changed", old=old_html if removed else None, new=new_html if added else None)
        )
    return pieces
