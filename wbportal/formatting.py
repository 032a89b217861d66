"""How numbers, periods and dates read on the site: one module for pages, charts, tables,
tiles and titles. Downloads (CSV, JSON) keep the ISO forms and plain numbers.

Everything goes through Django's localisation (number_format, date_format, gettext), so the
site can follow the reader's language once there is more than English: the words and the
formats come from the active locale (English formats: wbportal/formats/en/formats.py).

- Numbers: rounded half up to the indicator's declared decimals, then grouped
  (12,345.7); percentages read "35%".
- Periods (ISO 8601, statistics/periods.py): 2025 -> "2025", 2025-03 -> "March 2025",
  2025-Q1 -> "Q1 2025", 2025-03-31 -> "31 March 2025", 2016/2025 -> "2016–2025",
  2016/2025-05 -> "2016 – May 2025".
- Dates: "31 March 2025" (DATE_FORMAT).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from statistics.periods import period_points

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def round_half_up(value, decimals=0):
    """`value` as a Decimal rounded half up to `decimals` places (None if not a number)."""
    try:
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-int(decimals)), ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return None


def format_number(value, decimals=0):
    """12345.678, 1 -> "12,345.7" in English: rounded half up, grouped, `decimals` places.

    "" for a missing value or one that is not a number.
    """
    if value is None or value == "":
        return ""
    number = round_half_up(value, decimals)
    if number is None:
        return ""
    if number == 0:
        number = abs(number)  # never "-0"
    return formats.number_format(
        number, decimal_pos=int(decimals), use_l10n=True, force_grouping=True
    )


def format_percent(value, decimals=0):
    """35 -> "35%" (the value is already in percent)."""
    text = format_number(value, decimals)
    if not text:
        return ""
    return pgettext("a percentage", "%(number)s%%") % {"number": text}


def format_value(value, indicator):
    """An indicator's value as shown everywhere: its decimals, and "%" for a percentage."""
    if indicator.is_percentage:
        return format_percent(value, indicator.decimals)
    return format_number(value, indicator.decimals)


def format_date(value):
    """A date (or datetime, in the current time zone) as "31 March 2025"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return formats.date_format(value, "DATE_FORMAT")


def format_datetime(value):
    """A moment in the current time zone as "31 March 2025, 14:05" (schedules, reviews)."""
    if value is None:
        return ""
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{formats.date_format(value.date(), 'DATE_FORMAT')}, {value:%H:%M}"


def _point_text(point):
    if point.kind == "year":
        return str(point.year)
    if point.kind == "quarter":
        return _("Q%(quarter)d %(year)d") % {"quarter": point.number, "year": point.year}
    if point.kind == "month":
        return formats.date_format(point.start, "YEAR_MONTH_FORMAT")
    return formats.date_format(point.start, "DATE_FORMAT")


def _span_text(first, last):
    if first.kind == last.kind == "year":
        # Years alone: an en dash without spaces, "2016–2025".
        return f"{first.year}\u2013{last.year}"
    return f"{_point_text(first)} \u2013 {_point_text(last)}"


def format_period_span(first, last):
    """From the start of period `first` to the end of period `last` (each ISO 8601, either
    may be a range): "2016–2025", "2016 – May 2025"; one period if they are the same."""
    if first == last:
        return format_period(first)
    try:
        return _span_text(period_points(str(first))[0], period_points(str(last))[-1])
    except ValueError:
        return f"{first} \u2013 {last}"


def format_period(text):
    """An ISO 8601 period (statistics/periods.py) as people write it; text that is not a
    valid period is returned unchanged rather than hidden."""
    if not text:
        return ""
    try:
        points = period_points(str(text))
    except ValueError:
        return str(text)
    if len(points) == 1:
        return _point_text(points[0])
    return _span_text(*points)
