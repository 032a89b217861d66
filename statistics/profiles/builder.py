"""The admin's guided profile builder: a file's first rows as read, a form to pick the
columns, markers and names, a preview of the observations (with every unmapped name and
unknown marker), and the profile saved for the next file from the same source."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .format import DATE_MEANINGS, FORMAT, MARKER_MEANINGS, VERSION

ROLES = [
    ("area", _("Area (country or region)")),
    ("indicator", _("Indicator")),
    ("period", _("Period (or year)")),
    ("month", _("Month name (with the year above)")),
    ("category", _("Category")),
    ("value", _("Value (long layout)")),
    ("note", _("Note")),
]


def _pairs(text, field):
    """Lines "label = meaning" -> dict; ValidationError naming the first bad line."""
    pairs = {}
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

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "-")] + [(str(n), label) for n, label in columns]
        for role, label in ROLES:
            self.fields[f"column_{role}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )

    def clean_markers(self):
        markers = _pairs(self.cleaned_data["markers"], "skip")
        for label, meaning in markers.items():
            if meaning not in MARKER_MEANINGS:
                raise forms.ValidationError(
                    gettext("“%(label)s” means “%(meaning)s”; use one of %(allowed)s.")
                    % {"label": label, "meaning": meaning, "allowed": ", ".join(MARKER_MEANINGS)}
                )
        return markers

    def clean_areas(self):
        return _pairs(self.cleaned_data["areas"], "RS")

    def definition(self, header):
        """The profile definition the form describes; `header`: the header row's cells."""
        data = self.cleaned_data
        header_row = data["header_row"] or None
        named = [cell.strip() for cell in header]
        columns = {}
        for role, _label in ROLES:
            position = data.get(f"column_{role}")
            if not position:
                continue
            index = int(position) - 1
            name = named[index] if header_row and index < len(named) else ""
            # A header name survives a source adding a column; a position does not.
            unique = name and named.count(name) == 1
            columns[role] = name if unique else int(position)
        definition = {
            "format": FORMAT,
            "version": VERSION,
            "name": data["name"] or gettext("New profile"),
            "header_row": header_row,
            "layout": data["layout"],
            "columns": columns,
            "numbers": {"decimal": data["decimal"], "thousands": data["thousands"]},
            "periods": {"dates": data["dates"]},
        }
        if data["layout"] == "wide":
            definition["value_columns"] = data["value_columns"]
        defaults = {
            key: data[f"default_{key}"]
            for key in ("indicator", "source", "category")
            if data[f"default_{key}"]
        }
        if defaults:
            definition["defaults"] = defaults
        if data["markers"]:
            definition["markers"] = data["markers"]
        if data["areas"]:
            definition["areas"] = data["areas"]
        if data["skip_areas"]:
            definition["skip"] = [{"column": "area", "matches": data["skip_areas"]}]
        return definition


def initial_from(definition, header):
    """The builder form's initial values for a saved profile's definition."""
    named = [cell.strip().casefold() for cell in header]
    initial = {
        "name": definition.get("name", ""),
        "header_row": definition.get("header_row", 1) or 0,
        "layout": definition.get("layout", "long"),
        "value_columns": definition.get("value_columns", ""),
        "decimal": definition.get("numbers", {}).get("decimal", "."),
        "thousands": definition.get("numbers", {}).get("thousands", ""),
        "dates": definition.get("periods", {}).get("dates", "day"),
        "markers": "\n".join(f"{k} = {v}" for k, v in definition.get("markers", {}).items()),
        "areas": "\n".join(f"{k} = {v}" for k, v in definition.get("areas", {}).items()),
    }
    for key in ("indicator", "source", "category"):
        initial[f"default_{key}"] = definition.get("defaults", {}).get(key, "")
    for role, where in definition.get("columns", {}).items():
        if isinstance(where, int):
            initial[f"column_{role}"] = str(where)
        elif where.strip().casefold() in named:
            initial[f"column_{role}"] = str(named.index(where.strip().casefold()) + 1)
    skips = [
        rule.get("matches") for rule in definition.get("skip", []) if rule.get("column") == "area"
    ]
    initial["skip_areas"] = next((rule for rule in skips if rule), "")
    return initial
