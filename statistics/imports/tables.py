"""A file's bytes as a `Table`: what kind of file, its contract column names and its rows.

The bytes are sniffed (XLSX, or CSV in UTF-8 with or without BOM, Windows-1250 or
Windows-1251) and read within the import limits by `readers`; a CSV's delimiter is the one
whose split of the header gives contract column names (comma or semicolon), and that choice
fixes the number format (semicolon: decimal comma with optional '.' thousands; comma: '.'
decimal point). An import profile builds its own Table of reshaped rows (see pipeline).
"""

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from .readers import (
    FileError,
    Limits,
    check_upload,
    csv_rows,
    decode,
    first_line,
    is_workbook,
    xlsx_rows,
)
from .rows import COLUMNS, DOWNLOAD_ONLY_COLUMNS, REQUIRED_COLUMNS, Cell, SourceRow


class ImportableTable(Protocol):
    """What the pipeline imports: a `Table`, or an import profile's table of reshaped rows."""

    columns: list[str]
    rows: Iterable[SourceRow]
    kind: str
    decimal_comma: bool


@dataclass
class Table:
    """Rows to import. `columns`: contract column names, in the order of each row's cells
    (any order, optional ones may be left out). `rows`: SourceRows, read lazily; reading may
    raise FileError. `kind`: what was read, for the report ("CSV (UTF-8, comma-delimited)").
    `decimal_comma`: text numbers use a decimal comma and optional '.' thousands."""

    columns: list[str]
    rows: Iterable[SourceRow]
    kind: str
    decimal_comma: bool = False


def normal_header(name: Cell) -> str:
    return unicodedata.normalize("NFC", str(name or "")).replace("\ufeff", "").strip().lower()


def header_names(cells: Sequence[Cell]) -> list[str]:
    """A header row's names, normalised, without the blank cells at its end."""
    names = [normal_header(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()
    return names


def check_header(names: Sequence[str]) -> list[str]:
    """`names` if they are contract columns with the required ones, or raise FileError naming
    the expected columns."""
    expected = ", ".join(COLUMNS)
    # A download's own columns (names, unit, licence) are read-only: accepted, not imported.
    unknown = [
        name or "(blank)"
        for name in names
        if name not in COLUMNS and name not in DOWNLOAD_ONLY_COLUMNS
    ]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    repeated = sorted({name for name in names if names.count(name) > 1 and name in COLUMNS})
    problems = []
    if unknown:
        problems.append(_("unknown column(s): %(names)s") % {"names": ", ".join(unknown)})
    if missing:
        problems.append(_("missing column(s): %(names)s") % {"names": ", ".join(missing)})
    if repeated:
        problems.append(_("repeated column(s): %(names)s") % {"names": ", ".join(repeated)})
    if problems:
        raise FileError(
            _(
                "Row 1 (header): %(problems)s. Expected columns: %(expected)s "
                "(required: %(required)s; order and case do not matter)."
            )
            % {
                "problems": "; ".join(problems),
                "expected": expected,
                "required": ", ".join(REQUIRED_COLUMNS),
            }
        )
    return list(names)


def sniff_delimiter(text: str, limits: Limits) -> tuple[str, list[str]]:
    """(delimiter, header names): the delimiter whose split of the first non-blank line gives
    the most contract column names."""
    line = first_line(text)
    if line is None:
        raise FileError(_("The file has no header row and no data."))
    best: tuple[int, str, list[str]] | None = None
    for delimiter in (";", ","):
        names = header_names(next(csv_rows(line, delimiter, limits))[1])
        known = sum(1 for name in names if name in COLUMNS)
        if best is None or known > best[0]:
            best = (known, delimiter, names)
    assert best is not None  # both delimiters were tried
    return best[1], best[2]


def _csv_table(data: bytes, limits: Limits) -> Table:
    text, encoding = decode(data)
    delimiter, names = sniff_delimiter(text, limits)
    columns = check_header(names)

    def rows() -> Iterator[SourceRow]:
        header_seen = False
        for number, cells in csv_rows(text, delimiter, limits):
            if not header_seen:
                if any(cell.strip() for cell in cells):
                    header_seen = True
                continue
            yield SourceRow(number, cells)

    label = "semicolon" if delimiter == ";" else "comma"
    return Table(columns, rows(), f"CSV ({encoding}, {label}-delimited)", delimiter == ";")


def _xlsx_table(data: bytes, limits: Limits) -> Table:
    rows = xlsx_rows(data, limits)
    for _number, cells in rows:
        columns = check_header(header_names(cells))
        break
    else:
        raise FileError(_("The workbook's first sheet is empty."))
    return Table(columns, (SourceRow(number, cells) for number, cells in rows), "XLSX")


def open_table(data: bytes, limits: Limits | None = None) -> Table:
    """A Table for the bytes of an upload, or raise FileError (also while rows are read)."""
    limits = limits or Limits.from_settings()
    check_upload(data)
    if is_workbook(data):
        return _xlsx_table(data, limits)
    if not data.strip(b" \t\r\n,;\xef\xbb\xbf"):
        raise FileError(_("The file is empty: it has no header row and no data."))
    return _csv_table(data, limits)
