"""CSV: decoded text -> (record number, cells), record by record, within the limits."""

import csv
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .limits import (
    RECORD_CELLS,
    FileError,
    Limits,
    cell_too_long,
    grouped,
    too_many_columns,
    too_many_rows,
)
from .text import text_lines


class _BoundedLines:
    """Feeds csv.reader line by line and refuses a record longer than any valid row."""

    def __init__(self, text: str, limits: Limits) -> None:
        self.text = text
        self.limit = (limits.cell_chars + 3) * RECORD_CELLS
        self.pending = 0
        self.record = 1

    def __iter__(self) -> Iterator[str]:
        for line in text_lines(self.text):
            self.pending += len(line)
            if self.pending > self.limit:
                raise FileError(
                    _(
                        "Row %(row)d is longer than %(limit)s characters, more than any row "
                        'of the contract can be. Look for a quotation mark (") that is never '
                        "closed, which makes the rest of the file one cell, or for a cell "
                        "longer than %(cell)s characters."
                    )
                    % {
                        "row": self.record,
                        "limit": grouped(self.limit),
                        "cell": grouped(self.limit // RECORD_CELLS - 3),
                    }
                )
            yield line

    def records(self, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self, delimiter=delimiter)
        try:
            for cells in reader:
                yield self.record, cells
                self.record += 1
                self.pending = 0
        except csv.Error as error:
            raise FileError(
                _("Row %(row)d cannot be read as CSV (%(error)s). Save the file again as CSV.")
                % {"row": self.record, "error": error}
            ) from None


def csv_rows(text: str, delimiter: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """(record number, cells) for each record of `text`; FileError at the first limit passed.

    The row limit is checked before the first row is returned, so a file with a million rows
    is refused without validating any of them.
    """
    if text.count("\n") + text.count("\r") > limits.rows:
        for count, _record in enumerate(_BoundedLines(text, limits).records(delimiter)):
            if count > limits.rows:
                raise too_many_rows(limits)
    for number, cells in _BoundedLines(text, limits).records(delimiter):
        if number > limits.rows + 1:
            raise too_many_rows(limits)
        if len(cells) > limits.columns:
            raise too_many_columns(number, grouped(len(cells)), limits)
        for column, cell in enumerate(cells, start=1):
            if len(cell) > limits.cell_chars:
                raise cell_too_long(number, column, limits)
        yield number, cells
