"""The admin's guided profile builder: a file's first rows as read, a form to pick the
columns, markers and names, a preview of the observations (with every unmapped name and
unknown marker), and the profile saved for the next file from the same source."""

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import ObservationStatus
from .format import DATE_MEANINGS, FORMAT, MARKER_MEANINGS, VALUE_STATUSES, VERSION

ROLES = [
    ("area", _("Area (country or region)")),
    ("indicator", _("Indicator")),
    ("period", _("Period (or year)")),
    ("month", _("Month name (with the year above)")),
    ("category", _("Category")),
    ("value", _("Value (long layout)")),
    ("note", _("Note")),
]


# Roles that may be chosen for several columns (their cells make one category).
MULTIPLE_ROLES = ("category",)


def _pairs(text: str, field: str) -> dict[str, str]:
    """Lines "label = meaning" -> dict; ValidationError naming the first bad line."""
    pairs: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, sep, meaning = line.rpartition("=")
        if not sep or not meaning.strip():
            raise forms.ValidationError(
                gettext("Line %(number)d: write “label = %(what)s”.")
                % {"number": number, "what": field}
            )
        pairs[label.strip()] = meaning.strip()
    return pairs


def whole_number(text: str) -> int | None:
    """The number `text` writes in ASCII digits, None otherwise: "²" passes str.isdigit()
    but not int(), and int() refuses a number of over 4,300 digits (a ValueError, a 500)."""
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


def _column(text: str) -> str | int:
    """A column as the form's lines name it: its header name, or its number (1-based)."""
    text = text.strip()
    number = whole_number(text)
    return number if number else text


def _column_text(column: object) -> str:
    return str(column)


# A rule line: "column = value, value" (the whole cell is one of them), "column ~ regex" (the
# cell contains a match); "=*" and "~*" ignore case.
RULE_LINE = re.compile(r"^(?P<column>[^=~]*?)\s*(?P<op>=\*?|~\*?)\s*(?P<what>.*)$")


def parse_rule(text: str) -> dict[str, Any] | None:
    """A rule of the format (Contract A) from a line, or None if the line is not one."""
    match = RULE_LINE.match(text.strip())
    if not match or not match["column"].strip() or not match["what"].strip():
        return None
    rule: dict[str, Any] = {"column": _column(match["column"])}
    what = match["what"].strip()
    if match["op"].startswith("~"):
        try:
            re.compile(what)
        except re.error:
            return None
        rule["matches"] = what
    else:
        values = [value.strip() for value in what.split(",") if value.strip()]
        if not values:
            return None
        if len(values) == 1:
            rule["equals"] = values[0]
        else:
            rule["in"] = values
    if match["op"].endswith("*"):
        rule["ignore_case"] = True
    return rule


def rule_line(rule: dict[str, Any]) -> str | None:
    """The form's line for a saved rule, or None when the form cannot write it."""
    star = "*" if rule.get("ignore_case") else ""
    known = {"column", "equals", "in", "matches", "ignore_case"}
    if set(rule) - known or "column" not in rule or rule.get("whole"):
        return None
    column = _column_text(rule["column"])
    if "matches" in rule:
        return f"{column} ~{star} {rule['matches']}"
    values = rule.get("in", rule.get("equals"))
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or any("," in str(value) for value in values):
        return None
    return f"{column} ={star} {', '.join(str(value) for value in values)}"


def _rules(text: str, field: str) -> list[dict[str, Any]]:
    rules = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        rule = parse_rule(line)
        if rule is None:
            raise forms.ValidationError(
                gettext(
                    "%(field)s, line %(number)d: write “column = value, value” (the whole cell "
                    "is one of the values) or “column ~ regular expression” (the cell contains "
                    "a match); “=*” or “~*” to ignore case. The column is its name in the "
                    "header or its number."
                )
                % {"field": field, "number": number}
            )
        rules.append(rule)
    return rules


MEASURE_KEYS = ("area", "category", "unit", "status", "multiplier")


def measure_line(measure: dict[str, Any]) -> str | None:
    """The form's line for a saved measure, or None when the form cannot write it."""
    if set(measure) - {"value", "value_columns", "indicator", "keep", *MEASURE_KEYS}:
        return None
    head = measure.get("value", measure.get("value_columns"))
    if head is None or "indicator" not in measure:
        return None
    parts = [f"{_column_text(head)} = {measure['indicator']}"]
    for key in MEASURE_KEYS:
        if key not in measure:
            continue
        value = measure[key]
        if isinstance(value, list):
            value = ", ".join(_column_text(item) for item in value)
        parts.append(f"{key} = {value}")
    for rule in measure.get("keep", []):
        line = rule_line(rule) if isinstance(rule, dict) else None
        if line is None:
            return None
        parts.append(f"keep {line}")
    return "; ".join(parts)


def _measures(text: str, wide: bool) -> list[dict[str, Any]]:
    measures = []
    what = gettext(
        "write “value column = indicator code”, e.g. “refugees = refugees-hosted”, then if "
        "needed “; area = column”, “; category = column, column”, “; unit = people”, "
        "“; status = provisional”, “; multiplier = 1000” or “; keep column = value”"
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        head, *parts = line.split(";")
        column, sep, indicator = head.rpartition("=")
        problem = None
        if not sep or not column.strip() or not indicator.strip():
            problem = what
        measure: dict[str, Any] = {}
        if problem is None:
            if wide:
                measure["value_columns"] = column.strip()
            else:
                measure["value"] = _column(column)
            measure["indicator"] = indicator.strip()
        for part in parts:
            if problem is not None or not part.strip():
                continue
            if part.strip().startswith("keep "):
                rule = parse_rule(part.strip().removeprefix("keep "))
                if rule is None:
                    problem = gettext(
                        "“%(part)s”: write “keep column = value, value” or “keep column ~ "
                        "regular expression”"
                    ) % {"part": part.strip()}
                else:
                    measure.setdefault("keep", []).append(rule)
                continue
            key, sep, value = part.partition("=")
            key, value = key.strip().casefold(), value.strip()
            if not sep or key not in MEASURE_KEYS or not value:
                problem = gettext("“%(part)s” is not something a measure takes: %(what)s") % {
                    "part": part.strip(),
                    "what": what,
                }
            elif key == "category":
                columns = [_column(item) for item in value.split(",") if item.strip()]
                measure[key] = columns if len(columns) > 1 else columns[0]
            elif key == "area":
                measure[key] = _column(value)
            elif key == "multiplier":
                try:
                    measure[key] = int(value) if value.isdigit() else float(value)
                except ValueError:
                    problem = gettext("“multiplier = %(value)s”: write a number, e.g. 1000") % {
                        "value": value
                    }
            elif key == "status" and value not in VALUE_STATUSES:
                problem = gettext("“status = %(value)s”: write one of %(allowed)s") % {
                    "value": value,
                    "allowed": ", ".join(VALUE_STATUSES),
                }
            else:
                measure[key] = value
        if problem is not None:
            raise forms.ValidationError(
                gettext("Measures, line %(number)d: %(problem)s.")
                % {"number": number, "problem": problem}
            )
        measures.append(measure)
    return measures


class BuilderForm(forms.Form):
    name = forms.CharField(label=_("Profile name"), max_length=200, required=False)
    header_row = forms.IntegerField(
        label=_("Header row"),
        min_value=0,
        initial=1,
        help_text=_("The row number of the header (rows above it are skipped); 0: no header."),
    )
    header_rows = forms.TypedChoiceField(
        label=_("Header rows"),
        coerce=int,
        empty_value=1,  # type: ignore[arg-type]  # Django takes any value; the stubs say str
        required=False,
        initial=1,
        choices=[
            (1, _("One")),
            (2, _("Two: periods in the header row, categories in the row below (PX-Web)")),
        ],
        help_text=_(
            "With two, a period written once over its group of columns is repeated over each; "
            "value columns are then named “2017 Moški”."
        ),
    )
    split_column = forms.IntegerField(
        label=_("Split column"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_(
            "A column that packs several codes, as Eurostat's first column (“A,UA,RS” under "
            "“freq,citizen,geo\\TIME_PERIOD”) does: its number; 0 or empty: none."
        ),
    )
    split_by = forms.CharField(
        label=_("Split it by"), max_length=1, required=False, strip=False, initial=","
    )
    split_into = forms.CharField(
        label=_("Names of its parts"),
        required=False,
        help_text=_(
            "Separated by spaces, e.g. “freq citizen geo”; the columns above then offer each part."
        ),
    )
    layout = forms.ChoiceField(
        label=_("Layout"),
        choices=[
            ("long", _("Long: one observation per row")),
            ("wide", _("Wide: one observation per value cell (e.g. one column per year)")),
        ],
    )
    value_columns = forms.CharField(
        label=_("Value columns (wide)"),
        required=False,
        help_text=_(
            "A regular expression the header of each value column matches, e.g. "
            "^(?P<period>\\d{4})$ or ^(?P<period>\\d{4}) (?P<category>.+)$"
        ),
    )
    default_indicator = forms.CharField(label=_("Indicator code for every row"), required=False)
    default_source = forms.CharField(label=_("Source code for every row"), required=False)
    default_category = forms.CharField(label=_("Category for every row"), required=False)
    default_status = forms.ChoiceField(
        label=_("Status for every row"),
        # The statuses of a number: a cell without one gets its status from a marker.
        choices=[
            (status, label)
            for status, label in ObservationStatus.choices
            if status in VALUE_STATUSES
        ],
        initial=ObservationStatus.AS_PUBLISHED,
        required=False,
        help_text=_(
            "What the source says of its figures when the file has no status of its own, e.g. "
            "“Estimated” for the World Bank's mid-year population estimates; flags in the "
            "file win. “As published” when the source says nothing."
        ),
    )
    decimal = forms.ChoiceField(label=_("Decimal sign"), choices=[(".", "."), (",", ",")])
    thousands = forms.ChoiceField(
        label=_("Thousands separator"),
        required=False,
        choices=[("", _("none")), (",", ","), (".", "."), (" ", _("space")), ("'", "'")],
    )
    dates = forms.ChoiceField(label=_("A date stands for"), choices=[(m, m) for m in DATE_MEANINGS])
    markers = forms.CharField(
        label=_("Markers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: “* = suppressed”; meanings: %(meanings)s. Never zero.")
        % {"meanings": ", ".join(MARKER_MEANINGS)},
    )
    areas = forms.CharField(
        label=_("Area names of this source"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line: “Serbia and Kosovo: S/RES/1244 (1999) = RS” or “= skip”. The source's "
            "own label is kept with each observation mapped here and shown with its figure."
        ),
    )
    skip_areas = forms.CharField(
        label=_("Skip rows whose area matches"),
        required=False,
        help_text=_("A regular expression, e.g. ^[A-ZČŠŽ ]+$ for subtotals in capitals."),
    )
    measures = forms.CharField(
        label=_("Measures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "vLargeTextField"}),
        help_text=_(
            "When the file has several value columns, one a line: “value column = indicator "
            "code”, e.g. “refugees = refugees-hosted”; add “; area = column”, “; category = "
            "column, column”, “; unit = people”, “; status = provisional”, “; multiplier = 1000” "
            "or “; keep column = value” for what differs from the columns above. In a wide "
            "file the value column is a regular expression, as under “Value columns (wide)”. "
            "Then “Value” and “Indicator code for every row” are not used."
        ),
    )
    keep_rows = forms.CharField(
        label=_("Keep only rows where"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text=_(
            "One a line, every line must hold: “column = value, value” (the whole cell is one "
            "of them, e.g. “coa_iso = ALB, BIH, MNE”) or “column ~ regular expression” (the "
            "cell contains a match); “=*” or “~*” ignore case. Any column of the file, by its "
            "name in the header or its number."
        ),
    )
    skip_rows = forms.CharField(
        label=_("Skip rows where"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text=_(
            "One a line, any line skips the row: “column = value, value” or “column ~ regular "
            "expression”, e.g. “coo_name ~* ^unknown”. Skipped rows are counted, not errors."
        ),
    )
    unknown_areas = forms.BooleanField(
        label=_("Only areas we know"),
        required=False,
        help_text=_(
            "Skip the figures of areas the portal does not know (e.g. Germany as a country of "
            "asylum) and list them once, with their rows, instead of refusing the file."
        ),
    )

    def __init__(
        self,
        *args: Any,
        columns: Iterable[tuple[int, str]] = (),
        parts: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "-")] + [(str(n), label) for n, label in columns]
        # The parts of a split column are chosen by name ("geo"), as the profile names them.
        choices += [
            (f"part:{name}", gettext("Part “%(name)s” of the split column") % {"name": name})
            for name in parts
        ]
        for role, label in ROLES:
            if role in MULTIPLE_ROLES:
                self.fields[f"column_{role}"] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices[1:],
                    required=False,
                    widget=forms.SelectMultiple(attrs={"size": min(max(len(choices) - 1, 2), 6)}),
                    help_text=_(
                        "One column or several (Ctrl or ⌘ + click): several make one category, "
                        "their cells joined by “ · ”."
                    ),
                )
            else:
                self.fields[f"column_{role}"] = forms.ChoiceField(
                    label=label, choices=choices, required=False
                )

    def clean_markers(self) -> dict[str, str]:
        markers = _pairs(self.cleaned_data["markers"], "skip")
        for label, meaning in markers.items():
            if meaning not in MARKER_MEANINGS:
                raise forms.ValidationError(
                    gettext("“%(label)s” means “%(meaning)s”; use one of %(allowed)s.")
                    % {"label": label, "meaning": meaning, "allowed": ", ".join(MARKER_MEANINGS)}
                )
        return markers

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # forms.Form.clean() returns cleaned_data
        position = data.get("split_column") or 0
        into = (data.get("split_into") or "").split()
        if position and (len(into) < 2 or not data.get("split_by")):
            raise forms.ValidationError(
                gettext(
                    "A split column needs the character between its parts and at least two "
                    "part names."
                )
            )
        return data

    def clean_areas(self) -> dict[str, str]:
        return _pairs(self.cleaned_data["areas"], "RS")

    def clean_keep_rows(self) -> list[dict[str, Any]]:
        return _rules(self.cleaned_data["keep_rows"], gettext("Keep only rows where"))

    def clean_skip_rows(self) -> list[dict[str, Any]]:
        return _rules(self.cleaned_data["skip_rows"], gettext("Skip rows where"))

    def clean_measures(self) -> list[dict[str, Any]]:
        return _measures(self.cleaned_data["measures"], self.data.get("layout") == "wide")

    def definition(self, header: Sequence[str]) -> dict[str, Any]:
        """The profile definition the form describes; `header`: the header row's cells."""
        data = self.cleaned_data
        header_row = data["header_row"] or None
        named = [cell.strip() for cell in header]
        columns: dict[str, str | int | list[str | int]] = {}

        def where(position: str) -> str | int:
            if position.startswith("part:"):
                return position.removeprefix("part:")
            index = int(position) - 1
            name = named[index] if header_row and index < len(named) else ""
            # A header name survives a source adding a column; a position does not. With
            # two header rows a key column's name is split over both: keep its position.
            unique = name and named.count(name) == 1 and data["header_rows"] == 1
            return name if unique else int(position)

        for role, _label in ROLES:
            position = data.get(f"column_{role}")
            if not position:
                continue
            if isinstance(position, list):
                chosen = [where(item) for item in position]
                columns[role] = chosen if len(chosen) > 1 else chosen[0]
            else:
                columns[role] = where(position)
        definition: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "name": data["name"] or gettext("New profile"),
            "header_row": header_row,
            "layout": data["layout"],
            "columns": columns,
            "numbers": {"decimal": data["decimal"], "thousands": data["thousands"]},
            "periods": {"dates": data["dates"]},
        }
        if data["header_rows"] == 2:
            definition["header_rows"] = 2
        if data.get("split_column"):
            definition["split_column"] = {
                "column": data["split_column"],
                "by": data["split_by"],
                "into": data["split_into"].split(),
            }
        if data["layout"] == "wide":
            definition["value_columns"] = data["value_columns"]
        defaults = {
            key: data[f"default_{key}"]
            for key in ("indicator", "source", "category")
            if data[f"default_{key}"]
        }
        # "As published" is what the format assumes: a profile says only another status.
        status = data.get("default_status") or ObservationStatus.AS_PUBLISHED
        if status != ObservationStatus.AS_PUBLISHED:
            defaults["status"] = status
        if defaults:
            definition["defaults"] = defaults
        if data["markers"]:
            definition["markers"] = data["markers"]
        if data["areas"]:
            definition["areas"] = data["areas"]
        skip = list(data.get("skip_rows") or [])
        if data["skip_areas"]:
            skip.insert(0, {"column": "area", "matches": data["skip_areas"]})
        if skip:
            definition["skip"] = skip
        if data.get("keep_rows"):
            definition["keep"] = data["keep_rows"]
        if data.get("measures"):
            definition["measures"] = data["measures"]
            # With measures, each names its indicator and value column (Contract A).
            definition.get("defaults", {}).pop("indicator", None)
            if not definition.get("defaults", True):
                del definition["defaults"]
            columns.pop("value", None)
            if data["layout"] == "wide" and not data["value_columns"]:
                definition.pop("value_columns", None)
        if data.get("unknown_areas"):
            definition["unknown_areas"] = "skip"
        return definition


AREA_MATCH = {"column", "matches"}


def unwritten(definition: dict[str, Any]) -> dict[str, list[Any]]:
    """The rules and measures of a saved definition the form's lines cannot write (e.g. a
    rule with "whole": true): kept as they are when the form saves the profile again."""
    kept = {
        "keep": [
            r for r in definition.get("keep", []) if not isinstance(r, dict) or rule_line(r) is None
        ],
        "skip": [
            r for r in definition.get("skip", []) if not isinstance(r, dict) or rule_line(r) is None
        ],
        "measures": [
            m
            for m in definition.get("measures", [])
            if not isinstance(m, dict) or measure_line(m) is None
        ],
    }
    return {key: items for key, items in kept.items() if items}


def initial_from(definition: dict[str, Any], header: Sequence[str]) -> dict[str, Any]:
    """The builder form's initial values for a saved profile's definition."""
    named = [cell.strip().casefold() for cell in header]
    initial: dict[str, Any] = {
        "name": definition.get("name", ""),
        "header_row": definition.get("header_row", 1) or 0,
        "layout": definition.get("layout", "long"),
        "header_rows": definition.get("header_rows", 1),
        "value_columns": definition.get("value_columns", ""),
        "decimal": definition.get("numbers", {}).get("decimal", "."),
        "thousands": definition.get("numbers", {}).get("thousands", ""),
        "dates": definition.get("periods", {}).get("dates", "day"),
        "markers": "\n".join(f"{k} = {v}" for k, v in definition.get("markers", {}).items()),
        "areas": "\n".join(f"{k} = {v}" for k, v in definition.get("areas", {}).items()),
    }
    for key in ("indicator", "source", "category"):
        initial[f"default_{key}"] = definition.get("defaults", {}).get(key, "")
    initial["default_status"] = definition.get("defaults", {}).get(
        "status", ObservationStatus.AS_PUBLISHED
    )
    split = definition.get("split_column") or {}
    if isinstance(split, dict) and isinstance(split.get("into"), list):
        initial["split_column"] = split.get("column", 1)
        initial["split_by"] = split.get("by", ",")
        initial["split_into"] = " ".join(str(name) for name in split["into"])
        parts = {str(name).casefold(): str(name) for name in split["into"]}
    else:
        parts = {}

    def chosen(where: object) -> str | None:
        if isinstance(where, str) and where.strip().casefold() in parts:
            return f"part:{parts[where.strip().casefold()]}"
        if isinstance(where, int):
            return str(where)
        if isinstance(where, str) and where.strip().casefold() in named:
            return str(named.index(where.strip().casefold()) + 1)
        return None

    for role, where in definition.get("columns", {}).items():
        if role in MULTIPLE_ROLES:
            items = where if isinstance(where, list) else [where]
            initial[f"column_{role}"] = [c for c in map(chosen, items) if c is not None]
        elif (position := chosen(where)) is not None:
            initial[f"column_{role}"] = position
    skips = [
        rule
        for rule in definition.get("skip", [])
        if isinstance(rule, dict) and rule.get("column") == "area" and set(rule) == AREA_MATCH
    ]
    initial["skip_areas"] = skips[0]["matches"] if skips else ""
    others = [rule for rule in definition.get("skip", []) if not (skips and rule is skips[0])]
    initial["skip_rows"] = "\n".join(filter(None, (rule_line(r) for r in others)))
    initial["keep_rows"] = "\n".join(
        filter(None, (rule_line(r) for r in definition.get("keep", [])))
    )
    initial["measures"] = "\n".join(
        filter(None, (measure_line(m) for m in definition.get("measures", [])))
    )
    initial["unknown_areas"] = definition.get("unknown_areas") == "skip"
    return initial
