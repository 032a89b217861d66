"""Numbers and dates as people in the region type them, in every admin form (see
docs/staff/numbers-and-dates.md).

One rule for everybody, whatever their language setting, so that nothing depends on who
typed a value:

- Numbers: the decimal separator may be a comma or a point ("12,5" = "12.5"). A single
  comma or point followed by 1-2 or 4+ digits is the decimal separator. Groups of exactly
  three digits separated by points, commas or spaces are thousands, when the decimal
  separator (if any) is the other sign: "2.500.000,00", "2,500,000.00", "2 500 000,5".
  "1.234" and "1,234" (one separator, three digits after it) could be either and are
  refused with a hint; so is anything else that is not clearly a number. A value is never
  silently changed.
- Dates: day.month.year, the region's order ("01.03.2026", "1.3.2026", "01.03.2026."), or
  ISO 8601 ("2026-03-01"). Slashed dates ("03/01/2026") are refused: half the world reads
  them month first.

Saved values are shown back in the person's own style (`InputStyle`, from the browser's
preferred language): where the language writes a decimal comma (mk, sr, bs, hr, sq, tr, de,
...), "12,5"; elsewhere "12.5". Dates are shown day.month.year ("01.03.2026") for everyone,
as the admin's calendar writes them and as the region reads them. Either style is read back
by the rule above, so a form posted unchanged changes nothing. Numbers are shown with the
digits that matter and without thousands groups ("1250000,5"): "1.250" could not be read
back.
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

NUMBER_HELP = _(
    "Decimal comma or point: 12,5 or 12.5. Thousands may be grouped in threes with the other "
    "sign: 2.500.000,00 or 2,500,000.00."
)
DATE_HELP = _("Date as day.month.year (01.03.2026) or 2026-03-01.")
DATETIME_HELP = format_lazy(
    "{} {}", DATE_HELP, _("Time as 14:30 (24-hour clock, the site's time zone).")
)

# Ordinary, no-break, narrow no-break and thin spaces: all used to group thousands.
_SPACES = " \u00a0\u202f\u2009"
_SPACE_GROUPED = re.compile(rf"\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2,4})\.?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED_DATE = re.compile(r"\d{1,4}/\d{1,2}/\d{1,4}")


def _not_a_number(text):
    return ValidationError(
        _("'%(text)s' is not a number. %(rule)s"),
        code="invalid",
        params={"text": text, "rule": NUMBER_HELP},
    )


def _grouped(integer_part, separator):
    return re.fullmatch(rf"\d{{1,3}}(?:{re.escape(separator)}\d{{3}})+", integer_part)


def parse_number(text):
    """`text` as typed in the region -> Decimal; ValidationError with a hint otherwise."""
    shown = str(text).strip()
    number = shown.replace("\u2212", "-")  # the typographic minus sign
    sign = ""
    if number[:1] in "+-":
        sign, number = ("-" if number[0] == "-" else ""), number[1:].strip()
    if any(char in _SPACES for char in number):
        if not _SPACE_GROUPED.fullmatch(number):
            raise _not_a_number(shown)
        number = "".join(char for char in number if char not in _SPACES)
    if not number or not re.fullmatch(r"[\d.,]+", number) or not any(c.isdigit() for c in number):
        raise _not_a_number(shown)
    points, commas = number.count("."), number.count(",")
    if points and commas:
        decimal = "." if number.rfind(".") > number.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        integer_part, _sep, fraction = number.partition(decimal)
        if decimal in fraction or not fraction.isdigit() or not _grouped(integer_part, thousands):
            raise _not_a_number(shown)
        plain = f"{integer_part.replace(thousands, '')}.{fraction}"
    elif points + commas > 1:  # one sign, several times: thousands only
        separator = "." if points else ","
        if not _grouped(number, separator):
            raise _not_a_number(shown)
        plain = number.replace(separator, "")
    elif points + commas == 1:
        integer_part, _sep, fraction = number.replace(",", ".").partition(".")
        if not fraction:
            raise _not_a_number(shown)
        if len(fraction) == 3 and 1 <= len(integer_part) <= 3 and integer_part[0] != "0":
            raise ValidationError(
                _(
                    "'%(text)s' could be a whole number with its thousands grouped or a "
                    "number with three decimals. Write %(whole)s for the whole number, or "
                    "%(decimal)s for the decimal one."
                ),
                code="ambiguous",
                params={
                    "text": shown,
                    "whole": f"{integer_part}{fraction}",
                    "decimal": f"{integer_part}{number[len(integer_part)]}{fraction}0",
                },
            )
        plain = f"{integer_part or '0'}.{fraction}"
    else:
        plain = number
    try:
        return Decimal(sign + plain)
    except InvalidOperation as error:  # pragma: no cover - the patterns above admit digits only
        raise _not_a_number(shown) from error


def parse_date(text):
    """ "01.03.2026" (day.month.year) or "2026-03-01" -> date; ValidationError with a hint."""
    shown = str(text).strip()
    if match := _DOTTED_DATE.fullmatch(shown):
        day, month, year = match.groups()
    elif match := _ISO_DATE.fullmatch(shown):
        year, month, day = match.groups()
    elif _SLASHED_DATE.fullmatch(shown):
        raise ValidationError(
            _(
                "'%(text)s' is read as month/day in some countries and day/month in others. "
                "Write the date as day.month.year (01.03.2026) or as 2026-03-01."
            ),
            code="ambiguous",
            params={"text": shown},
        )
    else:
        raise ValidationError(
            _("'%(text)s' is not a date. %(rule)s"),
            code="invalid",
            params={"text": shown, "rule": DATE_HELP},
        )
    if len(year) != 4:
        raise ValidationError(
            _("Write the year of '%(text)s' with four digits, e.g. 01.03.2026."),
            code="invalid",
            params={"text": shown},
        )
    if not 1 < int(year) < 9999:
        # A day of the first or the last year is a day from the calendar's edge: converted to
        # UTC, or with a day added (a date range's end), it leaves the calendar (OverflowError).
        raise ValidationError(
            _("'%(text)s' is too far in the past or the future."),
            code="invalid",
            params={"text": shown},
        )
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as error:
        raise ValidationError(
            _("'%(text)s' is not a date of the calendar (day.month.year)."),
            code="invalid",
            params={"text": shown},
        ) from error


@dataclass(frozen=True)
class InputStyle:
    """How a form shows a saved number or date to one person (read back by parse_number and
    parse_date whatever the style)."""

    decimal_separator: str = "."
    # The region's order for every language: the admin's calendar writes the same (the
    # first of DATE_INPUT_FORMATS, wbportal/formats/en).
    date_format: str = "%d.%m.%Y"

    def number(self, value):
        number = Decimal(value)
        if not number.is_finite():
            return str(value)
        if number == number.to_integral_value():
            text = f"{number.quantize(Decimal(1)):f}"
        else:
            text = f"{number.normalize():f}"
        return text.replace(".", self.decimal_separator)


POINT_STYLE = InputStyle()
COMMA_STYLE = InputStyle(decimal_separator=",")


_LANGUAGE_TAG = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*")


def _preferred_language(header):
    """The first language tag of an Accept-Language header, by its q value ("" if none)."""
    best, best_q = "", 0.0
    for entry in header.split(","):
        tag, _sep, params = entry.strip().partition(";")
        tag = tag.strip().lower()
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if _LANGUAGE_TAG.fullmatch(tag) and q > best_q:
            best, best_q = tag, q
    return best


def input_style(request):
    """The style `request`'s person reads numbers and dates in, from the browser's preferred
    language and Django's locale data for it (the site itself may be in English only)."""
    language = _preferred_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    if language and formats.get_format("DECIMAL_SEPARATOR", lang=language) == ",":
        return COMMA_STYLE
    return POINT_STYLE


class RegionalNumberInput(forms.TextInput):
    """A text box showing a saved number in a person's style (`style`, set per request by
    RegionalInputMixin); what was typed is shown back as typed."""

    style = POINT_STYLE

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return self.style.number(value)
        return super().format_value(value)


def show_in_style(field, style):
    """Make a form field's widget show saved values in `style`."""
    widgets = getattr(field.widget, "widgets", [field.widget])  # a date + time pair: two
    for widget in widgets:
        if isinstance(widget, RegionalNumberInput):
            widget.style = style
        elif isinstance(widget, forms.DateInput) and isinstance(
            field, (RegionalDateField, RegionalSplitDateTimeField)
        ):
            widget.format = style.date_format


def _with_hint(help_text, hint):
    return format_lazy("{} {}", help_text, hint) if help_text else hint


class RegionalDecimalField(forms.DecimalField):
    """A decimal typed with comma or point (parse_number). A text box, not type=number: a
    browser's number box drops or reinterprets what it does not understand."""

    widget = RegionalNumberInput

    def __init__(self, *, help_text="", **kwargs):
        super().__init__(help_text=_with_hint(help_text, NUMBER_HELP), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (Decimal, int)):
            return Decimal(value)
        return parse_number(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "decimal"
        return attrs


class RegionalDateField(forms.DateField):
    def __init__(self, *, help_text="", **kwargs):
        super().__init__(help_text=_with_hint(help_text, DATE_HELP), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return parse_date(value)


class RegionalSplitDateTimeField(forms.SplitDateTimeField):
    """The admin's date + time boxes, the date part read by parse_date."""

    def __init__(self, *, help_text="", **kwargs):
        super().__init__(help_text=_with_hint(help_text, DATETIME_HELP), **kwargs)
        date_part = RegionalDateField(required=False)
        date_part.help_text = ""
        self.fields = (date_part, self.fields[1])

    def get_bound_field(self, form, field_name):
        """Give the date and the time box an accessible name each ("Publish at, date"): the
        admin's label names the pair but points at neither box, and the words beside them
        ("Date:") are not labels. Each form has its own copy of the field and its widget."""
        bound = super().get_bound_field(form, field_name)
        widgets = getattr(self.widget, "widgets", ())
        if len(widgets) == 2:
            label = capfirst(bound.label)
            widgets[0].attrs["aria-label"] = format_lazy(_("{field}, date"), field=label)
            widgets[1].attrs["aria-label"] = format_lazy(_("{field}, time"), field=label)
        return bound


def one_line_ending(text):
    """Browsers post a text box's lines ended with CR LF; stored texts end them with LF. The
    same, so that a text saved unchanged is unchanged (no false version, no false conflict)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


class TextFormField(forms.CharField):
    """A long text as typed, its line endings stored one way (one_line_ending)."""

    def to_python(self, value):
        return one_line_ending(super().to_python(value))


# Web addresses typed without a scheme ("example.org") get "http://", as they always have;
# said explicitly because Django 6.0 changes the default to https.
URL_INPUT = {"assume_scheme": "http"}

# For ModelAdmin / InlineModelAdmin.formfield_overrides (RegionalInputMixin).
FORMFIELD_OVERRIDES: Mapping[type[models.Field], Mapping[str, Any]] = {
    models.URLField: URL_INPUT,
    models.TextField: {"form_class": TextFormField, "widget": admin_widgets.AdminTextareaWidget},
    models.DecimalField: {"form_class": RegionalDecimalField},
    models.DateField: {"form_class": RegionalDateField, "widget": admin_widgets.AdminDateWidget},
    models.DateTimeField: {
        "form_class": RegionalSplitDateTimeField,
        "widget": admin_widgets.AdminSplitDateTime,
    },
}


class RegionalInputMixin:
    """Admin classes and inlines: numbers and dates read by the region's rule, and shown
    back in the person's style."""

    formfield_overrides = FORMFIELD_OVERRIDES

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and request is not None:
            show_in_style(field, input_style(request))
        return field
