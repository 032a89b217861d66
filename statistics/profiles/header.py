"""Which row of a file is its header: what the builder pre-fills as “Header row”.

Sources put a preamble above their table (UNHCR's Refugee Data Finder: twelve lines of title,
date and licence; the World Bank: "Data Source" and "Last Updated Date"). The header is the
first row as wide as the table whose cells are mostly labels (text, not figures):

- rows narrower than the table above it are a preamble, so the first wide row of labels after
  them is the header;
- a wide row of labels at the very top is the header only if the file shows it is one: one of
  its labels (or a year, as a wide file's "2020") stands over a column of figures below. A
  first row that reads like the rows below it ("Serbia, Afghanistan, 2024, January, 312") is
  data: the file has no header;
- a first wide row of mostly figures is data too: no header.

A guess, said as one: the builder shows it and the data manager may change it.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

# A figure as sources write them: digits with signs, separators, a decimal comma or a percent.
FIGURE = re.compile(r"^[-+−]?[\d\s.,'’ ]*\d[\d\s.,'’ ]*%?$")
YEAR = re.compile(r"^(1[89]|2[01])\d\d$")
# The share of the table's width a header row fills at least.
WIDE = 0.6


@dataclass(frozen=True)
class Header:
    row: int  # the file's own row number (1-based)
    cells: list[str]  # its cells, trimmed
    # 2: the row above holds the periods written once over their groups of columns, this
    # one the categories (PX-Web): the header starts there, on two rows.
    rows: int = 1

    @property
    def labels(self) -> list[str]:
        return [cell for cell in self.cells if cell]


def is_figure(cell: str) -> bool:
    return bool(FIGURE.match(cell.strip()))


def is_label(cell: str) -> bool:
    """Text a header would hold: it has a letter."""
    return any(character.isalpha() for character in cell)


def is_value(cell: str) -> bool:
    """A cell of figures: a number, a number with a flag ("125 p"), or a marker (":", "..",
    ": c"): no letter, or it starts with a digit, or a sign with at most a two-letter flag."""
    cell = cell.strip()
    letters = sum(1 for character in cell if character.isalpha())
    if not letters or is_figure(cell) or cell[0].isdigit():
        return True
    return not cell[0].isalpha() and letters <= 2


def detect_header(rows: Sequence[tuple[int, Sequence[str]]]) -> Header | None:
    """The header among a file's first rows as read (number, cells), or None: no row looks
    like one (the file starts with its figures, or has too few columns to tell)."""
    table = [(number, [cell.strip() for cell in cells]) for number, cells in rows]
    filled = [sum(1 for cell in cells if cell) for _number, cells in table]
    width = max(filled, default=0)
    if width < 2:
        return None
    need = max(2, math.ceil(width * WIDE))
    index = next((i for i, count in enumerate(filled) if count >= need), None)
    if index is None:
        return None
    number, cells = table[index]
    present = [cell for cell in cells if cell]
    labels = [cell for cell in present if is_label(cell)]
    if len(labels) * 2 < len(present):
        return None  # mostly figures: the data starts here
    if index > 0:
        # The first wide row of labels after a preamble; with the row just above it holding
        # only years (PX-Web's "2017" over "Moški", "Ženske"), the header is two rows.
        above_number, above = table[index - 1]
        years = [cell for cell in above if cell]
        if above_number == number - 1 and len(years) >= 2 and all(map(YEAR.match, years)):
            return Header(above_number, above, rows=2)
        return Header(number, cells)
    below = [row for _n, row in table[index + 1 :]]
    if not below:
        return Header(number, cells) if len(labels) == len(present) else None
    for column, cell in enumerate(cells):
        under = [row[column] for row in below if column < len(row) and row[column]]
        if not cell or not under:
            continue
        values = sum(1 for text in under if is_value(text))
        if values * 2 < len(under):
            continue  # a column of text: a label over it proves nothing
        if is_label(cell):
            return Header(number, cells)
        if YEAR.match(cell) and not all(YEAR.match(text) for text in under):
            return Header(number, cells)  # "2020" over the values of 2020
    return None
