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
from django.utils.translation import gettext_lazy

from formatting.display import format_number

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
# Role names a rule's `column` may give (the role's label, as the file writes it).
RULE_ROLES = ("indicator", "area", "period", "category")
TOP_KEYS = {
    "format", "version", "name", "description", "encoding", "delimiter", "header_row",
    "data_row", "layout", "columns", "value_columns", "periods", "numbers", "markers",
    "flags", "defaults", "areas", "categories", "indicators", "skip", "split_column",
    "header_rows", "measures", "keep", "unknown_areas",
}  # fmt: skip
MEASURE_KEYS = {
    "value", "value_columns", "indicator", "area", "category", "status", "multiplier", "keep",
    "unit",
}  # fmt: skip
RULE_KEYS = {"column", "equals", "in", "matches", "whole", "ignore_case"}
RULE_TESTS = ("equals", "in", "matches")
NUMBER_KEYS = {"decimal", "thousands", "multiplier"}
PERIOD_KEYS = {"dates"}
DEFAULT_KEYS = {"indicator", "source", "status", "category", "period"}
UNKNOWN_AREAS = ("error", "skip")
# The named groups a value_columns pattern may have.
GROUPS = ("period", "category")
# Between the parts of a category read from several columns, and for an empty part.
CATEGORY_JOIN = " · "
EMPTY_PART = "–"
MAX_CATEGORY = 200
# The words of the admin's profile builder (statistics/profiles/builder.py), which profile
# errors speak, the JSON key following in brackets for people who edit the JSON.
ROLE_WORDS = {
    "area": gettext_lazy("Area (country or region)"),
    "indicator": gettext_lazy("Indicator"),
    "period": gettext_lazy("Period (or year)"),
    "month": gettext_lazy("Month name (with the year above)"),
    "category": gettext_lazy("Category"),
    "value": gettext_lazy("Value (long layout)"),
    "note": gettext_lazy("Note"),
}
WORDS = {
    "header_row": gettext_lazy("Header row"),
    "layout": gettext_lazy("Layout"),
    "value_columns": gettext_lazy("Value columns (wide)"),
    "defaults.indicator": gettext_lazy("Indicator code for every row"),
    "defaults.source": gettext_lazy("Source code for every row"),
    "defaults.category": gettext_lazy("Category for every row"),
    "defaults.status": gettext_lazy("Status for every row"),
    "areas": gettext_lazy("Area names of this source"),
    "measures": gettext_lazy("Measures"),
    "keep": gettext_lazy("Keep only rows where"),
    "skip": gettext_lazy("Skip rows where"),
    "unknown_areas": gettext_lazy("Only areas we know"),
    "markers": gettext_lazy("Markers"),
}
# Levels of objects and lists a profile may nest (it needs 6: a measure's keep rule's list,
# {"measures": [{"keep": [{"in": [...]}]}]}).
MAX_NESTING = 20
# Measures a profile may have: each is read for every row of the file, so thousands of them
# would keep a worker busy for minutes before the observation bound refuses the file.
MAX_MEASURES = 100
# What a flag after a number (or after a marker: Eurostat's ": c") can say.
FLAG_MEANINGS = (*VALUE_STATUSES, NOT_AVAILABLE, SUPPRESSED)


class ProfileError(ValueError):
    """A profile that does not follow the format: `problems` lists every mistake."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


Column = str | int  # a header name as the file writes it, or a 1-based column number


@dataclass(frozen=True)
class Rule:
    """A test of one cell (or one role's label): `equals`/`in` compare the whole trimmed text,
    `matches` searches the text for the pattern (`whole`: the whole text must match); case
    counts unless `ignore_case`."""

    column: Column
    equals: frozenset[str] = frozenset()  # casefolded when ignore_case
    pattern: Pattern | None = None  # compiled with (?i) when ignore_case
    whole: bool = False
    ignore_case: bool = False
    shown: str = ""  # the rule as the builder writes it: "coa_iso = ALB, BIH", "x ~ ^Unk"

    def holds(self, label: str) -> bool:
        if self.pattern is not None:
            found = self.pattern.fullmatch(label) if self.whole else self.pattern.search(label)
            return found is not None
        return (label.casefold() if self.ignore_case else label) in self.equals


@dataclass(frozen=True)
class Measure:
    """One value column (long) or one set of value columns (wide, `value_columns`) read as
    one indicator; what it does not give comes from `columns` and `defaults`."""

    indicator: str
    value: Column | None = None
    value_columns: Pattern | None = None
    area: Column | None = None
    category: tuple[Column, ...] | None = None
    status: str | None = None
    multiplier: Decimal | None = None
    keep: tuple[Rule, ...] = ()
    unit: str = ""

    @property
    def shown(self) -> str:
        """The measure as the builder's “Measures” lines write it: `value column = code`."""
        value = self.value if self.value is not None else getattr(self.value_columns, "pattern", "")
        return f"{value} = {self.indicator}"


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
    # role -> header name (str) or position (int); "category" may be a tuple of them
    columns: dict[str, Any] = field(default_factory=dict)
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
    skip: tuple[Rule, ...] = ()
    keep: tuple[Rule, ...] = ()
    measures: tuple[Measure, ...] = ()
    unknown_areas: str = "error"  # "skip": labels that resolve to no area skip the value
    split_column: SplitColumn | None = None
    # The profile as written (parsed JSON, before any check): what is saved and exported.
    definition: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_wide(self) -> bool:
        return self.layout == "wide"

    @property
    def category_columns(self) -> tuple[Column, ...]:
        """The columns `columns.category` names (one, several, or none)."""
        where = self.columns.get("category")
        if where is None:
            return ()
        return tuple(where) if isinstance(where, tuple) else (where,)


def _text_map(
    value: Any, key: str, problems: list[str], allowed: Sequence[str] | None = None
) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        problems.append(_("“%(key)s” must be an object of texts.") % {"key": key} + _in(key))
        return {}
    if allowed is not None:
        for label, meaning in value.items():
            if meaning not in allowed:
                problems.append(
                    _("“%(key)s”: “%(label)s” means “%(meaning)s”; use one of %(allowed)s.")
                    % {
                        "key": WORDS.get(key, key),
                        "label": label,
                        "meaning": meaning,
                        "allowed": ", ".join(allowed),
                    }
                    + _in(key)
                )
    return dict(value)


def _in(key: str) -> str:
    """The JSON key after a message in the builder's words, for people who edit the JSON."""
    return f" [{key}]"


def _pattern(text: Any, key: str, problems: list[str], words: str = "") -> Pattern | None:
    try:
        return compile_pattern(text)
    except PatternError as error:
        problems.append(
            _("%(what)s is not a valid regular expression (%(error)s).")
            % {"what": words or f"“{key}”", "error": error}
            + _in(key)
        )
        return None


def _groups(pattern: Pattern, key: str, problems: list[str], allowed: Sequence[str]) -> None:
    """Named groups other than `allowed` are a mistake (a typo, or a group that does nothing)."""
    unknown = sorted(set(pattern.groupindex) - set(allowed))
    if unknown:
        if allowed:
            message = _(
                "The regular expression names the group(s) %(groups)s, which are not used: "
                "name only (?P<period>...) and (?P<category>...)."
            )
        else:
            message = _(
                "The regular expression names the group(s) %(groups)s, which are not used "
                "here: write (...) or (?:...) instead."
            )
        problems.append(message % {"groups": ", ".join(unknown)} + _in(key))


def _reference(where: Any, key: str, words: str, header: bool, problems: list[str]) -> Any:
    """A column as a profile names it: a header cell's text (stripped) or a 1-based number;
    None (and a problem) when it is neither."""
    if isinstance(where, bool) or not isinstance(where, int | str) or where == "":
        problems.append(
            _("%(what)s: give a header name or a column number (1 = first).") % {"what": words}
            + _in(key)
        )
        return None
    if isinstance(where, int) and where < 1:
        problems.append(_("%(what)s: column numbers start at 1.") % {"what": words} + _in(key))
        return None
    if isinstance(where, str) and not where.strip():
        problems.append(
            _("%(what)s: give a header name or a column number (1 = first).") % {"what": words}
            + _in(key)
        )
        return None
    if isinstance(where, str) and not header:
        problems.append(
            _(
                "%(what)s names a header cell, but the file has no header row (“Header row” "
                "0): give the column number."
            )
            % {"what": words}
            + _in(key)
        )
        return None
    return where.strip() if isinstance(where, str) else where


def _references(
    value: Any, key: str, words: str, header: bool, problems: list[str]
) -> tuple[Column, ...] | None:
    """One column or a non-empty list of them (a category read from several columns)."""
    if isinstance(value, list):
        if not value:
            problems.append(_("%(what)s: list at least one column.") % {"what": words} + _in(key))
            return None
        found = [
            _reference(item, f"{key}[{number}]", words, header, problems)
            for number, item in enumerate(value, start=1)
        ]
        if any(item is None for item in found):
            return None
        return tuple(found)
    found_one = _reference(value, key, words, header, problems)
    return None if found_one is None else (found_one,)


def _role_words(role: str) -> str:
    return _("The column for “%(role)s”") % {"role": ROLE_WORDS.get(role, role)}


def _columns(value: Any, header: bool, problems: list[str], roles: Sequence[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        problems.append(
            _("Choose a column for each role: an object role -> column.") + _in("columns")
        )
        return {}
    columns: dict[str, Any] = {}
    for role, where in value.items():
        if role not in roles:
            problems.append(
                _("Unknown column role “%(role)s”; the roles are %(roles)s.")
                % {"role": role, "roles": ", ".join(roles)}
                + _in(f"columns.{role}")
            )
            continue
        words = _role_words(role)
        if role == "category" and isinstance(where, list):
            found = _references(where, f"columns.{role}", words, header, problems)
            if found is not None:
                columns[role] = found if len(found) > 1 else found[0]
            continue
        found_one = _reference(where, f"columns.{role}", words, header, problems)
        if found_one is not None:
            columns[role] = found_one
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
    measures, the defaults and what must be somewhere, periods, numbers, labels, rules."""
    definition = _profile_object(definition)
    problems: list[str] = []
    name = _identity(definition, problems)
    encoding, delimiter = _text_file(definition, problems)
    header_row, header_rows, data_row = _rows(definition, problems)
    header = header_row is not None
    split_column = _split_column(definition.get("split_column"), problems)
    layout, columns, value_columns = _layout(definition, header, problems)
    measures = _measures(definition, layout, header, problems)
    defaults = _defaults(definition, problems)
    _required_places(definition, columns, defaults, layout, value_columns, measures, problems)
    date_means = _periods(definition, problems)
    decimal, thousands, multiplier = _numbers(definition, delimiter, problems)
    markers = _text_map(definition.get("markers"), "markers", problems, MARKER_MEANINGS)
    flags = _text_map(definition.get("flags"), "flags", problems, FLAG_MEANINGS)
    areas = _text_map(definition.get("areas"), "areas", problems)
    categories = _text_map(definition.get("categories"), "categories", problems)
    indicators = _text_map(definition.get("indicators"), "indicators", problems)
    skip = _rules(definition.get("skip", []), "skip", header, problems)
    keep = _rules(definition.get("keep", []), "keep", header, problems)
    unknown_areas = definition.get("unknown_areas", "error")
    if unknown_areas not in UNKNOWN_AREAS:
        problems.append(
            _("“Only areas we know” is “skip” (on) or “error” (off, the default).")
            + _in("unknown_areas")
        )
        unknown_areas = "error"
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
        keep=keep,
        measures=measures,
        unknown_areas=unknown_areas,
        split_column=split_column,
        header_rows=header_rows,
        definition=definition,
    )


def too_deep_message() -> str:
    return _(
        "The profile nests objects and lists more than %(limit)d levels deep; a profile "
        "needs at most 6."
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
        problems.append(_("“format” must be “%(format)s”.") % {"format": FORMAT} + _in("format"))
    if definition.get("version") != VERSION:
        problems.append(
            _("“version” must be %(version)d (the version this site reads).") % {"version": VERSION}
        )
    unknown = sorted(set(definition) - TOP_KEYS)
    if unknown:
        problems.append(
            _("Unknown key(s): %(keys)s; a profile has %(known)s.")
            % {"keys": ", ".join(map(str, unknown)), "known": ", ".join(sorted(TOP_KEYS))}
        )
    name = definition.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(_("“Profile name” is required (a text).") + _in("name"))
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
        problems.append(
            _("The “Header row” is a row number (1 = first), or null: no header.")
            + _in("header_row")
        )
    elif header and header_row < 1:
        problems.append(_("“Header row”: rows are numbered from 1.") + _in("header_row"))
    header_rows = definition.get("header_rows", 1)
    if header_rows not in (1, 2) or isinstance(header_rows, bool):
        problems.append(_("“Header rows” is 1 or 2.") + _in("header_rows"))
        header_rows = 1
    elif header_rows == 2 and not header:
        problems.append(
            _("Two “Header rows” need a “Header row” (the first of the two).") + _in("header_rows")
        )
    data_row = definition.get("data_row")
    last_header = header_row + header_rows - 1 if header and isinstance(header_row, int) else 0
    if data_row is not None and (not isinstance(data_row, int) or data_row < 1):
        problems.append(_("The first data row is a row number (1 = first).") + _in("data_row"))
    elif data_row is not None and data_row <= last_header:
        problems.append(_("The first data row comes after the header row(s).") + _in("data_row"))
    return header_row, header_rows, data_row


def _layout(
    definition: dict, header: bool, problems: list[str]
) -> tuple[Any, dict, Pattern | None]:
    """(layout, columns, value_columns): long or wide, the columns' roles, and in a wide
    table the pattern of the value columns' header cells."""
    layout = definition.get("layout", "long")
    if layout not in ("long", "wide"):
        problems.append(_("“Layout” is “long” or “wide”.") + _in("layout"))
    wide = layout == "wide"
    columns = _columns(
        definition.get("columns", {}), header, problems, WIDE_ROLES if wide else ROLES
    )
    measures = definition.get("measures")
    value_columns = None
    text = definition.get("value_columns")
    if wide and not header:
        problems.append(
            _("A wide table needs a “Header row”: its header cells name the periods.")
            + _in("header_row")
        )
    if not wide and text is not None:
        problems.append(
            _("“Value columns (wide)” are read in the wide layout only; remove them.")
            + _in("value_columns")
        )
    elif wide and measures is not None and text is not None:
        problems.append(
            _(
                "With “Measures”, each measure names its own value columns: remove the "
                "profile's “Value columns (wide)”."
            )
            + _in("value_columns")
        )
    elif wide and measures is None:
        if not isinstance(text, str):
            problems.append(
                _(
                    "A wide table needs “Value columns (wide)”: a regular expression that the "
                    "header cells of value columns match, with a named group (?P<period>...) "
                    "and optionally (?P<category>...); or list value columns under “Measures”."
                )
                + _in("value_columns")
            )
        else:
            value_columns = _pattern(text, "value_columns", problems, _("“Value columns (wide)”"))
            if value_columns is not None:
                _groups(value_columns, "value_columns", problems, GROUPS)
    if not wide and measures is None and "value" not in columns:
        problems.append(
            _(
                "Choose the column that holds the values (“Value (long layout)”), or list "
                "value columns under “Measures”."
            )
            + _in("columns.value")
        )
    if measures is not None and "value" in columns:
        problems.append(
            _(
                "With “Measures”, each measure names its value column: the column for "
                "“Value (long layout)” is not used; remove it."
            )
            + _in("columns.value")
        )
    return layout, columns, value_columns


def _status(value: Any, key: str, problems: list[str]) -> str | None:
    if value is None:
        return None
    if value not in VALUE_STATUSES:
        problems.append(
            _("“Status for every row” is one of %(allowed)s (markers give the other two).")
            % {"allowed": ", ".join(VALUE_STATUSES)}
            + _in(key)
        )
        return None
    return str(value)


def _multiplier(value: Any, key: str, problems: list[str]) -> Decimal:
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        multiplier = Decimal(str(value))
        if not multiplier.is_finite() or multiplier <= 0:
            raise InvalidOperation
    except InvalidOperation:
        problems.append(_("The multiplier is a positive number, e.g. 1000.") + _in(key))
        multiplier = Decimal(1)
    return multiplier


def _measures(
    definition: dict, layout: Any, header: bool, problems: list[str]
) -> tuple[Measure, ...]:
    """The value columns read as indicators of their own (“Measures”)."""
    written = definition.get("measures")
    if written is None:
        return ()
    if not isinstance(written, list) or not written:
        problems.append(
            _("“Measures” is a list of measures, each a value column and its indicator code.")
            + _in("measures")
        )
        return ()
    if len(written) > MAX_MEASURES:
        problems.append(
            _("“Measures” lists %(count)s measures; a profile has at most %(limit)d.")
            % {"count": format_number(len(written)), "limit": MAX_MEASURES}
            + _in("measures")
        )
        return ()
    wide = layout == "wide"
    measures = []
    for number, item in enumerate(written, start=1):
        key = f"measures[{number}]"
        if not isinstance(item, dict):
            problems.append(
                _("Measure %(number)d is an object: value column and indicator code.")
                % {"number": number}
                + _in(key)
            )
            continue
        words = _("Measure %(number)d") % {"number": number}
        before = len(problems)
        for unknown in sorted(set(item) - MEASURE_KEYS, key=str):
            problems.append(
                _("%(measure)s: unknown key “%(key)s”; a measure has %(keys)s.")
                % {"measure": words, "key": unknown, "keys": ", ".join(sorted(MEASURE_KEYS))}
                + _in(f"{key}.{unknown}")
            )
        indicator = item.get("indicator")
        if not isinstance(indicator, str) or not indicator.strip():
            problems.append(
                _("%(measure)s needs its indicator code (“value column = indicator code”).")
                % {"measure": words}
                + _in(f"{key}.indicator")
            )
            indicator = ""
        value, value_columns = None, None
        if wide:
            if "value" in item:
                problems.append(
                    _(
                        "%(measure)s: in the wide layout a measure gives its value columns "
                        "(a regular expression), not one value column."
                    )
                    % {"measure": words}
                    + _in(f"{key}.value")
                )
            text = item.get("value_columns")
            if not isinstance(text, str):
                problems.append(
                    _(
                        "%(measure)s needs its value columns: a regular expression the header "
                        "cells of its value columns match, with (?P<period>...)."
                    )
                    % {"measure": words}
                    + _in(f"{key}.value_columns")
                )
            else:
                value_columns = _pattern(text, f"{key}.value_columns", problems, words)
                if value_columns is not None:
                    _groups(value_columns, f"{key}.value_columns", problems, GROUPS)
        else:
            if "value_columns" in item:
                problems.append(
                    _(
                        "%(measure)s: value columns (a regular expression) are read in the "
                        "wide layout only; give the value column."
                    )
                    % {"measure": words}
                    + _in(f"{key}.value_columns")
                )
            if "value" not in item:
                problems.append(
                    _("%(measure)s needs its value column (“value column = indicator code”).")
                    % {"measure": words}
                    + _in(f"{key}.value")
                )
            else:
                what = _("%(measure)s's value column") % {"measure": words}
                value = _reference(item["value"], f"{key}.value", what, header, problems)
        area = None
        if "area" in item:
            what = _("%(measure)s's column for “%(role)s”") % {
                "measure": words,
                "role": ROLE_WORDS["area"],
            }
            area = _reference(item["area"], f"{key}.area", what, header, problems)
        category = None
        if "category" in item:
            what = _("%(measure)s's column for “%(role)s”") % {
                "measure": words,
                "role": ROLE_WORDS["category"],
            }
            category = _references(item["category"], f"{key}.category", what, header, problems)
        status = _status(item.get("status"), f"{key}.status", problems)
        multiplier = None
        if "multiplier" in item:
            multiplier = _multiplier(item["multiplier"], f"{key}.multiplier", problems)
        unit = item.get("unit", "")
        if not isinstance(unit, str):
            problems.append(
                _("%(measure)s: the unit is a text, the indicator's unit (e.g. “people”).")
                % {"measure": words}
                + _in(f"{key}.unit")
            )
            unit = ""
        keep = _rules(item.get("keep", []), f"{key}.keep", header, problems)
        if len(problems) == before:
            measures.append(
                Measure(
                    indicator=indicator.strip(),
                    value=value,
                    value_columns=value_columns,
                    area=area,
                    category=category,
                    status=status,
                    multiplier=multiplier,
                    keep=keep,
                    unit=unit.strip(),
                )
            )
    return tuple(measures)


def _defaults(definition: dict, problems: list[str]) -> dict:
    """The values every row takes when the file does not give them."""
    defaults = definition.get("defaults", {})
    if not isinstance(defaults, dict):
        problems.append(_("The values for every row are an object.") + _in("defaults"))
        defaults = {}
    for key in sorted(set(defaults) - DEFAULT_KEYS, key=str):
        problems.append(
            _("Unknown value for every row “%(key)s”; they are %(keys)s.")
            % {"key": key, "keys": ", ".join(sorted(DEFAULT_KEYS))}
            + _in(f"defaults.{key}")
        )
    _status(defaults.get("status"), "defaults.status", problems)
    if "measures" in definition and "indicator" in defaults:
        problems.append(
            _(
                "With “Measures”, each measure gives its indicator code: the “Indicator code "
                "for every row” is not used; remove it."
            )
            + _in("defaults.indicator")
        )
    return defaults


def _required_places(
    definition: dict,
    columns: dict,
    defaults: dict,
    layout: Any,
    value_columns: Pattern | None,
    measures: tuple[Measure, ...],
    problems: list[str],
) -> None:
    """The period, the indicator and the area each come from somewhere: a column, a
    default, a measure or (the period of a wide table) the value columns' headers."""
    has_period = "period" in columns or "period" in defaults
    if layout == "wide":
        patterns = [value_columns] if value_columns is not None else []
        patterns += [m.value_columns for m in measures if m.value_columns is not None]
        if patterns and all("period" in pattern.groupindex for pattern in patterns):
            has_period = True
        elif not has_period and (value_columns is not None or measures):
            problems.append(
                _(
                    "Say where the period is: a group (?P<period>...) in “Value columns "
                    "(wide)”, the column for “Period (or year)”, or a period for every row."
                )
                + _in("value_columns")
            )
            has_period = True  # said once
    if not has_period:
        problems.append(
            _("Choose the column for “Period (or year)”, or give a period for every row.")
            + _in("columns.period")
        )
    if "month" in columns and "period" not in columns:
        problems.append(
            _(
                "The column for “Month name (with the year above)” needs the column for "
                "“Period (or year)” (the year)."
            )
            + _in("columns.month")
        )
    written = definition.get("columns")
    if not isinstance(written, dict):
        written = {}
    if "area" not in written and "area" not in defaults:
        if not measures or any(measure.area is None for measure in measures):
            problems.append(
                _("Choose the column for “Area (country or region)”.") + _in("columns.area")
            )
    if "indicator" not in written and "indicator" not in defaults and "measures" not in definition:
        problems.append(
            _(
                "Say where the indicator is: choose the column for “Indicator”, give the "
                "“Indicator code for every row”, or list value columns under “Measures”."
            )
            + _in("defaults.indicator")
        )
    if "measures" in definition and "indicator" in written:
        problems.append(
            _(
                "With “Measures”, each measure gives its indicator code: the column for "
                "“Indicator” is not used; remove it."
            )
            + _in("columns.indicator")
        )


def _periods(definition: dict, problems: list[str]) -> Any:
    """What a date in a period cell stands for (a day, or its month, quarter or year)."""
    periods = definition.get("periods", {})
    if isinstance(periods, dict):
        for key in sorted(set(periods) - PERIOD_KEYS, key=str):
            problems.append(_("Unknown key “%(key)s”.") % {"key": key} + _in(f"periods.{key}"))
    date_means = periods.get("dates", "day") if isinstance(periods, dict) else None
    if date_means not in DATE_MEANINGS:
        problems.append(
            _("“A date stands for” one of %(allowed)s.") % {"allowed": ", ".join(DATE_MEANINGS)}
            + _in("periods.dates")
        )
    return date_means


def _numbers(definition: dict, delimiter: Any, problems: list[str]) -> tuple[Any, Any, Decimal]:
    """(decimal sign, thousands separator, multiplier) of the file's numbers; a semicolon
    delimiter means a decimal comma unless the profile says otherwise."""
    numbers = definition.get("numbers", {})
    if not isinstance(numbers, dict):
        problems.append(_("The number format is an object.") + _in("numbers"))
        numbers = {}
    for key in sorted(set(numbers) - NUMBER_KEYS, key=str):
        problems.append(_("Unknown key “%(key)s”.") % {"key": key} + _in(f"numbers.{key}"))
    default_decimal = "," if delimiter == ";" else "."
    decimal = numbers.get("decimal", default_decimal)
    thousands = numbers.get("thousands", "")
    if decimal not in (".", ","):
        problems.append(_("The “Decimal sign” is “.” or “,”.") + _in("numbers.decimal"))
    if thousands not in THOUSANDS or thousands == decimal:
        problems.append(
            _(
                "The “Thousands separator” is one of “”, “,”, “.”, “ ”, “'” and differs from "
                "the decimal sign."
            )
            + _in("numbers.thousands")
        )
    multiplier = _multiplier(numbers.get("multiplier", 1), "numbers.multiplier", problems)
    return decimal, thousands, multiplier


# Values a rule's description lists before it says how many more there are.
SHOWN_VALUES = 10


def _rule_text(values: list[str]) -> str:
    """The values of a rule as the builder's lines write them, "ALB, BIH", cut short."""
    shown = ", ".join(values[:SHOWN_VALUES])
    if len(values) > SHOWN_VALUES:
        shown += " " + _("(and %(count)d more)") % {"count": len(values) - SHOWN_VALUES}
    return shown


def _rules(rules: Any, key: str, header: bool, problems: list[str]) -> tuple[Rule, ...]:
    """Rules that keep or skip a row (or, under a measure, its value) by one cell's text."""
    if key == "skip":
        words = str(WORDS["skip"])
    elif key == "keep":
        words = str(WORDS["keep"])
    else:
        words = _("%(measure)s's “Keep only rows where”") % {
            "measure": _("Measure %(number)s") % {"number": key.split("[")[1].split("]")[0]}
        }
    if not isinstance(rules, list):
        problems.append(_("“%(words)s” is a list of rules.") % {"words": words} + _in(key))
        return ()
    found = []
    for number, rule in enumerate(rules, start=1):
        where = f"{key}[{number}]"
        line = _("“%(words)s”, line %(number)d") % {"words": words, "number": number}
        if not isinstance(rule, dict):
            problems.append(
                _('%(line)s: a rule is an object: {"column": ..., "equals": ...}.') % {"line": line}
                + _in(where)
            )
            continue
        before = len(problems)
        for unknown in sorted(set(rule) - RULE_KEYS, key=str):
            problems.append(
                _("%(line)s: unknown key “%(key)s”; a rule has %(keys)s.")
                % {"line": line, "key": unknown, "keys": ", ".join(sorted(RULE_KEYS))}
                + _in(f"{where}.{unknown}")
            )
        column = rule.get("column")
        if isinstance(column, str) and column.strip() in RULE_ROLES:
            # A role's name, in lower case as `columns` writes it: the role's label (for a
            # measure, the measure's area or category); any other text is a header name.
            column = column.strip()
        elif "column" not in rule:
            problems.append(
                _(
                    "%(line)s needs its column: a header name, a column number or a role "
                    "(%(roles)s)."
                )
                % {"line": line, "roles": ", ".join(RULE_ROLES)}
                + _in(f"{where}.column")
            )
        else:
            column = _reference(column, f"{where}.column", line, header, problems)
        tests = [test for test in RULE_TESTS if test in rule]
        if len(tests) != 1:
            problems.append(
                _(
                    "%(line)s: give exactly one of “equals”, “in” (values) or “matches” (a "
                    "regular expression)."
                )
                % {"line": line}
                + _in(where)
            )
        flags = {}
        for flag in ("whole", "ignore_case"):
            flags[flag] = rule.get(flag, False)
            if not isinstance(flags[flag], bool):
                problems.append(
                    _("%(line)s: “%(flag)s” is true or false.") % {"line": line, "flag": flag}
                    + _in(f"{where}.{flag}")
                )
                flags[flag] = False
        ignore_case = flags["ignore_case"]
        equals: frozenset[str] = frozenset()
        pattern = None
        shown_values = ""
        if "whole" in rule and "matches" not in rule:
            problems.append(
                _(
                    "%(line)s: “whole” goes with “matches”; “equals” and “in” always compare "
                    "the whole cell."
                )
                % {"line": line}
                + _in(f"{where}.whole")
            )
        for test in ("equals", "in"):
            if test not in rule:
                continue
            values = rule[test]
            if test == "equals" and isinstance(values, str):
                values = [values]
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) for v in values)
            ):
                problems.append(
                    _("%(line)s: “%(test)s” is a list of texts%(or_text)s.")
                    % {
                        "line": line,
                        "test": test,
                        "or_text": _(" or a text") if test == "equals" else "",
                    }
                    + _in(f"{where}.{test}")
                )
                continue
            trimmed = [value.strip() for value in values]
            equals = frozenset(v.casefold() if ignore_case else v for v in trimmed)
            shown_values = "= " + _rule_text(trimmed)
        if "matches" in rule:
            text = rule["matches"]
            if isinstance(text, str) and ignore_case:
                text = f"(?i:{text})"
            pattern = _pattern(text, f"{where}.matches", problems, line)
            if pattern is not None:
                _groups(pattern, f"{where}.matches", problems, ())
            shown_values = f"~ {rule['matches']}"
        if len(problems) == before and column is not None:
            found.append(
                Rule(
                    column,
                    equals,
                    pattern,
                    whole=flags["whole"],
                    ignore_case=ignore_case,
                    shown=f"{column} {shown_values}",
                )
            )
    return tuple(found)
