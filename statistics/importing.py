"""The one CSV/XLSX pipeline for observations, shared by the admin and the management commands.

Reading: the bytes are sniffed (XLSX, or CSV in UTF-8 with or without BOM, Windows-1250 or
Windows-1251) and read within the import limits by statistics.reading; the delimiter is
taken from the header (comma or semicolon) and that choice fixes the number format
(semicolon: decimal comma with optional '.' thousands; comma: '.' decimal point).
Validation runs in memory against lookup dicts loaded once (indicators, areas, sources,
existing observations by natural key); writing is bulk_create/bulk_update in batches
inside one transaction, all or nothing. Every run is recorded as an ImportRecord.

Staging (a scheduled data release, `ReleasePlan`): the new observations are written into a
DataRelease and stay staff-only until its time (or "Release now"). A staged import may only
add observations: a row that would change an existing one is refused, so no public value
ever waits for a release and no pending copy of one is needed.
"""

import csv
import datetime
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from regions.models import Country, Region
from wbportal.formatting import format_datetime, format_value
from wbportal.formatting import format_number as human_number
from wbportal.signals import content_changed

from .models import (
    STATUSES_WITHOUT_VALUE,
    DataRelease,
    ImportRecord,
    Indicator,
    Observation,
    ObservationStatus,
    Source,
    ValueQualifier,
)
from .periods import parse_period
from .reading import FileError, Limits, csv_rows, decode, first_line, xlsx_rows

# `qualifier` came last, after the first eight: a reader of the downloads that takes columns
# by position finds the first eight where they always were. It is optional on import.
COLUMNS = [
    "indicator", "area", "period", "category", "value", "status", "source", "note", "qualifier",
]  # fmt: skip
REQUIRED_COLUMNS = ["indicator", "area", "period", "value"]
TEXT_COLUMNS = [
    "indicator", "area", "period", "category", "status", "source", "note", "qualifier",
]  # fmt: skip
# Text a spreadsheet would run as a formula when it starts a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH_SIZE = 2000
UPDATE_BATCH_SIZE = 500
PROGRESS_EVERY = 10_000
MAX_LISTED = 12

NEW, UPDATED, UNCHANGED, ERROR = "new", "updated", "unchanged", "error"
DUPLICATE = gettext_noop("The same indicator, area, period and category as row %(row)d.")
STAGED_CHANGE = gettext_noop(
    "This row would change an existing observation (%(changes)s). A staged data release "
    "only adds new observations; import changes without staging, or edit the observation."
)
WRITTEN_FIELDS = ["value", "qualifier", "status", "source_id", "note"]

# How a file may write a qualifier in its `qualifier` column (case-insensitive): the code, the
# words, or the sign a source prints before the number. "+" means "more than" only in this
# column: in the value column it could as well be the plus sign of a change (+5), so there
# it is refused rather than guessed.
QUALIFIER_SPELLINGS = {
    ValueQualifier.MORE_THAN: ("more_than", "more than", ">", "+"),
    ValueQualifier.LESS_THAN: ("less_than", "less than", "<"),
    ValueQualifier.ABOUT: ("about", "~", "\u2248"),
}
QUALIFIERS = {
    spelling: qualifier
    for qualifier, spellings in QUALIFIER_SPELLINGS.items()
    for spelling in spellings
}
# Signs a value cell may start with (">1200"): they set the qualifier.
VALUE_SIGNS = {">": ValueQualifier.MORE_THAN, "<": ValueQualifier.LESS_THAN}
VALUE_SIGNS.update({"~": ValueQualifier.ABOUT, "\u2248": ValueQualifier.ABOUT})


# --- Formula neutralising ------------------------------------------------------------------


def needs_neutralising(text):
    if not text:
        return False
    if text[0] in FORMULA_STARTS:
        return True
    # Text that starts with our own escape mark must keep it, or import would remove it.
    return text[0] == "'" and needs_neutralising(text[1:])


def neutralise(text):
    """Text safe to put in a spreadsheet cell: formula-like text gets a leading "'"."""
    text = "" if text is None else str(text)
    return "'" + text if needs_neutralising(text) else text


def unneutralise(text):
    """Undo neutralise(): exactly inverse, so export then import is an identity."""
    if text.startswith("'") and needs_neutralising(text[1:]):
        return text[1:]
    return text


# --- Numbers -------------------------------------------------------------------------------

_PLAIN_POINT = re.compile(r"^-?\d+(?:\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")
MAX_DECIMALS = Observation._meta.get_field("value").decimal_places
MAX_DIGITS = Observation._meta.get_field("value").max_digits


def parse_number(text, decimal_comma):
    """Parse `text` under one explicit convention; raise ValueError saying what is accepted."""
    text = text.strip()
    if decimal_comma:
        if not _DECIMAL_COMMA.match(text):
            raise ValueError(
                _(
                    "'%(text)s' is not a number; this semicolon file accepts a number with a "
                    "decimal comma, e.g. 1200,5 or 1.200,5 ('.' only groups thousands)."
                )
                % {"text": text}
            )
        normal = text.replace(".", "").replace(",", ".")
    else:
        if not _PLAIN_POINT.match(text):
            raise ValueError(
                _(
                    "'%(text)s' is not a number; this file accepts a number with '.' as decimal "
                    "point and no thousands separator, e.g. 1200.5."
                )
                % {"text": text}
            )
        normal = text
    return check_decimal(Decimal(normal), text)


def check_decimal(value, shown):
    _sign, digits, exponent = value.as_tuple()
    if exponent < -MAX_DECIMALS and value != value.quantize(Decimal(1).scaleb(-MAX_DECIMALS)):
        raise ValueError(
            _("'%(text)s' has more than %(places)d decimal places.")
            % {"text": shown, "places": MAX_DECIMALS}
        )
    integer_digits = len(digits) + exponent
    if integer_digits > MAX_DIGITS - MAX_DECIMALS:
        raise ValueError(
            _("'%(text)s' is too large (at most %(digits)d digits before the decimal point).")
            % {"text": shown, "digits": MAX_DIGITS - MAX_DECIMALS}
        )
    return value


def format_number(value):
    """A Decimal as plain text for the contract: '.' decimal point, no exponent, no padding."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


# --- Reading the file ----------------------------------------------------------------------


def _normal_header(name):
    return unicodedata.normalize("NFC", str(name or "")).replace("\ufeff", "").strip().lower()


def _trim_header(cells):
    names = [_normal_header(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()
    return names


def check_header(names):
    """Map contract column -> index, or raise FileError naming the expected columns."""
    expected = ", ".join(COLUMNS)
    unknown = [name or "(blank)" for name in names if name not in COLUMNS]
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
    return {name: names.index(name) for name in names}


def _sniff_delimiter(text, limits):
    """The delimiter whose split of the first non-blank line gives contract column names."""
    line = first_line(text)
    if line is None:
        raise FileError(_("The file has no header row and no data."))
    best = None
    for delimiter in (";", ","):
        names = _trim_header(next(csv_rows(line, delimiter, limits))[1])
        known = sum(1 for name in names if name in COLUMNS)
        if best is None or known > best[0]:
            best = (known, delimiter, names)
    return best[1], best[2]


@dataclass
class Table:
    """The rows of a file, with what was detected about it."""

    columns: dict
    rows: object  # iterator of (row number, list of cells)
    kind: str
    decimal_comma: bool = False


def _csv_table(data, limits):
    text, encoding = decode(data)
    delimiter, names = _sniff_delimiter(text, limits)
    columns = check_header(names)

    def rows():
        header_seen = False
        for number, cells in csv_rows(text, delimiter, limits):
            if not header_seen:
                if any(cell.strip() for cell in cells):
                    header_seen = True
                continue
            yield number, cells

    label = "semicolon" if delimiter == ";" else "comma"
    return Table(columns, rows(), f"CSV ({encoding}, {label}-delimited)", delimiter == ";")


def _xlsx_table(data, limits):
    rows = xlsx_rows(data, limits)
    for _number, cells in rows:
        columns = check_header(_trim_header(cells))
        break
    else:
        raise FileError(_("The workbook's first sheet is empty."))
    return Table(columns, rows, "XLSX")


def open_table(data, limits=None):
    """A Table for the bytes of an upload, or raise FileError (also while rows are read)."""
    limits = limits or Limits.from_settings()
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if not data:
        raise FileError(_("The file is empty."))
    if len(data) > limit:
        raise FileError(
            _(
                "The file is %(size).1f MB; the limit is %(limit).1f MB. "
                "Split it into smaller files."
            )
            % {"size": len(data) / 1_048_576, "limit": limit / 1_048_576}
        )
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_table(data, limits)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(
            _("This is an old Excel .xls workbook. Save it as .xlsx or CSV and upload that.")
        )
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(_("This is not a CSV or XLSX file. Upload a .csv or .xlsx file."))
    if not data.strip(b" \t\r\n,;\xef\xbb\xbf"):
        raise FileError(_("The file is empty: it has no header row and no data."))
    return _csv_table(data, limits)


# --- Cells ---------------------------------------------------------------------------------


def _cell_text(value):
    """A cell as text: XLSX gives numbers and dates, CSV gives strings."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _cell_value(value, decimal_comma):
    if isinstance(value, bool):
        raise ValueError(_("'%(text)s' is not a number.") % {"text": value})
    if isinstance(value, int):
        return check_decimal(Decimal(value), str(value))
    if isinstance(value, float):
        return check_decimal(Decimal(repr(value)), repr(value))
    if isinstance(value, Decimal):
        return check_decimal(value, str(value))
    text = _cell_text(value)
    if not text:
        return None  # allowed only for a cell without a number (see _value_and_qualifier)
    if text.startswith("+"):
        raise ValueError(
            _(
                "'%(text)s': write the number without '+'. If the source means \"more than\", "
                "put more_than (or '>') in the qualifier column, or write '>' before the number."
            )
            % {"text": text}
        )
    return parse_number(text, decimal_comma)


# --- Staging --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleasePlan:
    """Stage an import's new observations as a DataRelease named `name`, public at
    `release_at` (None: held until someone releases it)."""

    name: str
    release_at: datetime.datetime | None = None

    @classmethod
    def checked(cls, name, release_at=None):
        """A plan, or ValueError when `release_at` is not in the future (the batch would be
        public at once: import without staging instead)."""
        if release_at is not None and release_at <= timezone.now():
            raise ValueError(
                _("The release time %(time)s has passed; choose a time in the future.")
                % {"time": format_datetime(release_at)}
            )
        name = (name or "").strip()[: DataRelease._meta.get_field("name").max_length]
        return cls(name or _("Staged import"), release_at)

    def describe(self):
        if self.release_at is None:
            return _(
                "Staged as the data release “%(name)s”: not public until a Publisher or Data "
                "manager releases it."
            ) % {"name": self.name}
        return _("Staged as the data release “%(name)s”: public from %(time)s.") % {
            "name": self.name,
            "time": format_datetime(self.release_at),
        }


def _split_sign(value):
    """A value cell's leading qualifier sign (">1200"): (qualifier or "", rest of the cell)."""
    if not isinstance(value, str):
        return "", value
    text = value.strip()
    if text[:1] in VALUE_SIGNS:
        return VALUE_SIGNS[text[0]], text[1:].strip()
    return "", value


# --- The import ----------------------------------------------------------------------------


@dataclass
class RowResult:
    number: int
    action: str
    values: dict
    errors: list = field(default_factory=list)  # (column, message)
    changed: list = field(default_factory=list)
    stored: dict = field(default_factory=dict)  # what will be stored, where it differs
    warnings: list = field(default_factory=list)  # (column, message)


@dataclass
class ImportReport:
    file_name: str = ""
    dry_run: bool = False
    committed: bool = False
    kind: str = ""
    file_errors: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {NEW: 0, UPDATED: 0, UNCHANGED: 0, ERROR: 0})
    error_rows: list = field(default_factory=list)  # RowResult of every rejected row
    preview: list = field(default_factory=list)  # RowResult of the first rows, for the admin
    record: object = None
    release_plan: ReleasePlan | None = None  # stage the new rows (None: public at once)
    reader: object = None  # replaces open_table (an import profile's reader)
    profile: str = ""  # the import profile's name, for the record
    release: object = None  # the DataRelease written, if any
    rounded: int = 0  # values with more decimals than their indicator shows

    @property
    def nothing_to_change(self):
        """Every row is valid and already stored exactly as in the file."""
        return (
            not self.has_errors
            and self.counts[UNCHANGED] > 0
            and not self.counts[NEW]
            and not self.counts[UPDATED]
        )

    @property
    def total(self):
        return sum(self.counts[key] for key in (NEW, UPDATED, UNCHANGED, ERROR))

    @property
    def has_errors(self):
        return bool(self.file_errors or self.counts[ERROR])

    def error_lines(self):
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


def _known(values):
    values = sorted(values)
    shown = ", ".join(values[:MAX_LISTED])
    if len(values) > MAX_LISTED:
        shown += " " + _("and %(count)d more") % {"count": len(values) - MAX_LISTED}
    return shown


class Lookups:
    """Everything rows are checked against, loaded once per import."""

    def __init__(self):
        self.indicators = dict(Indicator.objects.values_list("code", "pk"))
        self.indicators_lower = {code.lower(): pk for code, pk in self.indicators.items()}
        # How the site shows each indicator's values (decimals, percentage).
        self.indicator_display = {
            indicator.pk: indicator for indicator in Indicator.objects.only("decimals", "unit")
        }
        self.countries = {
            code.upper(): pk for code, pk in Country.objects.values_list("iso_code", "pk")
        }
        self.regions = {code.upper(): pk for code, pk in Region.objects.values_list("code", "pk")}
        self.sources = {}
        for pk, code, name in Source.objects.values_list("pk", "code", "name"):
            self.sources[code.lower()] = pk
            self.sources[name.strip().lower()] = pk
        self.source_codes = list(Source.objects.values_list("code", flat=True))
        self.statuses = {status.lower(): status for status in ObservationStatus.values}
        self.periods = {}

    def indicator(self, text):
        pk = self.indicators.get(text) or self.indicators_lower.get(text.lower())
        if pk is None:
            raise ValueError(
                _("Unknown indicator '%(text)s'. Known indicator codes: %(known)s.")
                % {"text": text, "known": _known(self.indicators)}
            )
        return pk

    def area(self, text):
        code = text.upper()
        if code in self.countries:
            return ("c", self.countries[code])
        if code in self.regions:
            return ("r", self.regions[code])
        raise ValueError(
            _(
                "Unknown area '%(text)s'. Known country codes: %(countries)s; "
                "region codes: %(regions)s."
            )
            % {"text": text, "countries": _known(self.countries), "regions": _known(self.regions)}
        )

    def period(self, text):
        if text not in self.periods:
            try:
                # "2025-q1" is read as "2025-Q1"; everything else must be ISO 8601 already.
                self.periods[text] = parse_period(text.upper())
            except ValueError as error:
                # The message, not the exception: raising one exception object again and
                # again chains every raising frame (and its row) onto its traceback.
                self.periods[text] = str(error)
        parsed = self.periods[text]
        if isinstance(parsed, str):
            raise ValueError(parsed)
        return parsed

    def source(self, text):
        if not text:
            return None
        pk = self.sources.get(text.lower())
        if pk is None:
            raise ValueError(
                _(
                    "Unknown source '%(text)s'. Use a source's code or name, or leave it blank. "
                    "Known source codes: %(known)s."
                )
                % {"text": text, "known": _known(self.source_codes)}
            )
        return pk

    def status(self, text):
        if not text:
            return ObservationStatus.AS_PUBLISHED
        # "Not available" and "not-available" are read as the code not_available.
        status = self.statuses.get(re.sub(r"[\s-]+", "_", text.strip().lower()))
        if status is None:
            raise ValueError(
                _("Unknown status '%(text)s'. Accepted: %(accepted)s (blank means as published).")
                % {"text": text, "accepted": ", ".join(ObservationStatus.values)}
            )
        return status

    @staticmethod
    def qualifier(text):
        if not text:
            return ValueQualifier.EXACT
        qualifier = QUALIFIERS.get(" ".join(text.lower().split()))
        if qualifier is None:
            raise ValueError(
                _(
                    "Unknown qualifier '%(text)s'. Accepted: more_than (or 'more than', '>', "
                    "'+'), less_than (or 'less than', '<'), about (or '~'); blank for an "
                    "exact number."
                )
                % {"text": text}
            )
        return qualifier


def _value_and_qualifier(raw, qualifier_text, status, decimal_comma):
    """The value and qualifier of a row, checked against its status: (value, qualifier,
    [(column, message)]). A value may carry its qualifier as a sign (">1200"); an empty
    value is a cell the source publishes without a number, so only those statuses allow it."""
    errors = []
    sign, raw = _split_sign(raw)
    try:
        qualifier = Lookups.qualifier(qualifier_text)
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
        value = _cell_value(raw, decimal_comma)
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


CATEGORY_MAX = Observation._meta.get_field("category").max_length


def _parse_row(cells, columns, lookups, decimal_comma):
    """Validate one row: (values shown, key, fields, errors)."""
    values, errors = {}, []
    raw = {}
    for name, index in columns.items():
        cell = cells[index] if index < len(cells) else None
        raw[name] = cell
        text = _cell_text(cell) if name != "note" else ("" if cell is None else str(cell).strip())
        values[name] = text
    extra = [cell for cell in cells[max(columns.values()) + 1 :] if _cell_text(cell)]
    if extra:
        errors.append(
            (
                "",
                _("The row has %(count)d more cell(s) than the header has columns.")
                % {"count": len(extra)},
            )
        )
    text = {name: unneutralise(values.get(name, "")) for name in TEXT_COLUMNS}

    def check(column, parse, *args):
        try:
            return parse(*args)
        except ValueError as error:
            errors.append((column, str(error)))
            return None

    indicator = check(
        "indicator", _required(lookups.indicator, "indicator code"), text["indicator"]
    )
    area = check("area", _required(lookups.area, "area code"), text["area"])
    if _ambiguous_date_cell(raw.get("period")):
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
    status = check("status", lookups.status, text["status"])
    value, qualifier, value_errors = _value_and_qualifier(
        raw.get("value"), text["qualifier"], status, decimal_comma
    )
    errors += value_errors
    source = check("source", lookups.source, text["source"])
    if errors:
        return values, None, None, errors
    key = (indicator, area[0], area[1], period.text, category)
    fields = (value, qualifier, status, source, text["note"], period)
    return values, key, fields, errors


def _ambiguous_date_cell(cell):
    """A date cell that may stand for a longer period: the first of a month, or a time."""
    if isinstance(cell, datetime.datetime):
        return cell.day == 1 or cell.time() != datetime.time()
    return isinstance(cell, datetime.date) and cell.day == 1


def _required(parse, what):
    def wrapped(text):
        if not text:
            raise ValueError(_("The %(what)s is empty; every row needs one.") % {"what": what})
        return parse(text)

    return wrapped


def _existing(indicator_ids):
    """Existing observations of these indicators, by natural key."""
    existing = {}
    rows = Observation.objects.filter(indicator_id__in=indicator_ids).values_list(
        "pk", "indicator_id", "country_id", "region_id", "period", "category", *WRITTEN_FIELDS
    )
    for pk, indicator, country, region, period, category, *current in rows.iterator(
        chunk_size=5000
    ):
        area = ("c", country) if country else ("r", region)
        existing[(indicator, *area, period, category)] = (pk, current)
    return existing


def _same(current, fields):
    return tuple(current) == fields[: len(WRITTEN_FIELDS)]


def import_observations(
    data,
    *,
    file_name="",
    user=None,
    dry_run=False,
    via=ImportRecord.Via.COMMAND,
    progress=None,
    preview_limit=0,
    max_rows=None,
    release=None,
    reader=None,
    profile="",
):
    """Validate and (unless dry_run or rejected) write the observations in `data` (bytes).

    Returns an ImportReport. Nothing is written unless every row is valid. `max_rows`: the
    row limit when not IMPORT_MAX_ROWS (the command's own, IMPORT_COMMAND_MAX_ROWS).
    `release`: a ReleasePlan to stage the new observations instead of publishing them.
    `reader`: a callable (data, limits) -> table that replaces open_table, e.g. an import
    profile's (statistics.profiles); `profile` names it in the import record.
    """
    report = ImportReport(
        file_name=file_name, dry_run=dry_run, release_plan=release, reader=reader, profile=profile
    )
    try:
        if dry_run:
            _run(data, report, progress, preview_limit, max_rows, user)
        else:
            with transaction.atomic():
                _run(data, report, progress, preview_limit, max_rows, user)
                if report.has_errors:
                    transaction.set_rollback(True)
                else:
                    report.committed = True
                    _record(report, user, via)
                    if report.release is not None:
                        report.release.import_record = report.record
                        report.release.save(update_fields=["import_record"])
    except FileError as error:
        report.file_errors.append(str(error))
    except IntegrityError:
        report.committed = False
        report.release = None
        report.file_errors.append(
            _(
                "The observations changed while the file was being imported; nothing was "
                "written. Import the file again."
            )
        )
    if report.record is None:
        _record(report, user, via)
    return report


def _record(report, user, via):
    counts = report.counts
    report.record = ImportRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        file_name=(report.file_name or "")[:255],
        via=via,
        dry_run=report.dry_run,
        committed=report.committed,
        new=counts[NEW],
        updated=counts[UPDATED],
        unchanged=counts[UNCHANGED],
        errors=counts[ERROR] + len(report.file_errors),
        messages="\n".join(report.error_lines()[:200]),
        profile=(report.profile or "")[:300],
    )


def _run(data, report, progress, preview_limit, max_rows, user=None):
    limits = Limits.from_settings()
    if max_rows is not None:
        limits = replace(limits, rows=max_rows)
    table = (report.reader or open_table)(data, limits)
    report.kind = table.kind
    lookups = Lookups()
    parsed = []  # (number, values, key, fields) for valid rows; errors kept separately
    first_row_of_key = {}
    errors_by_number = {}  # the rows with errors that are listed: the first max_errors
    error_count = 0  # every row with errors, listed or not
    seen = 0
    max_errors = max(settings.IMPORT_MAX_ERRORS, 1)

    def add_error_row(number, values, errors):
        nonlocal error_count
        error_count += 1
        listed = errors_by_number.get(number)
        if listed is not None:  # a wide table's row gives several observations
            listed.errors += [error for error in errors if error not in listed.errors]
        elif len(errors_by_number) < max_errors:
            errors_by_number[number] = RowResult(number, ERROR, values, errors)

    for row in table.rows:
        number, cells = row
        found = getattr(row, "errors", None)  # what a profile's reshaping found wrong
        if found:
            seen += 1
            add_error_row(number, dict(zip(table.columns, cells, strict=False)), list(found))
            continue
        if not any(_cell_text(cell) for cell in cells):
            continue  # a blank line, often left at the end by spreadsheets
        values, key, fields, errors = _parse_row(cells, table.columns, lookups, table.decimal_comma)
        origins = getattr(row, "origins", None)  # the file's own column of each cell
        if origins and errors:
            errors = [(origins.get(column, column), message) for column, message in errors]
        seen += 1
        if progress and seen % PROGRESS_EVERY == 0:
            progress("checked", seen)
        if key is not None:
            first = first_row_of_key.get(key)
            if first is not None:
                errors.append(("", _(DUPLICATE) % {"row": first[0]}))
                if not first[2]:  # the first row of the key is an error row from now on
                    first_row_of_key[key] = (first[0], first[1], True)
                    add_error_row(first[0], first[1], [("", _(DUPLICATE) % {"row": number})])
            else:
                kept = values if len(parsed) < preview_limit else {}
                first_row_of_key[key] = (number, kept, bool(errors))
        if errors:
            add_error_row(number, values, errors)
        else:
            # Cell texts are kept only for the rows a preview shows (memory on big files).
            parsed.append((number, values if len(parsed) < preview_limit else None, key, fields))
    if seen == 0:
        raise FileError(_("The file has a header row but no data rows."))
    duplicated_first_rows = {first[0] for first in first_row_of_key.values() if first[2]}
    del first_row_of_key

    existing = _existing({key[0] for _n, _v, key, _f in parsed})
    to_create = []
    to_update = {}  # changed fields -> [(pk, fields)]: each group updates only those
    preview = []
    counts = report.counts
    for number, values, key, fields in parsed:
        if number in duplicated_first_rows:
            continue  # the first row of a duplicated key
        found = existing.get(key)
        if found is None:
            action, changed = NEW, []
            to_create.append((key, fields))
        elif _same(found[1], fields):
            action, changed = UNCHANGED, []
        else:
            action = UPDATED
            written = tuple(
                name
                for name, old, new in zip(
                    WRITTEN_FIELDS, found[1], fields[: len(WRITTEN_FIELDS)], strict=True
                )
                if old != new
            )
            changed = [name.removesuffix("_id") for name in written]
            if report.release_plan is not None:
                add_error_row(
                    number, values or {}, [("", _(STAGED_CHANGE) % {"changes": ", ".join(changed)})]
                )
                continue
            to_update.setdefault(written, []).append((found[0], fields))
        counts[action] += 1
        warnings = _display_warnings(fields[0], key[0], lookups)
        if warnings:
            report.rounded += 1
        if len(preview) < preview_limit:
            preview.append(
                RowResult(
                    number,
                    action,
                    values,
                    changed=changed,
                    stored=_stored_values(values, fields),
                    warnings=warnings,
                )
            )
    counts[ERROR] = error_count
    if error_count > len(errors_by_number):
        # Every row was checked (the row limit bounds the cost); only the listing is capped.
        report.file_errors.append(
            _(
                "%(count)s rows have errors; the first %(listed)s are listed. Correct them "
                "and import the file again to see the rest."
            )
            % {"count": human_number(error_count), "listed": human_number(len(errors_by_number))}
        )
    report.error_rows = sorted(errors_by_number.values(), key=lambda row: row.number)
    if preview_limit:
        shown = preview + report.error_rows[:preview_limit]
        report.preview = sorted(shown, key=lambda row: row.number)
    if report.has_errors or report.dry_run:
        return
    plan = report.release_plan
    if plan is not None and to_create:
        report.release = DataRelease.objects.create(
            name=plan.name,
            release_at=plan.release_at,
            created_by=user if user is not None and user.is_authenticated else None,
        )
    _write(to_create, to_update, progress, report.release)
    written = counts[NEW] + counts[UPDATED]
    if written:
        # Inside the transaction, before the commit: a page cache that cannot be told of the
        # change makes the import roll back (wbportal.pagecache.generation).
        content_changed.send(sender=Observation, count=written)


def _stored_values(values, fields):
    """The values that will be stored, where they read differently from the file's text."""
    value, _qualifier, status, _source, _note, period = fields
    stored = {
        "value": "" if value is None else format_number(value),
        "period": period.text,
        "status": status,
    }
    return {name: text for name, text in stored.items() if text != values.get(name)}


def _display_warnings(value, indicator_id, lookups):
    indicator = lookups.indicator_display.get(indicator_id)
    if indicator is None or value is None:  # a cell without a number rounds to nothing
        return []
    _sign, _digits, exponent = value.normalize().as_tuple()
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


def _write(to_create, to_update, progress, release=None):
    now = timezone.now()
    done = 0
    for start in range(0, len(to_create), BATCH_SIZE):
        batch = []
        for key, fields in to_create[start : start + BATCH_SIZE]:
            value, qualifier, status, source, note, period = fields
            indicator, kind, area, _period, category = key
            batch.append(
                Observation(
                    indicator_id=indicator,
                    country_id=area if kind == "c" else None,
                    region_id=area if kind == "r" else None,
                    period=period.text,
                    period_start=period.start,
                    period_end=period.end,
                    category=category,
                    value=value,
                    qualifier=qualifier,
                    status=status,
                    source_id=source,
                    note=note,
                    release=release,
                    updated_at=now,
                )
            )
        Observation.objects.bulk_create(batch)
        done += len(batch)
        if progress and done % PROGRESS_EVERY < BATCH_SIZE:
            progress("written", done)
    # bulk_update builds one CASE expression per field and row, in Python, and its cost grows
    # with the batch: it is the slowest step of a large import, so each group of rows sets
    # only the fields that changed in it (usually the value alone), in smaller batches.
    for written, rows in to_update.items():
        for start in range(0, len(rows), UPDATE_BATCH_SIZE):
            batch = [
                Observation(
                    pk=pk,
                    value=value,
                    qualifier=qualifier,
                    status=status,
                    source_id=source,
                    note=note,
                    updated_at=now,
                )
                for pk, (value, qualifier, status, source, note, _period) in rows[
                    start : start + UPDATE_BATCH_SIZE
                ]
            ]
            Observation.objects.bulk_update(batch, [*written, "updated_at"])


# --- Export --------------------------------------------------------------------------------


def export_rows(queryset, decimal_comma=False):
    """The contract's rows (header first) for observations, formula-like text neutralised.
    `decimal_comma`: values as "1234,5" (for the semicolon CSV), otherwise "1234.5"."""
    yield list(COLUMNS)
    rows = queryset.order_by(
        "indicator__code", "country__iso_code", "region__code", "period_start", "period", "category"
    ).values_list(
        "indicator__code",
        "country__iso_code",
        "region__code",
        "period",
        "category",
        "value",
        "status",
        "source__code",
        "note",
        "qualifier",
    )
    for (
        indicator,
        country,
        region,
        period,
        category,
        value,
        status,
        source,
        note,
        qualifier,
    ) in rows.iterator(chunk_size=5000):
        yield [
            neutralise(indicator),
            neutralise(country or region),
            neutralise(period),
            neutralise(category),
            ""
            if value is None  # a cell without a number
            else format_number(value).replace(".", ",")
            if decimal_comma
            else format_number(value),
            neutralise(status),
            neutralise(source or ""),
            neutralise(note),
            qualifier,
        ]


class _Echo:
    def write(self, value):
        return value


def export_csv_chunks(queryset, regional=False):
    """The CSV text in pieces (first piece starts with a BOM), for streaming or joining.

    `regional`: the layout Excel opens directly where the list separator is ";" and the
    decimal separator "," (the region's settings): semicolons and decimal commas. Both
    layouts import again unchanged."""
    writer = csv.writer(_Echo(), delimiter=";" if regional else ",", lineterminator="\r\n")
    yield "\ufeff"
    for row in export_rows(queryset, decimal_comma=regional):
        yield writer.writerow(row)


def export_csv_bytes(queryset, regional=False):
    return "".join(export_csv_chunks(queryset, regional)).encode("utf-8")
