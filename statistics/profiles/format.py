"""The import profile format ("wbportal-import-profile", version 1): JSON in, a checked
Profile out. Every mistake in a profile is reported at once, each with the key it is under,
so a Data manager fixes the file in one go (docs/staff/import-profiles.md documents the format).
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .patterns import Pattern, PatternError, compile_pattern

FORMAT = "wbportal-import-profile"
VERSION = 1
SKIP = "skip"
NOT_AVAILABLE = "not_available"
SUPPRESSED = "suppressed"
MARKER_MEANINGS = (SKIP, NOT_AVAILABLE, SUPPRESSED)
VALUE_STATUSES = ("as_published", "final", "provisional", "estimated")
ENCODINGS = {"auto": None, "utf-8": "utf-8-sig", "windows-1250": "cp1250", "cp1250": "cp1250"}
ENCODINGS.update({"windows-1251": "cp1251", "cp1251": "cp1251"})
DELIMITERS = {"auto": None, ",": ",", ";": ";", "tab": "\t", "\t": "\t"}
THOUSANDS = ("", ",", ".", " ", "'")
DATE_MEANINGS = ("day", "month", "quarter", "year")
# Roles a long table's columns can play, and what a wide table's key columns can be.
ROLES = ("indicator", "area", "period", "month", "category", "value", "note")
WIDE_ROLES = ("indicator", "area", "period", "month", "category", "note")
SKIP_COLUMNS = ("indicator", "area", "period", "category")
TOP_KEYS = {
    "format", "version", "name", "description", "encoding", "delimiter", "header_row",
    "data_row", "layout", "columns", "value_columns", "periods", "numbers", "markers",
    "flags", "defaults", "areas", "categories", "indicators", "skip", "split_column",
    "header_rows",
}  # fmt: skip
# Levels of objects and lists a profile may nest (it needs 4: {"skip": [{"equals": [...]}]}).
MAX_NESTING = 20
# What a flag after a number (or after a marker: Eurostat's ": c") can say.
FLAG_MEANINGS = (*VALUE_STATUSES, NOT_AVAILABLE, SUPPRESSED)


class ProfileError(ValueError):
    """A profile that does not follow the format: `problems` lists every mistake."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class SkipRule:
    column: str
    equals: frozenset[str] = frozenset()
    pattern: Pattern | None = None

    def matches(self, label: str) -> bool:
        return label in self.equals or bool(self.pattern and self.pattern.search(label))


@dataclass(frozen=True)
class SplitColumn:
    """One file column that packs several dimensions, as Eurostat's first column does:
    `A,UA,RS` under the header `freq,citizen,geo\\TIME_PERIOD`."""

    position: int  # 1-based, in the file as published
    by: str
    into: tuple[str, ...]  # the parts' names, which `columns` and `skip` use


@dataclass(frozen=True)
class Profile:
    name: str
    description: str = ""
    encoding: str | None = None  # a Python codec, None: detected
    delimiter: str | None = None  # None: detected
    header_row: int | None = 1  # 1-based; None: no header, columns by position
    header_rows: int = 1  # 2: a row of periods (spanning groups) above a row of categories
    data_row: int | None = None  # 1-based first data row; None: the row after the header
    layout: str = "long"
    # role -> header name (str) or position (int)
    columns: dict[str, str | int] = field(default_factory=dict)
    value_columns: Pattern | None = None  # wide: header cells that hold values
    date_means: str = "day"
    decimal: str = "."
    thousands: str = ""
    multiplier: Decimal = Decimal(1)
    markers: dict[str, str] = field(default_factory=dict)  # text -> skip/not_available/suppressed
    flags: dict[str, str] = field(default_factory=dict)  # letter after a number -> status
    defaults: dict[str, str] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)  # label (as written) -> code or "skip"
    categories: dict[str, str] = field(default_factory=dict)
    indicators: dict[str, str] = field(default_factory=dict)
    skip: tuple[SkipRule, ...] = ()
    split_column: SplitColumn | None = None
    # The profile as written (parsed JSON, before any check): what is saved and exported.
    definition: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_wide(self) -> bool:
        return self.layout == "wide"


def _text_map(
    value: Any, key: str, problems: list[str], allowed: Sequence[str] | None = None
) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        problems.append(_("“%(key)s” must be an object of texts.") % {"key": key})
        return {}
    if allowed is not None:
        for label, meaning in value.items():
            if meaning not in allowed:
                problems.append(
                    _("“%(key)s”: “%(label)s” means “%(meaning)s”; use one of %(allowed)s.")
                    % {
                        "key": key,
                        "label": label,
                        "meaning": meaning,
                        "allowed": ", ".join(allowed),
                    }
                )
    return dict(value)


def _pattern(text: Any, key: str, problems: list[str]) -> Pattern | None:
    try:
        return compile_pattern(text)
    except PatternError as error:
        problems.append(
            _("“%(key)s” is not a valid regular expression (%(error)s).")
            % {"key": key, "error": error}
        )
        return None


def _columns(
    value: Any, header: bool, problems: list[str], roles: Sequence[str]
) -> dict[str, str | int]:
    if not isinstance(value, dict):
        problems.append(_("“columns” must be an object: role -> column."))
        return {}
    columns: dict[str, str | int] = {}
    for role, where in value.items():
        if role not in roles:
            problems.append(
                _("“columns”: unknown role “%(role)s”; use %(roles)s.")
                % {"role": role, "roles": ", ".join(roles)}
            )
        elif isinstance(where, bool) or not isinstance(where, int | str):
            problems.append(
                _("“columns.%(role)s” must be a header name or a column number (1 = first).")
                % {"role": role}
            )
        elif isinstance(where, int) and where < 1:
            problems.append(_("“columns.%(role)s”: column numbers start at 1.") % {"role": role})
        elif isinstance(where, str) and not header:
            problems.append(
                _(
                    "“columns.%(role)s” names a header cell, but the profile says the file "
                    "has no header (“header_row”: null): give the column number."
                )
                % {"role": role}
            )
        else:
            columns[role] = where.strip() if isinstance(where, str) else where
    return columns


def _split_column(value: Any, problems: list[str]) -> SplitColumn | None:
    if value is None:
        return None
    message = _(
        '“split_column” must be an object: {"column": 1, "by": ",", "into": '
        '["freq", "citizen", "geo"]} (the column\'s number, the character between '
        "its parts, and a name for each part)."
    )
    if not isinstance(value, dict) or set(value) - {"column", "by", "into"}:
        problems.append(message)
        return None
    position, by, into = value.get("column", 1), value.get("by"), value.get("into")
    if (
        isinstance(position, bool)
        or not isinstance(position, int)
        or position < 1
        or not isinstance(by, str)
        or len(by) != 1
        or not isinstance(into, list)
        or len(into) < 2
        or not all(isinstance(name, str) and name.strip() for name in into)
    ):
        problems.append(message)
        return None
    names = tuple(name.strip() for name in into)
    if len({name.casefold() for name in names}) != len(names):
        problems.append(_("“split_column.into”: each part needs its own name."))
        return None
    return SplitColumn(position, by, names)


def parse_profile(definition: dict | str | bytes) -> Profile:
    """A Profile from `definition` (a dict, or JSON text); ProfileError listing every problem.

    Each section of the format is read by a function of its own, in the order the problems
    are listed: the profile's identity, the text file, the rows, the layout and columns, the
    defaults and what must be somewhere, periods, numbers, labels, skip rules."""
    definition = _profile_object(definition)
    problems: list[str] = []
    name = _identity(definition, problems)
    encoding, delimiter = _text_file(definition, problems)
    header_row, header_rows, data_row = _rows(definition, problems)
    header = header_row is not None
    split_column = _split_column(definition.get("split_column"), problems)
    layout, columns, value_columns = _layout(definition, header, problems)
    defaults = _defaults(definition, problems)
    _required_places(definition, columns, defaults, layout, value_columns, problems)
    date_means = _periods(definition, problems)
    decimal, thousands, multiplier = _numbers(definition, delimiter, problems)
    markers = _text_map(definition.get("markers"), "markers", problems, MARKER_MEANINGS)
    flags = _text_map(definition.get("flags"), "flags", problems, FLAG_MEANINGS)
    areas = _text_map(definition.get("areas"), "areas", problems)
    categories = _text_map(definition.get("categories"), "categories", problems)
    indicators = _text_map(definition.get("indicators"), "indicators", problems)
    skip = _skip_rules(definition.get("skip", []), problems)
    description = definition.get("description", "")
    if problems:
        raise ProfileError(problems)
    return Profile(
        name=name.strip(),
        description=description if isinstance(description, str) else "",
        encoding=ENCODINGS[encoding],
        delimiter=DELIMITERS[delimiter],
        header_row=header_row,
        data_row=data_row,
        layout=layout,
        columns=columns,
        value_columns=value_columns,
        date_means=date_means,
        decimal=decimal,
        thousands=thousands,
        multiplier=multiplier,
        markers={key.strip(): meaning for key, meaning in markers.items()},
        flags=flags,
        defaults=defaults,
        areas=areas,
        categories=categories,
        indicators=indicators,
        skip=skip,
        split_column=split_column,
        header_rows=header_rows,
        definition=definition,
    )


def too_deep_message() -> str:
    return _(
        "The profile nests objects and lists more than %(limit)d levels deep; a profile "
        "needs at most 4."
    ) % {"limit": MAX_NESTING}


def nesting_problem(value: Any) -> str:
    """Why `value` (parsed JSON) is nested too deeply to be a profile, or "" when it is not.
    Found without recursion, so any depth is measured safely."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_NESTING:
            return too_deep_message()
        if isinstance(item, dict):
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
    return ""


def load_definition(text: str | bytes) -> Any:
    """JSON text decoded (not yet checked as a profile); ProfileError when it is not JSON or
    is nested too deeply (json.loads itself fails on a few thousand levels)."""
    try:
        definition = json.loads(text)
    except RecursionError:
        raise ProfileError([too_deep_message()]) from None
    except ValueError as error:
        message = _("The profile is not valid JSON: %(error)s.") % {"error": error}
        raise ProfileError([message]) from None
    problem = nesting_problem(definition)
    if problem:
        raise ProfileError([problem])
    return definition


def _profile_object(definition: Any) -> dict:
    """The definition as a dict (decoded from JSON text); ProfileError if it is none."""
    if isinstance(definition, bytes | str):
        definition = load_definition(definition)
    else:
        problem = nesting_problem(definition)
        if problem:
            raise ProfileError([problem])
    if not isinstance(definition, dict):
        raise ProfileError([_("A profile is a JSON object.")])
    return definition


def _identity(definition: dict, problems: list[str]) -> str:
    """The format and version, no unknown keys; the profile's name ("" when missing)."""
    if definition.get("format") != FORMAT:
        problems.append(_("“format” must be “%(format)s”.") % {"format": FORMAT})
    if definition.get("version") != VERSION:
        problems.append(
            _("“version” must be %(version)d (the version this site reads).") % {"version": VERSION}
        )
    unknown = sorted(set(definition) - TOP_KEYS)
    if unknown:
        problems.append(_("Unknown key(s): %(keys)s.") % {"keys": ", ".join(unknown)})
    name = definition.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(_("“name” is required (a text)."))
        name = ""
    return name


def _text_file(definition: dict, problems: list[str]) -> tuple[str, Any]:
    """(encoding, delimiter) as the profile writes them (keys of ENCODINGS, DELIMITERS)."""
    encoding = str(definition.get("encoding", "auto")).lower()
    if encoding not in ENCODINGS:
        problems.append(
            _("“encoding” must be one of %(allowed)s.") % {"allowed": ", ".join(ENCODINGS)}
        )
    delimiter = definition.get("delimiter", "auto")
    if delimiter not in DELIMITERS:
        problems.append(_("“delimiter” must be “auto”, “,”, “;” or “tab”."))
    return encoding, delimiter


def _rows(definition: dict, problems: list[str]) -> tuple[Any, int, Any]:
    """(header_row, header_rows, data_row): where the header and the data are."""
    header_row = definition.get("header_row", 1)
    header = header_row is not None
    if header and (isinstance(header_row, bool) or not isinstance(header_row, int)):
        problems.append(_("“header_row” must be a row number (1 = first) or null (no header)."))
    elif header and header_row < 1:
        problems.append(_("“header_row”: rows are numbered from 1."))
    header_rows = definition.get("header_rows", 1)
    if header_rows not in (1, 2) or isinstance(header_rows, bool):
        problems.append(_("“header_rows” must be 1 or 2."))
        header_rows = 1
    elif header_rows == 2 and not header:
        problems.append(_("“header_rows”: 2 needs a “header_row” (the first of the two)."))
    data_row = definition.get("data_row")
    last_header = header_row + header_rows - 1 if header and isinstance(header_row, int) else 0
    if data_row is not None and (not isinstance(data_row, int) or data_row < 1):
        problems.append(_("“data_row” must be a row number (1 = first)."))
    elif data_row is not None and data_row <= last_header:
        problems.append(_("“data_row” must come after the header row(s)."))
    return header_row, header_rows, data_row


def _layout(
    definition: dict, header: bool, problems: list[str]
) -> tuple[Any, dict, Pattern | None]:
    """(layout, columns, value_columns): long or wide, the columns' roles, and in a wide
    table the pattern of the value columns' header cells."""
    layout = definition.get("layout", "long")
    if layout not in ("long", "wide"):
        problems.append(_("“layout” must be “long” or “wide”."))
    wide = layout == "wide"
    columns = _columns(
        definition.get("columns", {}), header, problems, WIDE_ROLES if wide else ROLES
    )
    value_columns = None
    if wide:
        text = definition.get("value_columns")
        if not header:
            problems.append(_("A wide profile needs a header row: its headers name the periods."))
        if not isinstance(text, str):
            problems.append(
                _(
                    "A wide profile needs “value_columns”: a regular expression that the "
                    "header cells of value columns match, with a named group (?P<period>...) "
                    "and optionally (?P<category>...)."
                )
            )
        else:
            value_columns = _pattern(text, "value_columns", problems)
            if value_columns is not None and "period" not in value_columns.groupindex:
                if "period" not in columns and "period" not in definition.get("defaults", {}):
                    problems.append(
                        _("“value_columns” needs a named group (?P<period>...) for the period.")
                    )
    elif "value" not in columns:
        problems.append(_("“columns.value” is required in a long profile."))
    return layout, columns, value_columns


def _defaults(definition: dict, problems: list[str]) -> dict:
    """The values every row takes when the file does not give them."""
    defaults = definition.get("defaults", {})
    if not isinstance(defaults, dict):
        problems.append(_("“defaults” must be an object."))
        defaults = {}
    for key in set(defaults) - {"indicator", "source", "status", "category", "period"}:
        problems.append(_("“defaults”: unknown key “%(key)s”.") % {"key": key})
    if defaults.get("status", "as_published") not in VALUE_STATUSES:
        problems.append(
            _("“defaults.status” must be one of %(allowed)s (markers give the other two).")
            % {"allowed": ", ".join(VALUE_STATUSES)}
        )
    return defaults


def _required_places(
    definition: dict,
    columns: dict,
    defaults: dict,
    layout: Any,
    value_columns: Pattern | None,
    problems: list[str],
) -> None:
    """The period, the indicator and the area each come from somewhere: a column, a
    default or (the period of a wide table) the value columns' headers."""
    has_period = "period" in columns or "period" in defaults
    if layout == "wide" and value_columns is not None:
        has_period = has_period or "period" in value_columns.groupindex
    if not has_period:
        problems.append(_("Say where the period is: “columns.period” or “defaults.period”."))
    if "month" in columns and "period" not in columns:
        problems.append(_("“columns.month” needs “columns.period” (the year)."))
    written = definition.get("columns")
    if not isinstance(written, dict):
        written = {}
    for role in ("indicator", "area"):
        if role not in written and role not in defaults:
            if role == "area":
                problems.append(_("“columns.area” is required."))
            else:
                problems.append(
                    _("Say where the indicator is: “columns.indicator” or “defaults.indicator”.")
                )


def _periods(definition: dict, problems: list[str]) -> Any:
    """What a date in a period cell stands for (a day, or its month, quarter or year)."""
    periods = definition.get("periods", {})
    date_means = periods.get("dates", "day") if isinstance(periods, dict) else None
    if date_means not in DATE_MEANINGS:
        problems.append(
            _("“periods.dates” must be one of %(allowed)s.") % {"allowed": ", ".join(DATE_MEANINGS)}
        )
    return date_means


def _numbers(definition: dict, delimiter: Any, problems: list[str]) -> tuple[Any, Any, Decimal]:
    """(decimal sign, thousands separator, multiplier) of the file's numbers; a semicolon
    delimiter means a decimal comma unless the profile says otherwise."""
    numbers = definition.get("numbers", {})
    if not isinstance(numbers, dict):
        problems.append(_("“numbers” must be an object."))
        numbers = {}
    default_decimal = "," if delimiter == ";" else "."
    decimal = numbers.get("decimal", default_decimal)
    thousands = numbers.get("thousands", "")
    if decimal not in (".", ","):
        problems.append(_("“numbers.decimal” must be “.” or “,”."))
    if thousands not in THOUSANDS or thousands == decimal:
        problems.append(
            _(
                "“numbers.thousands” must be one of “”, “,”, “.”, “ ”, “'” and differ from "
                "the decimal sign."
            )
        )
    try:
        multiplier = Decimal(str(numbers.get("multiplier", 1)))
        if not multiplier.is_finite() or multiplier <= 0:
            raise InvalidOperation
    except InvalidOperation:
        problems.append(_("“numbers.multiplier” must be a positive number, e.g. 1000."))
        multiplier = Decimal(1)
    return decimal, thousands, multiplier


def _skip_rules(rules: Any, problems: list[str]) -> tuple[SkipRule, ...]:
    """The rules that skip a row by the text of one of its key cells."""
    skip = []
    if not isinstance(rules, list):
        problems.append(_("“skip” must be a list of rules."))
        rules = []
    for number, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict) or rule.get("column") not in SKIP_COLUMNS:
            problems.append(
                _("“skip” rule %(number)d needs “column”: one of %(allowed)s.")
                % {"number": number, "allowed": ", ".join(SKIP_COLUMNS)}
            )
            continue
        equals = rule.get("equals", [])
        if not isinstance(equals, list) or not all(isinstance(item, str) for item in equals):
            problems.append(
                _("“skip” rule %(number)d: “equals” must be a list of texts.") % {"number": number}
            )
            equals = []
        pattern = None
        if "matches" in rule:
            pattern = _pattern(rule["matches"], f"skip[{number}].matches", problems)
        if not equals and pattern is None:
            problems.append(
                _("“skip” rule %(number)d needs “equals” or “matches”.") % {"number": number}
            )
        skip.append(SkipRule(rule["column"], frozenset(item.strip() for item in equals), pattern))
    return tuple(skip)
