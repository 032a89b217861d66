"""A file as a source publishes it -> the contract's rows, streamed, through a profile.

`ProfileReader(profile)(data, limits)` gives a `ProfileTable`: `header` (the contract's
column names), `rows` (SourceRow: the ORIGINAL file's row number and the contract's cells as
text, one per observation; a wide row gives one per value cell) and, on each row, `origins`
(contract column -> the file's own column, for error messages) and `errors` (what this
module found wrong in the row, by the file's column). Nothing is read from the database per
row or cell: names resolve through one dict, periods through a cache.
"""

import csv
import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils.translation import gettext as _

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
from ..imports.report import ColumnError
from ..imports.rows import Cell, SourceRow
from .format import NOT_AVAILABLE, SKIP, SUPPRESSED, Profile, SkipRule
from .names import AreaResolver
from .values import MonthError, NumberFormat, PeriodReader, value_text

HEADER = ["indicator", "area", "period", "category", "value", "status", "source", "note"]
INDICATOR, AREA, PERIOD, CATEGORY, VALUE, STATUS, SOURCE, NOTE = range(8)
# Cells (XLSX) and characters a source's blank-looking cell may hold.
_PLAIN = re.compile(r"^-?\d+(?:\.\d+)?$")
_FLAGGED = re.compile(r"^(?P<body>.*?)\s*(?P<flags>[A-Za-z]{1,3})$")
SNIFF_ROWS = 200
# (row number, cells) as a reader gives them: text from CSV; text, numbers, dates from XLSX.
Records = Iterator[tuple[int, Sequence[Cell]]]
# What one observation of a row reads: (index of the value cell, period and category text
# from the value column's header or None, contract column -> the file's column).
Step = tuple[int, str | None, str | None, dict[str, str]]


@dataclass
class ProfileTable:
    header: list[str]
    rows: Iterable[SourceRow]
    kind: str
    profile: str = ""
    decimal_comma: bool = False  # the cells are the contract's text: '.' decimal point
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
    """Reads files with one profile; call it as the contract pipeline calls open_table."""

    def __init__(
        self, profile: Profile, names: dict[str, str] | None = None, label: str = ""
    ) -> None:
        self.profile = profile
        self.names = names
        self.label = label or profile.name

    def __call__(self, data: bytes, limits: Limits | None = None) -> ProfileTable:
        limits = profile_limits(limits)
        check_upload(data)
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
        return ProfileTable(list(HEADER), shaper.rows(rows, text_file), kind, self.label)

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
                named = [w for w in profile.columns.values() if isinstance(w, str)]
                found = sum(1 for name in named if name.casefold() in cells)
                if profile.value_columns is not None:
                    found += sum(
                        1 for cell in row if profile.value_columns.fullmatch(_normal(cell))
                    )
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
        self.skip: dict[str, list[SkipRule]] = {}
        for rule in profile.skip:
            self.skip.setdefault(rule.column, []).append(rule)

    # --- Header ---------------------------------------------------------------------------

    def locate(self, header: Sequence[Cell], number: int) -> tuple[list[str], dict[str, int]]:
        """role -> 0-based index, from names in the header row (or positions)."""
        profile = self.profile
        names = [_normal(cell) for cell in header]
        folded = [name.casefold() for name in names]
        positions: dict[str, int] = {}
        missing: list[str] = []
        for role, where in profile.columns.items():
            if isinstance(where, int):
                positions[role] = where - 1
            elif where.casefold() in folded:
                positions[role] = folded.index(where.casefold())
            else:
                missing.append(where)
        if missing:
            shown = ", ".join(f"'{name}'" for name in names if name) or _("nothing")
            raise FileError(
                _(
                    "Row %(row)d (header): no column %(missing)s, which the profile reads. "
                    "The header has %(found)s. Is this the source's file, and is "
                    "“header_row” right?"
                )
                % {"row": number, "missing": ", ".join(f"'{m}'" for m in missing), "found": shown}
            )
        return names, positions

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
            positions = {
                role: where - 1 for role, where in profile.columns.items() if isinstance(where, int)
            }
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
                    yield SourceRow(number, [""] * 8, {}, [problem])
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
        """What each observation of a row reads: [(value index, period group, category
        group, origins)], once per file."""
        profile = self.profile
        label = {role: self.label_of(names, index) for role, index in positions.items()}
        if not profile.is_wide:
            origins = {role: label[role] for role in label}
            if "month" in label:
                origins["period"] = f"{label['period']} / {label['month']}"
            return [(positions["value"], None, None, origins)]
        used = set(positions.values())
        plan: list[Step] = []
        value_columns = profile.value_columns
        assert value_columns is not None  # parse_profile requires it of a wide profile
        for index, name in enumerate(names):
            match = value_columns.fullmatch(name) if index not in used else None
            if match is None:
                continue
            groups = match.groupdict()
            origins = {role: label[role] for role in label}
            origins["value"] = name
            if groups.get("period") is not None:
                origins["period"] = name
            if groups.get("category") is not None:
                origins["category"] = name
            plan.append((index, groups.get("period"), groups.get("category"), origins))
        if not plan:
            raise FileError(
                _(
                    "Row %(row)d (header): no header cell matches the profile's "
                    "“value_columns” (%(pattern)s), so no column holds values."
                )
                % {"row": number, "pattern": value_columns.pattern}
            )
        return plan

    def skipped(self, role: str, label: str) -> bool:
        return any(rule.matches(label) for rule in self.skip.get(role, ()))

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
        errors = []
        origins = plan[0][3]
        count = len(cells)

        def cell(role: str) -> Cell:
            index = positions.get(role)
            if index is None:
                return None
            return cells[index] if index < count else None

        if text_file:
            needed = max([*positions.values(), *(step[0] for step in plan)]) + 1
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
                return [SourceRow(number, [""] * 8, origins, errors)]
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
                return [SourceRow(number, [""] * 8, origins, errors)]

        labels = {}
        for role in ("indicator", "area", "period", "category"):
            if role in positions:
                labels[role] = _label(cell(role))
                if self.skipped(role, labels[role]):
                    return ()
        # Area
        area_label = labels.get("area", "")
        if not area_label:
            errors.append((origins.get("area", "area"), _("The area is empty.")))
            area, area_note = "", ""
        else:
            try:
                area, area_note = self.areas.resolve(area_label)
            except ValueError as error:
                errors.append((origins["area"], str(error)))
                area, area_note = "", ""
            if area == SKIP:
                return ()
        # Indicator
        if "indicator" in positions:
            indicator = profile.indicators.get(labels["indicator"], labels["indicator"])
            if indicator == SKIP:
                return ()
        else:
            indicator = defaults.get("indicator", "")
        # Period of the row (long tables, or a wide table with a period column)
        row_period = defaults.get("period", "")
        if "period" in positions:
            try:
                month = cell("month") if "month" in positions else None
                if "month" in positions and month is None:
                    month = ""
                row_period = self.periods.read(cell("period"), month)
            except MonthError as error:
                errors.append((origins["month"], str(error)))
            except ValueError as error:
                errors.append((origins["period"], str(error)))
        row_category = defaults.get("category", "")
        if "category" in positions:
            row_category = profile.categories.get(labels["category"], labels["category"])
            if row_category == SKIP:
                return ()
        note = _label(cell("note")) if "note" in positions else ""
        if area_note:
            note = f"{note} {area_note}".strip()
        out = []
        for index, period_text, category_text, step_origins in plan:
            period, category = row_period, row_category
            if period_text is not None:
                try:
                    period = self.periods.read(period_text)
                except ValueError as error:
                    errors.append((step_origins["period"], str(error)))
                    continue
            if category_text is not None:
                category_text = category_text.strip()
                if self.skipped("category", category_text):
                    continue
                category = profile.categories.get(category_text, category_text)
                if category == SKIP:
                    continue
            raw = cells[index] if index < count else None
            try:
                read = self.value(raw)
            except ValueError as error:
                errors.append((step_origins["value"], str(error)))
                continue
            if read is None:
                continue
            value, status = read
            out.append(
                SourceRow(
                    number,
                    [indicator, area, period, category, value, status, self.source, note],
                    step_origins,
                )
            )
        if errors:
            return [
                SourceRow(
                    number,
                    [indicator, area, row_period, row_category, "", "", "", note],
                    origins,
                    errors,
                )
            ]
        self.emitted += len(out)
        if self.emitted > self.limits.rows:
            raise FileError(
                _(
                    "The file holds more than %(limit)s observations (the rows of the "
                    "contract it reshapes into); the limit is %(limit)s. Split it into "
                    "smaller files."
                )
                % {"limit": f"{self.limits.rows:,}"}
            )
        return out

    def value(self, raw: Cell) -> tuple[str, str] | None:
        """(value text, status) of a value cell, None to skip it; ValueError if unreadable."""
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return value_text(self.numbers.number_cell(raw)), self.status
        if isinstance(raw, datetime.date | bool):
            raise ValueError(_("'%(text)s' is not a number.") % {"text": raw})
        # str(): a duration cell (XLSX) is refused as a number below, not a crash here.
        text = "" if raw is None else str(raw).strip()
        meaning = self.markers.get(text)
        if meaning is not None:
            return self.marker(meaning)
        numbers = self.numbers
        if numbers.multiplier == 1 and numbers.decimal == "." and _PLAIN.match(text):
            return text, self.status
        try:
            return value_text(numbers.parse(text)), self.status
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
