"""The admin's guided profile builder: a file's first rows as read, a form to pick the
columns, markers and names, a preview of the observations (with every unmapped name and
unknown marker), and the profile saved for the next file from the same source."""

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
            "label is kept in the note of each observation mapped here."
        ),
    )
    skip_areas = forms.CharField(
        label=_("Skip rows whose area matches"),
        required=False,
        help_text=_("A regular expression, e.g. ^[A-ZČŠŽ ]+$ for subtotals in capitals."),
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

    def definition(self, header: Sequence[str]) -> dict[str, Any]:
        """The profile definition the form describes; `header`: the header row's cells."""
        data = self.cleaned_data
        header_row = data["header_row"] or None
        named = [cell.strip() for cell in header]
        columns: dict[str, str | int] = {}
        for role, _label in ROLES:
            position = data.get(f"column_{role}")
            if not position:
                continue
            if position.startswith("part:"):
                columns[role] = position.removeprefix("part:")
                continue
            index = int(position) - 1
            name = named[index] if header_row and index < len(named) else ""
            # A header name survives a source adding a column; a position does not. With
            # two header rows a key column's name is split over both: keep its position.
            unique = name and named.count(name) == 1 and data["header_rows"] == 1
            columns[role] = name if unique else int(position)
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
        if data["skip_areas"]:
            definition["skip"] = [{"column": "area", "matches": data["skip_areas"]}]
        return definition


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
    for role, where in definition.get("columns", {}).items():
        if isinstance(where, str) and where.strip().casefold() in parts:
            initial[f"column_{role}"] = f"part:{parts[where.strip().casefold()]}"
        elif isinstance(where, int):
            initial[f"column_{role}"] = str(where)
        elif where.strip().casefold() in named:
            initial[f"column_{role}"] = str(named.index(where.strip().casefold()) + 1)
    skips = [
        rule.get("matches") for rule in definition.get("skip", []) if rule.get("column") == "area"
    ]
    initial["skip_areas"] = next((rule for rule in skips if rule), "")
    return initial
