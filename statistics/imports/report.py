"""What an import found and did: counts, rejected rows with row and column, the preview."""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from formatting.display import format_number as human_number
from formatting.display import format_value

from ..models import DataRelease, ImportRecord, Indicator
from .cells import format_number
from .changes import ChangeSummary
from .release import ReleasePlan
from .rows import ERROR, NEW, UNCHANGED, UPDATED, ParsedObservation

if TYPE_CHECKING:
    from .writing import Changes

# (column, message); "" as the column for the whole row.
ColumnError = tuple[str, str]

# Distinct problems kept for the grouped listing; the problems past them are counted together.
MAX_GROUPS = 1_000
FIRST_ROWS = 5  # row numbers named for each problem
BITMAP_ROWS = 1 << 24  # rows with errors are counted in a bitmap up to this row number
SKIPPED_SHOWN = 20  # labels named for each reason a profile skipped values
# A profile's reason for values of names that are no area of the portal ("Only areas we know").
UNKNOWN_AREAS = "unknown_areas"

# A long import calls its progress callback once per this many rows checked and written.
PROGRESS_EVERY = 10_000
# progress(step, count): called as a long import goes ("checked" or "written", rows so far).
Progress = Callable[[str, int], None]


@dataclass
class RowResult:
    """One row as the admin's preview and the error listing show it."""

    number: int
    action: str
    values: dict[str, str]  # the cells' text by contract column
    errors: list[ColumnError] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    stored: dict[str, str] = field(default_factory=dict)  # what will be stored, where it differs
    warnings: list[ColumnError] = field(default_factory=list)


@dataclass
class ErrorGroup:
    """One problem of a file: its column ("" for the whole row), its message (without any row
    number, so that every row with it falls in one group), how many cells have it and the
    first rows (their numbers in the original file)."""

    column: str
    problem: str
    count: int = 0
    rows: list[int] = field(default_factory=list)

    def line(self) -> str:
        """ "value: 'x' is not a number. (3 cells; rows 4, 9, 12)", as the command prints it."""
        rows = ", ".join(str(number) for number in self.rows)
        if self.count > len(self.rows):
            rows += ", …"
        where = f"{self.column}: " if self.column else ""
        count = ngettext("%(count)s cell", "%(count)s cells", self.count) % {
            "count": human_number(self.count)
        }
        return _("%(where)s%(problem)s (%(count)s; rows %(rows)s)") % {
            "where": where,
            "problem": self.problem,
            "count": count,
            "rows": rows,
        }


@dataclass
class ImportReport:
    file_name: str = ""
    dry_run: bool = False
    committed: bool = False
    kind: str = ""
    file_errors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {NEW: 0, UPDATED: 0, UNCHANGED: 0, ERROR: 0}
    )
    error_rows: list[RowResult] = field(default_factory=list)  # every rejected row
    preview: list[RowResult] = field(default_factory=list)  # the first rows, for the admin
    record: ImportRecord | None = None
    release_plan: ReleasePlan | None = None  # to stage the new rows (None: public)
    release: DataRelease | None = None  # the DataRelease written, if any
    profile: str = ""  # the import profile read through, if any (statistics.profiles)
    rounded: int = 0  # values with more decimals than their indicator shows
    # What the import changes in existing observations, field by field (statistics.imports.changes)
    changes: ChangeSummary = field(default_factory=ChangeSummary)
    # What was written (statistics.imports.writing.Changes), to record it; None until written.
    written: "Changes | None" = None
    # Every error grouped by problem, most cells first (over ALL errors, not only those listed).
    error_groups: list[ErrorGroup] = field(default_factory=list)
    other_problems: int = 0  # cells with a problem past the first MAX_GROUPS distinct ones
    error_cells: int = 0  # errors in all (one a cell, or a whole row)
    rows_with_errors: int = 0  # distinct rows of the original file with an error
    # Says that the per-row listing stops at IMPORT_MAX_ERRORS (not an error itself).
    listing_note: str = ""
    # What an import profile skipped on purpose: reason -> Counter(label -> rows).
    skipped: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def nothing_to_change(self) -> bool:
        """Every row is valid and already stored exactly as in the file."""
        return (
            not self.has_errors
            and self.counts[UNCHANGED] > 0
            and not self.counts[NEW]
            and not self.counts[UPDATED]
        )

    @property
    def total(self) -> int:
        return sum(self.counts[key] for key in (NEW, UPDATED, UNCHANGED, ERROR))

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.counts[ERROR])

    @property
    def error_total(self) -> str:
        """'4,000 cells in 2,873 rows': how much of the file is wrong."""
        cells = ngettext("%(count)s cell", "%(count)s cells", self.error_cells) % {
            "count": human_number(self.error_cells)
        }
        rows = ngettext("%(count)s row", "%(count)s rows", self.rows_with_errors) % {
            "count": human_number(self.rows_with_errors)
        }
        return _("%(cells)s in %(rows)s") % {"cells": cells, "rows": rows}

    @property
    def skipped_summary(self) -> list[str]:
        """What an import profile skipped, one line per reason."""
        return skipped_lines(self.skipped)

    def problem_lines(self) -> list[str]:
        """What was skipped, then every problem once with its count and first rows: what the
        command prints (and the admin shows) before the per-row listing."""
        lines = self.skipped_summary
        if self.error_groups:
            lines.append(_("Errors by problem (%(total)s):") % {"total": self.error_total})
            lines += [group.line() for group in self.error_groups]
            if self.other_problems:
                lines.append(
                    _("and %(count)s more cells with other problems")
                    % {"count": human_number(self.other_problems)}
                )
        return lines

    def error_lines(self) -> list[str]:
        lines = list(self.file_errors)
        if self.listing_note:
            lines.append(self.listing_note)
        for row in self.error_rows:
            for column, message in row.errors:
                if column:
                    where = _("Row %(row)d, column '%(column)s'") % {
                        "row": row.number,
                        "column": column,
                    }
                else:
                    where = _("Row %(row)d") % {"row": row.number}
                lines.append(f"{where}: {message}")
        return lines


def stored_values(values: dict[str, str], observation: ParsedObservation) -> dict[str, str]:
    """The values that will be stored, where they read differently from the file's text."""
    value = observation.value
    stored = {
        "value": "" if value is None else format_number(value),
        "period": observation.period.text,
        "status": observation.status,
    }
    return {name: text for name, text in stored.items() if text != values.get(name)}


def display_warnings(
    observation: ParsedObservation, indicator: Indicator | None
) -> list[ColumnError]:
    """[(column, message)] when the site shows `indicator` with fewer decimals than stored."""
    value = observation.value
    if indicator is None or value is None:  # a cell without a number rounds to nothing
        return []
    _sign, _digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)  # cells.check_decimal lets only finite values through
    if -exponent <= indicator.decimals:
        return []
    return [
        (
            "value",
            _(
                "%(value)s is stored exactly, but the site shows this indicator with "
                "%(decimals)d decimal place(s): %(shown)s."
            )
            % {
                "value": format_number(value),
                "decimals": indicator.decimals,
                "shown": format_value(value, indicator),
            },
        )
    ]


def skipped_lines(skipped: dict[str, Counter[str]], shown: int = SKIPPED_SHOWN) -> list[str]:
    """What an import profile skipped (a ProfileTable's `skipped`), one line per reason, the
    labels with most rows first:
    "Skipped 105 area names in 2,412 rows (“Only areas we know”): Germany (48), ..."."""
    lines = []
    for reason, labels in skipped.items():
        rows = sum(labels.values())
        listed = ", ".join(
            f"{label or _('(empty)')} ({human_number(count)})"
            for label, count in labels.most_common(shown)
        )
        if len(labels) > shown:
            listed += ", " + _("and %(count)s more") % {"count": human_number(len(labels) - shown)}
        if reason == UNKNOWN_AREAS:
            line = ngettext(
                "Skipped %(names)s area names in %(rows)s row (“Only areas we know”): %(list)s.",
                "Skipped %(names)s area names in %(rows)s rows (“Only areas we know”): %(list)s.",
                rows,
            )
        else:
            line = ngettext(
                "Skipped %(rows)s row (%(reason)s): %(list)s.",
                "Skipped %(rows)s rows (%(reason)s): %(list)s.",
                rows,
            )
        lines.append(
            line
            % {
                "names": human_number(len(labels)),
                "rows": human_number(rows),
                "reason": reason,
                "list": listed,
            }
        )
    return lines


class RowErrors:
    """The rejected rows: every one counted and its problems grouped, the first `max_listed`
    kept to be listed (the row limit bounds the cost of checking every row; only the listing
    is capped)."""

    def __init__(self, max_listed: int) -> None:
        self.max_listed = max(max_listed, 1)
        # A list, not a dict by row number: a wide table's row gives several observations,
        # and each may have its own errors.
        self.listed: list[RowResult] = []
        self.count = 0
        self.cells = 0
        self.rows_counted = 0  # distinct rows with errors, by their number in the file
        # Which row numbers are counted: a bit each (a set of 150,000 numbers would hold
        # more memory than the file's text); a set only for numbers past BITMAP_ROWS, which
        # only an XLSX sheet that numbers its rows so could give.
        self._bits = bytearray()
        self._far: set[int] = set()
        self.groups: dict[tuple[str, str], ErrorGroup] = {}
        self.other_problems = 0

    def add(
        self,
        number: int,
        values: dict[str, str],
        errors: Sequence[ColumnError],
        problem: str | None = None,
    ) -> None:
        """A rejected row's errors. `problem`: what its messages say without naming another
        row (to group them by), when they do."""
        self.count += 1
        self._count_row(number)
        for column, message in errors:
            self.cells += 1
            key = (column, problem or message)
            group = self.groups.get(key)
            if group is None:
                if len(self.groups) >= MAX_GROUPS:
                    self.other_problems += 1
                    continue
                group = self.groups[key] = ErrorGroup(*key)
            group.count += 1
            if len(group.rows) < FIRST_ROWS and number not in group.rows:
                group.rows.append(number)
        if len(self.listed) < self.max_listed:
            self.listed.append(RowResult(number, ERROR, values, list(errors)))

    def _count_row(self, number: int) -> None:
        if number >= BITMAP_ROWS or number < 0:
            if number not in self._far:
                self._far.add(number)
                self.rows_counted += 1
            return
        byte, bit = divmod(number, 8)
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))
        if not self._bits[byte] & (1 << bit):
            self._bits[byte] |= 1 << bit
            self.rows_counted += 1

    def sorted_groups(self) -> list[ErrorGroup]:
        """The problems, most cells first, then by their first row."""
        for group in self.groups.values():
            group.rows.sort()
        return sorted(self.groups.values(), key=lambda group: (-group.count, group.rows[0]))

    def rows(self) -> list[RowResult]:
        return sorted(self.listed, key=lambda row: row.number)
