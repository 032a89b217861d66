"""The import limits, the error that refuses a whole file, and the refusals both readers
word alike (too many rows or columns, a cell too long)."""

from dataclasses import dataclass
from typing import Self

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# A row never needs more than ten cells (the contract has ten): a CSV record longer than
# ten cells at the cell limit is a quotation mark left open that swallows the file, and an
# XLSX sheet may hold ten cell elements a row, empty ones included.
RECORD_CELLS = 10


class FileError(Exception):
    """A problem with the whole file: nothing in it is imported."""


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cell_chars: int
    uncompressed_bytes: int
    compression_ratio: int

    @classmethod
    def from_settings(cls) -> Self:
        return cls(
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
        )


def grouped(value: int) -> str:
    """`value` with its thousands grouped, as the messages write limits and counts."""
    return number_format(value, force_grouping=True)


def too_many_rows(limits: Limits) -> FileError:
    return FileError(
        _(
            "The file has more than %(limit)s rows below the header (empty rows count too); "
            "the limit is %(limit)s. Delete empty rows below the data, or split the file into "
            "smaller files."
        )
        % {"limit": grouped(limits.rows)}
    )


def too_many_columns(row: int, found: str, limits: Limits) -> FileError:
    return FileError(
        _(
            "Row %(row)d has %(found)s columns; the limit is %(limit)s. Delete the columns to "
            "the right of the data (the contract has ten) and upload the file again."
        )
        % {"row": row, "found": found, "limit": grouped(limits.columns)}
    )


def cell_too_long(row: int, column: int, limits: Limits) -> FileError:
    return FileError(
        _(
            "Row %(row)d, column %(column)d: the cell has more than %(limit)s characters; the "
            "limit is %(limit)s. Shorten the text, or split it over several rows."
        )
        % {"row": row, "column": column, "limit": grouped(limits.cell_chars)}
    )
