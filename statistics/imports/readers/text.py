"""A text file's bytes -> text (UTF-8 with or without BOM, Windows-1250 or Windows-1251,
told apart by how plausible the words read), and its lines."""

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .limits import FileError

_LETTERS = re.compile(r"[^\W\d_]+")
_ASCII = bytes(range(128))
_SINGLE_BYTE = (("cp1250", "Windows-1250"), ("cp1251", "Windows-1251"))
_UNDEFINED = {"cp1250": b"\x81\x83\x88\x90\x98", "cp1251": b"\x98"}


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _plausibility(text: str) -> int:
    """How much `text` looks like real words in Latin or Cyrillic script.

    A wrongly decoded Windows-1250/1251 file shows tell-tale words: Cyrillic mixed into Latin
    words ("Priљtina", "Tьrkiye" from cp1250 read as cp1251), or "Latin" words made almost
    only of accented letters ("Ńđáčĺ" from Cyrillic read as cp1250).
    """
    score = 0
    for match in _LETTERS.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        cyrillic = sum(1 for char in word if _is_cyrillic(char))
        if cyrillic and cyrillic < len(word):
            score -= 2  # mixed scripts within one word
        elif cyrillic:
            score += 1
        else:
            accented = sum(1 for char in word if not char.isascii())
            score += 1 if accented * 2 <= len(word) or len(word) <= 2 else -1
    return score


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise FileError.

    At most one decoded copy of the file is alive at a time: the two single-byte candidates
    are scored one after the other, and whether they read the same is decided on the bytes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError as error:
            raise FileError(
                _(
                    "The file starts with a UTF-8 mark but byte %(byte)d is not UTF-8. "
                    "Save it again as 'CSV UTF-8'."
                )
                % {"byte": error.start + 3}
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(
            _(
                "The file is UTF-16 ('Unicode text'), which is not accepted. Save it as "
                "'CSV UTF-8 (comma delimited)' or as XLSX."
            )
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    high = set(data.translate(None, _ASCII))
    candidates = [
        (encoding, label)
        for encoding, label in _SINGLE_BYTE
        if not any(byte in high for byte in _UNDEFINED[encoding])
    ]
    if not candidates:
        raise FileError(
            _(
                "The file is not UTF-8, Windows-1250 or Windows-1251 text. Save it as "
                "'CSV UTF-8' or XLSX."
            )
        )
    same = all(bytes([byte]).decode("cp1250") == bytes([byte]).decode("cp1251") for byte in high)
    if len(candidates) == 2 and not same:
        latin_score = _plausibility(data.decode("cp1250"))
        cyrillic_score = _plausibility(data.decode("cp1251"))
        if latin_score == cyrillic_score:
            raise FileError(
                _(
                    "Cannot tell whether the file is Windows-1250 (Latin) or Windows-1251 "
                    "(Cyrillic) text. Save it as 'CSV UTF-8' or XLSX."
                )
            )
        candidates = [_SINGLE_BYTE[0] if latin_score > cyrillic_score else _SINGLE_BYTE[1]]
    encoding, label = candidates[0]
    return data.decode(encoding), label


# A line with its ending, as io.StringIO(newline="") would split it, without copying the text.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


_NOT_BLANK = re.compile(r"[^\s,;]")


def first_line(text: str) -> str | None:
    """The first line of `text` with more than blanks and delimiters, or None."""
    found = _NOT_BLANK.search(text)
    if found is None:
        return None
    start = max(text.rfind("\n", 0, found.start()), text.rfind("\r", 0, found.start())) + 1
    line = _LINE.match(text, start)  # always found: the line holds `found`
    return line.group() if line else None


def text_lines(text: str) -> Iterator[str]:
    """The lines of `text` (endings kept), one at a time."""
    for match in _LINE.finditer(text):
        yield match.group()
