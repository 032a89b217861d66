"""What an import found and did: counts, rejected rows with row and column, the preview."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

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

    def error_lines(self) -> list[str]:
        lines = list(self.file_errors)
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


class RowErrors:
    """The rejected rows: every one counted, the first `max_listed` kept to be listed (the row
    limit bounds the cost of checking every row; only the listing is capped)."""

    def __init__(self, max_listed: int) -> None:
        self.max_listed = max(max_listed, 1)
        # A list, not a dict by row number: a wide table's row gives several observations,
        # and each may have its own errors.
        self.listed: list[RowResult] = []
        self.count = 0

    def add(self, number: int, values: dict[str, str], errors: list[ColumnError]) -> None:
        self.count += 1
        if len(self.listed) < self.max_listed:
            self.listed.append(RowResult(number, ERROR, values, errors))

    def rows(self) -> list[RowResult]:
        return sorted(self.listed, key=lambda row: row.number)
