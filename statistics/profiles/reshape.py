"""A file as a source publishes it -> the contract's rows, streamed, through a profile.

`ProfileReader(profile)(data, limits)` gives a `ProfileTable`: `header` (the contract's
column names, ending with `area_label`), `rows` (SourceRow: the ORIGINAL file's row number and
the contract's cells as text, one per observation; a wide row gives one per value cell, a row
read by several measures one per measure) and, on each row, `origins` (contract column -> the
file's own column, for error messages) and `errors` (what this module found wrong in the row,
by the file's column); `skipped` counts what rules and “Only areas we know” left out, grouped
by reason, as the rows are read. Nothing is read from the database per row or cell: names
resolve through one dict, periods through a cache, units are read once per import.

The header is read once into a plan (`Step`s: which cell holds each value, with its measure's
indicator, area, category columns, number format, status and keep rules); each row then
passes the rules on its cells (`row_rules`), and each of its values the rules on roles and
its measure's own (`kept`), before its area, category, period and value are read.
"""

import csv
import datetime
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils.translation import gettext as _

from formatting.display import format_number as human_number

from ..imports.readers import (
    FileError,
    Limits,
    check_upload,
    csv_rows,
    decode,
    is_workbook,
    text_lines,
    xlsx_rows,
)
from ..imports.readers.limits import RECORD_CELLS
from ..imports.report import UNKNOWN_AREAS, ColumnError
from ..imports.rows import Cell, SourceRow
from ..models import Indicator
from .format import (
    CATEGORY_JOIN,
    EMPTY_PART,
    MAX_CATEGORY,
    NOT_AVAILABLE,
    RULE_ROLES,
    SKIP,
    SUPPRESSED,
    Column,
    Measure,
    Profile,
    Rule,
)
from .names import AreaResolver
from .values import MonthError, NumberFormat, PeriodReader, value_text

# The contract's columns a profile fills: the first eight, then the area as the source names
# it when the profile's own area names map it (Contract B's optional `area_label`).
HEADER = [
    "indicator", "area", "period", "category", "value", "status", "source", "note", "area_label",
]  # fmt: skip
WIDTH = len(HEADER)
# A profile's observations are bounded by the file's rows (its row limit counts the file's
# rows, not the observations it reshapes into) times this, as an XLSX sheet's cells are.
OBSERVATIONS_PER_ROW = RECORD_CELLS
# Cells (XLSX) and characters a source's blank-looking cell may hold.
_PLAIN = re.compile(r"^-?\d+(?:\.\d+)?$")
_FLAGGED = re.compile(r"^(?P<body>.*?)\s*(?P<flags>[A-Za-z]{1,3})$")
SNIFF_ROWS = 200
# (row number, cells) as a reader gives them: text from CSV; text, numbers, dates from XLSX.
Records = Iterator[tuple[int, Sequence[Cell]]]
# Reasons a value is skipped, the keys of ProfileTable.skipped.


@dataclass
class Step:
    """What one observation of a row reads, worked out once per file from the header."""

    value: int  # index of the value cell
    period: str | None  # period text from the value column's header, or None: the row's
    category: str | None  # category text from the value column's header, or None
    origins: dict[str, str]  # contract column -> the file's column, for errors
    indicator: str | None = None  # a measure's indicator code; None: the row's
    area: int | None = None  # a measure's area column; None: the row's
    categories: tuple[int, ...] | None = None  # a measure's category columns; None: the row's
    numbers: NumberFormat | None = None  # a measure's multiplier; None: the profile's
    status: str | None = None  # a measure's status; None: the profile's
    keep: tuple["Target", ...] = ()  # a measure's own keep rules
    measure: str = ""  # the measure as the builder writes it, "refugees = refugees-hosted"


@dataclass(frozen=True)
class Target:
    """A rule and what it tests: a cell of the row (`index`) or a role's label (`role`)."""

    rule: Rule
    reason: str  # the key of ProfileTable.skipped it counts under
    index: int | None = None
    role: str | None = None


@dataclass
class ProfileTable:
    header: list[str]
    rows: Iterable[SourceRow]
    kind: str
    profile: str = ""
    decimal_comma: bool = False  # the cells are the contract's text: '.' decimal point
    # What was skipped, grouped: reason -> Counter(label -> rows). Filled as `rows` are
    # read (complete once they have been iterated): area names that are no area of the
    # portal (reason "unknown_areas", under “Only areas we know”) and the rows each keep or
    # skip rule left out (reason: the rule as the builder writes it, e.g. "Keep only rows
    # where: coa_iso = ALB, BIH"). `skipped_lines()` words them.
    skipped: dict[str, Counter[str]] = field(default_factory=dict)
    # indicator code -> the unit a profile's measure says it counts ("people")
    units: dict[str, str] = field(default_factory=dict)
    # the contract's column names, as open_table's Table has
    columns: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.columns = list(self.header)


def column_letters(position: int) -> str:
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _normal(text: Cell) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).replace("\ufeff", "").split())


def _label(cell: Cell) -> str:
    """A key cell as text: labels indented with spaces are trimmed."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.isoformat()
    return str(cell).strip()


def column_references(profile: Profile) -> list[Column]:
    """Every column the profile names (roles, measures, rules), for sniffing the delimiter."""
    found: list[Column] = [w for role, w in profile.columns.items() if role != "category"]
    found += profile.category_columns
    for measure in profile.measures:
        found += [w for w in (measure.value, measure.area) if w is not None]
        found += measure.category or ()
    return found


def profile_limits(limits: Limits | None = None) -> Limits:
    """The import limits for a file read with a profile: a source's own file may be wider
    than the contract's (IMPORT_PROFILE_MAX_COLUMNS)."""
    limits = limits or Limits.from_settings()
    return replace(limits, columns=max(limits.columns, settings.IMPORT_PROFILE_MAX_COLUMNS))


def decode_as(data: bytes, codec: str | None) -> tuple[str, str]:
    """(text, encoding label): `codec` as a profile names it, or detected when None."""
    if codec is None:
        return decode(data)
    labels = {"utf-8-sig": "UTF-8", "cp1250": "Windows-1250", "cp1251": "Windows-1251"}
    try:
        return data.decode(codec), labels[codec]
    except UnicodeDecodeError as error:
        raise FileError(
            _("Byte %(byte)d of the file is not %(encoding)s text, as the profile says.")
            % {"byte": error.start + 1, "encoding": labels[codec]}
        ) from None


class ProfileReader:
    """Reads files with one profile; call it as the contract pipeline calls open_table.

    `names`: area name -> code (None: read from the database once per import, as `units`:
    indicator code -> unit, for the measures that state the unit they count)."""

    def __init__(
        self,
        profile: Profile,
        names: dict[str, str] | None = None,
        label: str = "",
        units: dict[str, str] | None = None,
    ) -> None:
        self.profile = profile
        self.names = names
        self.label = label or profile.name
        self.units = units

    def __call__(self, data: bytes, limits: Limits | None = None) -> ProfileTable:
        limits = profile_limits(limits)
        check_upload(data)
        self.check_units()
        rows: Records
        if is_workbook(data):
            rows, kind, text_file = xlsx_rows(data, limits), "XLSX", False
        else:
            text, encoding = self.decode(data)
            delimiter = self.profile.delimiter or self.sniff(text)
            names = {",": "comma", ";": "semicolon", "\t": "tab"}
            rows = csv_rows(text, delimiter, limits)
            kind = f"CSV ({encoding}, {names[delimiter]}-delimited)"
            text_file = True
        shaper = Reshaper(self.profile, AreaResolver(self.profile.areas, self.names), limits)
        kind = _("%(kind)s, read with the profile “%(profile)s”") % {
            "kind": kind,
            "profile": self.profile.name,
        }
        units = {m.indicator: m.unit for m in self.profile.measures if m.unit}
        return ProfileTable(
            list(HEADER),
            shaper.rows(rows, text_file),
            kind,
            self.label,
            skipped=shaper.skipped,
            units=units,
        )

    def check_units(self) -> None:
        """FileError when a measure's unit is not its indicator's: cases and persons are never
        mixed. An indicator that does not exist is left to the import's own check."""
        measures = [m for m in self.profile.measures if m.unit]
        if not measures:
            return
        units = self.units
        if units is None:
            codes = {m.indicator for m in measures}
            units = dict(Indicator.objects.filter(code__in=codes).values_list("code", "unit"))
        problems = []
        for number, measure in enumerate(self.profile.measures, start=1):
            unit = units.get(measure.indicator)
            if not measure.unit or unit is None:
                continue
            if " ".join(unit.split()).casefold() != " ".join(measure.unit.split()).casefold():
                problems.append(
                    _(
                        "Measure %(number)d (“%(measure)s”) counts “%(said)s”, but the indicator "
                        "“%(indicator)s” counts “%(unit)s” (its unit): a figure is never filed "
                        "under an indicator of another unit (cases are not persons). Choose the "
                        "indicator that counts “%(said)s”, or correct the measure's unit."
                    )
                    % {
                        "number": number,
                        "measure": measure.shown,
                        "said": measure.unit,
                        "indicator": measure.indicator,
                        "unit": unit,
                    }
                    + f" [measures[{number}].unit]"
                )
        if problems:
            raise FileError(" ".join(problems))

    def decode(self, data: bytes) -> tuple[str, str]:
        return decode_as(data, self.profile.encoding)

    def sniff(self, text: str) -> str:
        """The delimiter under which the header row holds the profile's columns (or, without
        a header, the first data row has the most cells)."""
        profile = self.profile
        lines = list(itertools.islice(text_lines(text), SNIFF_ROWS))
        best: tuple[tuple[int, int], str] | None = None
        for delimiter in (",", ";", "\t"):
            try:
                records = list(csv.reader(lines, delimiter=delimiter))
            except csv.Error:
                continue
            if profile.header_row is not None:
                row = records[profile.header_row - 1] if len(records) >= profile.header_row else []
                cells = {_normal(cell).casefold() for cell in row}
                named = [w for w in column_references(profile) if isinstance(w, str)]
                found = sum(1 for name in named if name.casefold() in cells)
                patterns = [profile.value_columns] + [m.value_columns for m in profile.measures]
                for pattern in patterns:
                    if pattern is not None:
                        found += sum(1 for cell in row if pattern.fullmatch(_normal(cell)))
                score = (found, len(row))
            else:
                first = (profile.data_row or 1) - 1
                row = records[first] if len(records) > first else []
                score = (len(row), 0)
            if best is None or score > best[0]:
                best = (score, delimiter)
        if best is None:
            # No delimiter reads the lines (a quotation mark never closed): csv_rows refuses
            # the file with the row and the reason.
            return ","
        return best[1]


class Reshaper:
    # The header's cells as the file names them (set when the header is read).
    display: list[str]

    def __init__(self, profile: Profile, areas: AreaResolver, limits: Limits) -> None:
        self.profile = profile
        self.areas = areas
        self.limits = limits
        self.numbers = NumberFormat(profile.decimal, profile.thousands, profile.multiplier)
        self.periods = PeriodReader(profile.date_means)
        defaults = profile.defaults
        self.status = defaults.get("status", "as_published")
        self.source = defaults.get("source", "")
        markers = dict(profile.markers)
        markers.setdefault("", SKIP)
        self.markers = markers
        self.emitted = 0
        self.skipped: dict[str, Counter[str]] = {}
        # Rules on a cell, tested once per row; rules on a role's label, once per value.
        self.row_rules: list[tuple[Target, bool]] = []  # (target, True: keep / False: skip)
        self.value_rules: list[tuple[Target, bool]] = []
        self.folded: list[str] = []
        self.missing: list[str] = []
        self.category_positions: tuple[int, ...] = ()

    # --- Header ---------------------------------------------------------------------------

    def find(self, where: Column) -> int | None:
        """The 0-based index of a column the profile names (a number, or a header cell's text
        compared ignoring case and surrounding spaces); None, and noted as missing, if the
        header has no such cell."""
        if isinstance(where, int):
            return where - 1
        folded = " ".join(where.split()).casefold()
        if folded in self.folded:
            return self.folded.index(folded)
        if where not in self.missing:
            self.missing.append(where)
        return None

    def locate(self, header: Sequence[Cell], number: int) -> tuple[list[str], dict[str, int]]:
        """role -> 0-based index, from names in the header row (or positions); the category's
        columns in `category_positions`. What the header lacks is raised by `plan`."""
        profile = self.profile
        names = [_normal(cell) for cell in header]
        self.folded = [name.casefold() for name in names]
        positions: dict[str, int] = {}
        for role, where in profile.columns.items():
            if role == "category":
                continue
            index = self.find(where)
            if index is not None:
                positions[role] = index
        found = [self.find(where) for where in profile.category_columns]
        self.category_positions = tuple(index for index in found if index is not None)
        if self.category_positions:
            positions["category"] = self.category_positions[0]
        return names, positions

    def raise_missing(self, names: list[str], number: int) -> None:
        if not self.missing:
            return
        shown = ", ".join(f"'{name}'" for name in names if name) or _("nothing")
        raise FileError(
            _(
                "Row %(row)d (header): no column %(missing)s, which the profile reads. "
                "The header has %(found)s. Is this the source's file, and is the “Header "
                "row” right?"
            )
            % {
                "row": number,
                "missing": ", ".join(f"'{m}'" for m in self.missing),
                "found": shown,
            }
        )

    def label_of(self, names: list[str], index: int) -> str:
        """The column as the file names it: its header text (the split column's with the
        part, "freq,citizen,geo\\TIME_PERIOD (geo)"), or its number counted in the file."""
        display = getattr(self, "display", None) or names
        if index < len(display) and display[index]:
            return display[index]
        return str(self.original_position(index))

    def original_position(self, index: int) -> int:
        """The 1-based column number in the file as published, of a 0-based index into the
        row after the split column's parts were put in its place."""
        split = self.profile.split_column
        if split is None or index < split.position:
            return index + 1
        return max(split.position, index + 1 - (len(split.into) - 1))

    # --- Rows -----------------------------------------------------------------------------

    def rows(self, rows: Records, text_file: bool) -> Iterator[SourceRow]:
        profile = self.profile
        header_row = profile.header_row
        last_header = (header_row or 0) + profile.header_rows - 1
        first_data = profile.data_row or (last_header + 1)
        names: list[str] = []
        positions: dict[str, int] = {}
        if header_row is None:
            # Without a header, parse_profile takes only column numbers.
            names, positions = self.locate([], 0)
            self.display = list(profile.split_column.into) if profile.split_column else []
        width = None
        header_seen = header_row is None
        above = None  # the first of two header rows
        for number, cells in rows:
            in_header = header_row is not None and header_row <= number <= last_header
            if number < first_data and not in_header:
                continue
            if in_header:
                cells = self.split_header(cells, number)
                if number < last_header:
                    above = cells
                    continue
                if above is not None:
                    cells = self.two_rows(above, cells)
                names, positions = self.locate(cells, last_header)
                while names and not names[-1]:
                    names.pop()
                width = len(names)
                header_seen = True
                plan = self.plan(names, positions, last_header)
                continue
            if not header_seen:
                raise FileError(
                    _("Row %(row)d, the header the profile names, is empty or missing.")
                    % {"row": header_row}
                )
            if not any(_label(cell) for cell in cells):
                continue
            if profile.split_column is not None:
                cells, problem = self.split_cells(cells)
                if problem:
                    yield SourceRow(number, [""] * WIDTH, {}, [problem])
                    continue
            if header_row is None and width is None:
                # No header: the first data row says how many columns a row has.
                width = len(cells)
                while width and not _label(cells[width - 1]):
                    width -= 1
                plan = self.plan(names, positions, number)
            yield from self.reshape(number, cells, positions, plan, width, text_file)
        if not header_seen:
            raise FileError(
                _("The file ends before row %(row)d, where the profile expects the header.")
                % {"row": last_header}
            )

    # --- A column that packs several dimensions; two header rows ---------------------------

    def split_header(self, cells: Sequence[Cell], number: int) -> Sequence[Cell]:
        """The header with the split column's cell replaced by its parts' names (Eurostat's
        `freq,citizen,geo\\TIME_PERIOD`: the part before the backslash names the parts)."""
        split = self.profile.split_column
        self.display = [_normal(cell) for cell in cells]
        if split is None or number != self.profile.header_row:
            return cells
        index = split.position - 1
        original = _normal(cells[index]) if index < len(cells) else ""
        written = [part.strip() for part in original.split("\\", 1)[0].split(split.by)]
        if len(written) > 1 and [w.casefold() for w in written] != [
            name.casefold() for name in split.into
        ]:
            raise FileError(
                _(
                    "Row %(row)d (header): column %(column)d is '%(cell)s'; the profile splits "
                    "it by '%(by)s' into %(into)s. Is this the source's file?"
                )
                % {
                    "row": number,
                    "column": split.position,
                    "cell": original,
                    "by": split.by,
                    "into": ", ".join(split.into),
                }
            )
        shown = original or str(split.position)
        self.display[index : index + 1] = [f"{shown} ({name})" for name in split.into]
        return [*cells[:index], *split.into, *cells[index + 1 :]]

    def split_cells(self, cells: Sequence[Cell]) -> tuple[Sequence[Cell], ColumnError | None]:
        """(cells with the split column's parts in its place, None) or (cells, error)."""
        split = self.profile.split_column
        assert split is not None  # called only for a profile with a split column
        index = split.position - 1
        text = _label(cells[index]) if index < len(cells) else ""
        parts = [part.strip() for part in text.split(split.by)]
        if len(parts) != len(split.into):
            original = self.display[index].rsplit(" (", 1)[0] if self.display else ""
            problem = (
                original or str(split.position),
                _("'%(cell)s' should be %(count)d parts separated by '%(by)s' (%(into)s).")
                % {
                    "cell": text,
                    "count": len(split.into),
                    "by": split.by,
                    "into": ", ".join(split.into),
                },
            )
            return cells, problem
        return [*cells[:index], *parts, *cells[index + 1 :]], None

    def two_rows(self, above: Sequence[Cell], below: Sequence[Cell]) -> list[str]:
        """One header from two: a period written once above the group of columns it spans
        (PX-Web's "2017" over "Moški", "Ženske") is repeated over each, then joined with the
        category below, "2017 Moški", which `value_columns` matches."""
        combined, period = [], ""
        for index in range(max(len(above), len(below))):
            top = _normal(above[index]) if index < len(above) else ""
            period = top or period
            bottom = _normal(below[index]) if index < len(below) else ""
            combined.append(" ".join(part for part in (period, bottom) if part))
        self.display = list(combined)
        return combined

    def plan(self, names: list[str], positions: dict[str, int], number: int) -> list[Step]:
        """What each observation of a row reads, once per file: one Step per value column (a
        long table's, each measure's, or each header cell a wide table's pattern matches)."""
        profile = self.profile
        label = {role: self.label_of(names, index) for role, index in positions.items()}
        if len(self.category_positions) > 1:
            label["category"] = ", ".join(self.label_of(names, i) for i in self.category_positions)
        base = dict(label)
        if "month" in label:
            base["period"] = f"{label['period']} / {label['month']}"
        used = set(positions.values()) | set(self.category_positions)
        measures: list[Measure | None] = list(profile.measures) or [None]
        self.resolve_rules(positions)
        located = []
        for measure in measures:
            area = categories = None
            value = None
            origins = dict(base)
            if measure is not None:
                if measure.value is not None:
                    value = self.find(measure.value)
                if measure.area is not None:
                    area = self.find(measure.area)
                    if area is not None:
                        used.add(area)
                        origins["area"] = self.label_of(names, area)
                if measure.category is not None:
                    found = [self.find(where) for where in measure.category]
                    categories = tuple(index for index in found if index is not None)
                    used.update(categories)
                    origins["category"] = ", ".join(self.label_of(names, i) for i in categories)
            elif not profile.is_wide:
                value = positions.get("value")
            extra = self.measure_parts(measure)
            located.append((measure, value, area, categories, origins, extra))
        self.raise_missing(names, number)
        plan: list[Step] = []
        for measure, value, area, categories, origins, extra in located:
            if not profile.is_wide:
                assert value is not None  # parse_profile requires a value column
                origins = {**origins, "value": self.label_of(names, value)}
                plan.append(
                    Step(value, None, None, origins, area=area, categories=categories, **extra)
                )
                continue
            pattern = measure.value_columns if measure is not None else profile.value_columns
            assert pattern is not None  # parse_profile requires it of a wide profile
            matched = 0
            for index, name in enumerate(names):
                match = pattern.fullmatch(name) if index not in used else None
                if match is None:
                    continue
                matched += 1
                groups = match.groupdict()
                step_origins = {**origins, "value": name}
                if groups.get("period") is not None:
                    step_origins["period"] = name
                if groups.get("category") is not None:
                    step_origins["category"] = name
                plan.append(
                    Step(
                        index, groups.get("period"), groups.get("category"), step_origins,
                        area=area, categories=categories, **extra,
                    )
                )  # fmt: skip
            if not matched:
                raise FileError(
                    _(
                        "Row %(row)d (header): no header cell matches the profile's "
                        "“value_columns”%(measure)s (%(pattern)s), so no column holds values."
                    )
                    % {
                        "row": number,
                        "pattern": pattern.pattern,
                        "measure": f" ({measure.shown})" if measure is not None else "",
                    }
                )
        return plan

    def measure_parts(self, measure: Measure | None) -> dict:
        """A measure's own indicator, number format, status and keep rules, for its Steps."""
        if measure is None:
            return {}
        numbers = None
        if measure.multiplier is not None:
            numbers = NumberFormat(self.profile.decimal, self.profile.thousands, measure.multiplier)
        keep = tuple(
            self.target(rule, _("“%(measure)s” kept only where: %(rule)s")
                        % {"measure": measure.shown, "rule": rule.shown})
            for rule in measure.keep
        )  # fmt: skip
        return {
            "indicator": measure.indicator,
            "numbers": numbers,
            "status": measure.status,
            "keep": keep,
            "measure": measure.shown,
        }

    def has_role(self, role: str, positions: dict[str, int]) -> bool:
        """Whether the file gives `role` (a column, a measure's column or a header group)."""
        profile = self.profile
        measures = profile.measures
        patterns = [profile.value_columns, *(m.value_columns for m in measures)]
        groups = {name for p in patterns if p is not None for name in p.groupindex}
        if role == "area":
            return "area" in positions or any(m.area is not None for m in measures)
        if role == "category":
            return (
                bool(self.category_positions)
                or any(m.category is not None for m in measures)
                or "category" in groups
            )
        if role == "period":
            return "period" in positions or "period" in groups
        return "indicator" in positions or bool(measures)

    def target(self, rule: Rule, reason: str, positions: dict[str, int] | None = None) -> Target:
        column = rule.column
        positions = positions if positions is not None else self.positions
        if isinstance(column, str) and column in RULE_ROLES and self.has_role(column, positions):
            return Target(rule, reason, role=column)
        return Target(rule, reason, index=self.find(column))

    def resolve_rules(self, positions: dict[str, int]) -> None:
        self.positions = positions
        self.row_rules, self.value_rules = [], []
        for rules, keep, words in (
            (self.profile.keep, True, _("Keep only rows where")),
            (self.profile.skip, False, _("Skip rows where")),
        ):
            for rule in rules:
                reason = f"{words}: {rule.shown}"
                target = self.target(rule, reason, positions)
                (self.value_rules if target.role else self.row_rules).append((target, keep))

    def count(self, seen: set[tuple[str, str]], reason: str, label: str) -> None:
        """Counts a skipped label once per row and reason."""
        if (reason, label) in seen:
            return
        seen.add((reason, label))
        self.skipped.setdefault(reason, Counter())[label] += 1

    def reshape(
        self,
        number: int,
        cells: Sequence[Cell],
        positions: dict[str, int],
        plan: list[Step],
        width: int | None,
        text_file: bool,
    ) -> Sequence[SourceRow]:
        profile = self.profile
        defaults = profile.defaults
        errors: list[ColumnError] = []
        origins = plan[0].origins
        count = len(cells)

        def cell(index: int | None) -> Cell:
            if index is None:
                return None
            return cells[index] if index < count else None

        if text_file:
            needed = (
                max(
                    [
                        *positions.values(),
                        *self.category_positions,
                        *(step.value for step in plan),
                        *(step.area for step in plan if step.area is not None),
                        *(i for step in plan for i in (step.categories or ())),
                        *(t.index for t, _k in self.row_rules if t.index is not None),
                    ]
                )
                + 1
            )
            if count < needed:
                found = self.original_position(count - 1) if count else 0
                errors.append(
                    (
                        str(found + 1),
                        _(
                            "The row has %(count)d cells; the profile reads column %(needed)d "
                            "(%(header)s). A cell or delimiter is missing."
                        )
                        % {
                            "count": found,
                            "needed": self.original_position(needed - 1),
                            "header": width or needed,
                        },
                    )
                )
                return [SourceRow(number, [""] * WIDTH, origins, errors)]
        # A CSV row's cells past the header are a delimiter too many; an XLSX row ends at its
        # last filled cell, so only a cell with content beyond the header is wrong (a styled
        # blank one is not), and a short row is fine: what it lacks is reported by name.
        if width:
            if text_file:
                message = _(
                    "The row has a cell in column %(column)d (%(letters)s), beyond the "
                    "header's %(width)d columns. A delimiter too many?"
                )
            else:
                message = _(
                    "The row has a cell in column %(column)d (%(letters)s), beyond the "
                    "header's %(width)d columns. A figure without a header, or a note in the "
                    "wrong column?"
                )
            extra = [i for i in range(width, count) if _label(cells[i])]
            if extra:
                column = self.original_position(extra[0])
                errors.append(
                    (
                        str(column),
                        message
                        % {
                            "column": column,
                            "letters": column_letters(column),
                            "width": self.original_position(width - 1),
                        },
                    )
                )
                return [SourceRow(number, [""] * WIDTH, origins, errors)]

        seen: set[tuple[str, str]] = set()
        # Rules on a cell: the whole row is kept or skipped.
        for target, keep in self.row_rules:
            text = _label(cell(target.index))
            if target.rule.holds(text) != keep:
                self.count(seen, target.reason, text)
                return ()
        labels = {
            role: _label(cell(positions.get(role))) for role in ("indicator", "area", "period")
        }
        if "indicator" in positions:
            row_indicator = profile.indicators.get(labels["indicator"], labels["indicator"])
            if row_indicator == SKIP:
                return ()
        else:
            row_indicator = defaults.get("indicator", "")
        row_parts = tuple(_label(cell(index)) for index in self.category_positions)
        note = _label(cell(positions.get("note"))) if "note" in positions else ""
        row_period: str | None = None

        def add(error: ColumnError) -> None:
            if error not in errors:
                errors.append(error)

        def period_of_row() -> str:
            nonlocal row_period
            if row_period is None:
                row_period = defaults.get("period", "")
                if "period" in positions:
                    try:
                        month = cell(positions["month"]) if "month" in positions else None
                        if "month" in positions and month is None:
                            month = ""
                        row_period = self.periods.read(cell(positions["period"]), month)
                    except MonthError as error:
                        add((origins["month"], str(error)))
                    except ValueError as error:
                        add((origins["period"], str(error)))
            return row_period

        out = []
        row_area, row_category = "", defaults.get("category", "")
        for step in plan:
            # The labels this value's rules test, as the file writes them.
            area_text = labels["area"] if step.area is None else _label(cell(step.area))
            parts = row_parts if step.categories is None else tuple(
                _label(cell(index)) for index in step.categories
            )  # fmt: skip
            category_text = CATEGORY_JOIN.join(parts) if parts else None
            if step.category is not None:
                category_text = step.category.strip()
            period_text = step.period if step.period is not None else labels["period"]
            role_labels = {
                "area": area_text,
                "category": category_text or "",
                "period": period_text,
                "indicator": labels["indicator"] if "indicator" in positions else (
                    step.indicator or row_indicator
                ),
            }  # fmt: skip
            if not self.kept(step, role_labels, cell, seen):
                continue
            # Area
            if not area_text:
                add((step.origins.get("area", "area"), _("The area is empty.")))
                continue
            try:
                area, area_label = self.areas.resolve(area_text)
            except ValueError as error:
                if profile.unknown_areas == SKIP:
                    self.count(seen, UNKNOWN_AREAS, area_text)
                else:
                    add((step.origins["area"], str(error)))
                continue
            if area == SKIP:
                continue
            # Category
            category = defaults.get("category", "")
            if step.category is not None:
                category = profile.categories.get(category_text or "", category_text or "")
            elif len(parts) == 1:
                category = profile.categories.get(parts[0], parts[0])
            elif parts:
                mapped = [profile.categories.get(part, part) for part in parts]
                if SKIP in mapped:
                    continue
                category = CATEGORY_JOIN.join(part or EMPTY_PART for part in mapped)
                if len(category) > MAX_CATEGORY:
                    add(
                        (
                            step.origins.get("category", "category"),
                            _(
                                "The category '%(category)s' is %(length)d characters long; "
                                "the limit is %(limit)d."
                            )
                            % {
                                "category": category,
                                "length": len(category),
                                "limit": MAX_CATEGORY,
                            },
                        )
                    )
                    continue
            if category == SKIP:
                continue
            row_area, row_category = area, category
            # Period
            if step.period is not None:
                try:
                    period = self.periods.read(step.period)
                except ValueError as error:
                    add((step.origins["period"], str(error)))
                    continue
            else:
                period = period_of_row()
            indicator = step.indicator or row_indicator
            raw = cell(step.value)
            try:
                read = self.value(raw, step.numbers, step.status)
            except ValueError as error:
                add((step.origins["value"], str(error)))
                continue
            if read is None:
                continue
            value, status = read
            out.append(
                SourceRow(
                    number,
                    [
                        indicator,
                        area,
                        period,
                        category,
                        value,
                        status,
                        self.source,
                        note,
                        area_label,
                    ],
                    step.origins,
                )
            )
        if errors:
            return [
                SourceRow(
                    number,
                    [row_indicator, row_area, row_period or "", row_category, "", "", "", note, ""],
                    origins,
                    errors,
                )
            ]
        self.emitted += len(out)
        limit = self.limits.rows * OBSERVATIONS_PER_ROW
        if self.emitted > limit:
            raise FileError(
                _(
                    "The file reshapes into more than %(limit)s observations (%(per_row)d for "
                    "each of the %(rows)s rows the import takes); split it into smaller files."
                )
                % {
                    "limit": human_number(limit),
                    "per_row": OBSERVATIONS_PER_ROW,
                    "rows": human_number(self.limits.rows),
                }
            )
        return out

    def kept(
        self,
        step: Step,
        role_labels: dict[str, str],
        cell: Callable[[int | None], Cell],
        seen: set[tuple[str, str]],
    ) -> bool:
        """Whether the profile's rules on roles and the measure's own keep rules let this
        value through; a value they leave out is counted under the rule."""
        for target, keep in self.value_rules:
            text = role_labels.get(target.role or "", "")
            if target.rule.holds(text) != keep:
                self.count(seen, target.reason, text)
                return False
        for target in step.keep:
            if target.role:
                text = role_labels.get(target.role, "")
            else:
                text = _label(cell(target.index))
            if not target.rule.holds(text):
                self.count(seen, target.reason, text)
                return False
        return True

    def value(
        self, raw: Cell, numbers: NumberFormat | None = None, status: str | None = None
    ) -> tuple[str, str] | None:
        """(value text, status) of a value cell, None to skip it; ValueError if unreadable."""
        numbers = numbers or self.numbers
        status = status or self.status
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return value_text(numbers.number_cell(raw)), status
        if isinstance(raw, datetime.date | bool):
            raise ValueError(_("'%(text)s' is not a number.") % {"text": raw})
        # str(): a duration cell (XLSX) is refused as a number below, not a crash here.
        text = "" if raw is None else str(raw).strip()
        meaning = self.markers.get(text)
        if meaning is not None:
            return self.marker(meaning)
        if numbers.multiplier == 1 and numbers.decimal == "." and _PLAIN.match(text):
            return text, status
        try:
            return value_text(numbers.parse(text)), status
        except ValueError as error:
            failure = error
        flags = self.profile.flags
        match = _FLAGGED.match(text) if flags else None
        if match:
            letters = match["flags"]
            unknown = [letter for letter in letters if letter not in flags]
            if not unknown:
                body = match["body"].strip()
                meaning = self.markers.get(body)
                # A flag that withholds the figure (Eurostat's "c", confidential) wins over
                # the marker it follows: ": c" is suppressed, not merely missing.
                withheld = [flags[x] for x in letters if flags[x] in (NOT_AVAILABLE, SUPPRESSED)]
                if withheld and (meaning is not None or not body):
                    return "", withheld[0]
                if meaning is not None:
                    return self.marker(meaning)
                if withheld:
                    raise ValueError(
                        _(
                            "'%(text)s': the flag '%(flag)s' means %(meaning)s, yet a figure "
                            "is given. Which is right?"
                        )
                        % {"text": text, "flag": letters, "meaning": withheld[0]}
                    )
                value = value_text(numbers.parse(body))
                statuses = [flags[x] for x in letters]
                return value, statuses[0]
        markers = ", ".join(f"'{marker}'" for marker in self.markers if marker) or _("none")
        raise ValueError(
            f"{failure} " + _("Markers in this profile: %(markers)s.") % {"markers": markers}
        )

    def marker(self, meaning: str) -> tuple[str, str] | None:
        if meaning == SKIP:
            return None
        return "", NOT_AVAILABLE if meaning == NOT_AVAILABLE else SUPPRESSED


def rows_as_read(
    data: bytes,
    encoding: str | None = None,
    delimiter: str | None = None,
    count: int = 20,
    limits: Limits | None = None,
) -> tuple[str, str | None, list[tuple[int, list[str]]]]:
    """(kind, delimiter, the first `count` non-blank rows as (number, [cell text])) of a file,
    before any profile: what the admin's profile builder shows. FileError if unreadable."""
    limits = profile_limits(limits)
    check_upload(data)
    rows: Records
    if is_workbook(data):
        rows, kind = xlsx_rows(data, limits), "XLSX"
    else:
        text, label = decode_as(data, encoding)
        if delimiter is None:
            lines = list(itertools.islice(text_lines(text), SNIFF_ROWS))
            widths: dict[str, tuple[int, int]] = {}
            for candidate in (",", ";", "\t"):
                try:
                    records = [row for row in csv.reader(lines, delimiter=candidate) if row]
                except csv.Error:
                    # A field over csv's own limit (131,072 characters), or a quotation mark
                    # never closed: not this delimiter; csv_rows below says what is wrong.
                    records = []
                # The delimiter that splits most rows into the same, largest number of cells.
                common = max((len(row) for row in records), default=0)
                widths[candidate] = (
                    sum(1 for row in records if len(row) == common) * common,
                    common,
                )
            delimiter = max(widths, key=lambda candidate: widths[candidate])
        rows = csv_rows(text, delimiter, limits)
        names = {",": "comma", ";": "semicolon", "\t": "tab"}
        kind = f"CSV ({label}, {names[delimiter]}-delimited)"
    shown = []
    for number, cells in rows:
        texts = [_label(cell) if not isinstance(cell, str) else cell for cell in cells]
        if any(text.strip() for text in texts):
            shown.append((number, texts))
        if len(shown) >= count:
            break
    return kind, delimiter, shown
