"""Checking rows: each SourceRow becomes a ParsedObservation or a list of (column, message).

Validation runs in memory against Lookups loaded once. `check_row` checks one row on its own;
`check_rows` checks a table's rows and finds rows that repeat an earlier row's natural key.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..models import STATUSES_WITHOUT_VALUE, Observation
from . import lookups as lookups_module
from .cells import ambiguous_date, cell_text, cell_value, split_sign, unneutralise
from .lookups import Lookups
from .report import PROGRESS_EVERY, ColumnError, Progress, RowErrors
from .rows import TEXT_COLUMNS, Cell, Key, ParsedObservation, SourceRow

T = TypeVar("T")

# A CharField always has its max_length.
CATEGORY_MAX = cast(int, Observation._meta.get_field("category").max_length)
AREA_LABEL_MAX = cast(int, Observation._meta.get_field("area_label").max_length)
DUPLICATE = gettext_noop("The same indicator, area, period and category as row %(row)d.")
# The same, to group every such row under one problem.
DUPLICATE_PROBLEM = gettext_noop(
    "The same indicator, area, period and category as another row of the file."
)


@dataclass(slots=True)
class CheckedRow:
    """A row checked: its cells' text by contract column (`values`), and either the
    observation it stands for or its errors, (column, message) with "" for the whole row."""

    number: int
    values: dict[str, str]
    observation: ParsedObservation | None
    errors: list[ColumnError]


def value_and_qualifier(
    raw: Cell, qualifier_text: str, status: str | None, decimal_comma: bool
) -> tuple[Decimal | None, str | None, list[ColumnError]]:
    """The value and qualifier of a row, checked against its status: (value, qualifier,
    [(column, message)]). A value may carry its qualifier as a sign (">1200"); an empty
    value is a cell the source publishes without a number, so only those statuses allow it."""
    errors: list[ColumnError] = []
    sign, raw = split_sign(raw)
    try:
        qualifier = lookups_module.qualifier(qualifier_text)
    except ValueError as error:
        return None, None, [("qualifier", str(error))]
    if sign and qualifier and sign != qualifier:
        errors.append(
            (
                "qualifier",
                _(
                    "The value's sign says %(sign)s, the qualifier column says %(column)s; "
                    "give one of them."
                )
                % {"sign": sign, "column": qualifier},
            )
        )
    qualifier = qualifier or sign
    try:
        value = cell_value(raw, decimal_comma)
    except ValueError as error:
        return None, None, [*errors, ("value", str(error))]
    if status is None:
        return value, qualifier, errors
    if value is None and status not in STATUSES_WITHOUT_VALUE:
        errors.append(
            (
                "value",
                _(
                    "The value is empty; every row needs a number, unless its status is "
                    "not_available or suppressed (a cell the source publishes without one)."
                ),
            )
        )
    elif value is not None and status in STATUSES_WITHOUT_VALUE:
        errors.append(
            (
                "value",
                _(
                    "A %(status)s cell has no number: leave the value empty, or give the "
                    "status the source states for the number."
                )
                % {"status": status},
            )
        )
    elif value is None and qualifier:
        errors.append(("qualifier", _("A cell without a number has no qualifier: leave it blank.")))
    return value, qualifier, errors


def _required(parse: Callable[[str], T], what: str) -> Callable[[str], T]:
    def wrapped(text: str) -> T:
        if not text:
            raise ValueError(_("The %(what)s is empty; every row needs one.") % {"what": what})
        return parse(text)

    return wrapped


def is_blank(row: SourceRow) -> bool:
    """A row without any text: a blank line, often left at the end by spreadsheets. A row its
    reader found wrong is never blank, even when it could not fill a cell."""
    return not row.errors and not any(cell_text(cell) for cell in row.cells)


def check_row(
    row: SourceRow, index: Mapping[str, int], lookups: Lookups, decimal_comma: bool = False
) -> CheckedRow:
    """Check one row. `index`: contract column name -> position in `row.cells`."""
    cells = row.cells
    values: dict[str, str]
    if row.errors:
        values = {name: cell_text(cells[position]) for name, position in index.items()}
        return CheckedRow(row.number, values, None, list(row.errors))
    values = {}
    errors: list[ColumnError] = []
    raw: dict[str, Cell] = {}
    for name, position in index.items():
        cell = cells[position] if position < len(cells) else None
        raw[name] = cell
        values[name] = (
            cell_text(cell) if name != "note" else ("" if cell is None else str(cell).strip())
        )
    extra = [cell for cell in cells[max(index.values()) + 1 :] if cell_text(cell)]
    if extra:
        errors.append(
            (
                "",
                _("The row has %(count)d more cell(s) than the header has columns.")
                % {"count": len(extra)},
            )
        )
    text = {name: unneutralise(values.get(name, "")) for name in TEXT_COLUMNS}

    def check(column: str, parse: Callable[[str], T], text: str) -> T | None:
        try:
            return parse(text)
        except ValueError as error:
            errors.append((column, str(error)))
            return None

    indicator = check(
        "indicator", _required(lookups.indicator, "indicator code"), text["indicator"]
    )
    area = check("area", _required(lookups.area, "area code"), text["area"])
    if ambiguous_date(raw.get("period")):
        # A spreadsheet turns "2025-03", "March 2025" or "2025" into a date: the first day
        # of the month. Which period was meant (a year, a quarter, a month or that day) is
        # lost, so the row is refused rather than read as a day. Any other date can only
        # be that day, and is read as one.
        errors.append(
            (
                "period",
                _(
                    "The spreadsheet stored this period as a date (%(date)s), which does not "
                    "say whether a year, a quarter, a month or that day is meant. Format "
                    "the column as text and write the period as 2025, 2025-Q1, 2025-03 or "
                    "2025-03-01."
                )
                % {"date": text["period"]},
            )
        )
        period = None
    else:
        period = check("period", lookups.period, text["period"])
    category = text["category"]
    if len(category) > CATEGORY_MAX:
        errors.append(
            (
                "category",
                _("The category is longer than %(max)d characters.") % {"max": CATEGORY_MAX},
            )
        )
    if len(text["area_label"]) > AREA_LABEL_MAX:
        errors.append(
            (
                "area_label",
                _("The area as the source names it is longer than %(max)d characters.")
                % {"max": AREA_LABEL_MAX},
            )
        )
    status = check("status", lookups.status, text["status"])
    value, qualifier, value_errors = value_and_qualifier(
        raw.get("value"), text["qualifier"], status, decimal_comma
    )
    errors += value_errors
    source = check("source", lookups.source, text["source"])
    if errors:
        if row.labels:
            errors = [(row.labels.get(column, column), message) for column, message in errors]
        return CheckedRow(row.number, values, None, errors)
    # Each is None only when its check failed, and then `errors` has the reason.
    assert indicator is not None and area is not None and period is not None
    assert qualifier is not None and status is not None
    observation = ParsedObservation(
        number=row.number,
        indicator_id=indicator,
        country_id=area[0],
        region_id=area[1],
        period=period,
        category=category,
        value=value,
        qualifier=qualifier,
        status=status,
        source_id=source,
        note=text["note"],
        area_label=text["area_label"],
    )
    return CheckedRow(row.number, values, observation, errors)


@dataclass
class CheckedRows:
    """A table's rows checked. `valid`: the ParsedObservations of the valid rows, in file
    order. `values`: the cells' text of the first `preview_limit` of them, by position in
    `valid` (only those: memory on big files). `duplicated`: the positions in `valid` of rows
    whose key a later row repeats (both are errors). Positions, not row numbers: one row of a
    wide table gives several observations."""

    valid: list[ParsedObservation]
    values: dict[int, dict[str, str]]
    errors: RowErrors
    duplicated: set[int] = field(default_factory=set)
    seen: int = 0


def check_rows(
    rows: Iterable[SourceRow],
    columns: Iterable[str],
    lookups: Lookups,
    *,
    decimal_comma: bool = False,
    preview_limit: int = 0,
    max_errors: int = 1,
    progress: Progress | None = None,
) -> CheckedRows:
    """Check every non-blank row of `rows` (in the order of `columns`)."""
    index = {name: position for position, name in enumerate(columns)}
    valid: list[ParsedObservation] = []
    values: dict[int, dict[str, str]] = {}
    errors = RowErrors(max_errors)
    # key -> (position in valid, row number, values kept, whether it became an error)
    first_row_of_key: dict[Key, tuple[int, int, dict[str, str], bool]] = {}
    seen = 0
    for row in rows:
        if is_blank(row):
            continue
        checked = check_row(row, index, lookups, decimal_comma)
        seen += 1
        if progress and seen % PROGRESS_EVERY == 0:
            progress("checked", seen)
        number, row_errors = checked.number, checked.errors
        if checked.observation is not None:
            key = checked.observation.key
            first = first_row_of_key.get(key)
            if first is not None:
                position, first_number, kept, _error = first
                # A valid row: this is its only error.
                errors.add(
                    number,
                    checked.values,
                    [("", _(DUPLICATE) % {"row": first_number})],
                    problem=_(DUPLICATE_PROBLEM),
                )
                if not first[3]:  # the first row of the key is an error row from now on
                    first_row_of_key[key] = (position, first_number, kept, True)
                    errors.add(
                        first_number,
                        kept,
                        [("", _(DUPLICATE) % {"row": number})],
                        problem=_(DUPLICATE_PROBLEM),
                    )
                continue
            kept = checked.values if len(valid) < preview_limit else {}
            first_row_of_key[key] = (len(valid), number, kept, False)
        if row_errors:
            errors.add(number, checked.values, row_errors)
        else:
            if len(valid) < preview_limit:
                values[len(valid)] = checked.values
            assert checked.observation is not None  # a row without errors has one
            valid.append(checked.observation)
    duplicated = {first[0] for first in first_row_of_key.values() if first[3]}
    return CheckedRows(valid, values, errors, duplicated, seen)
