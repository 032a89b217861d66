"""How numbers, periods and dates read on the site: one module for pages, charts, tables,
tiles and titles. Downloads (CSV, JSON) keep the ISO forms and plain numbers.

Everything goes through Django's localisation (number_format, date_format, gettext), so the
site can follow the reader's language once there is more than English: the words and the
formats come from the active locale (English formats: wbportal/formats/en/formats.py).

- Numbers: rounded half up to the indicator's declared decimals, then grouped
  (12,345.7); percentages read "35%".
- Periods (ISO 8601, formatting/periods.py): 2025 -> "2025", 2025-03 -> "March 2025",
  2025-Q1 -> "Q1 2025", 2025-03-31 -> "31 March 2025", 2016/2025 -> "2016–2025",
  2016/2025-05 -> "2016 – May 2025".
- How recent figures are: the end of a period, "end of 2025", "end of March 2025",
  "end of Q1 2025", "31 March 2025" (a day is its own end).
- Dates: "31 March 2025" (DATE_FORMAT).
- File sizes: "840 bytes", "1.5 KB", "50 MB" (units of 1024).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .periods import period_points


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


def format_observation(observation, indicator=None):
    """An observation's value as read: its qualifier ("more than 1,200"), or what the source
    says instead of a number ("not available", "suppressed"). `indicator` defaults to the
    observation's own (pass it when the caller has it, to spare a query). Read through the
    observation's own `has_value` and choice labels, so this module needs no statistics model."""
    if not observation.has_value or observation.value is None:
        return observation.get_status_display().lower()
    number = format_value(observation.value, indicator or observation.indicator)
    if observation.qualifier:
        return pgettext("a qualified value, e.g. more than 1,200", "%(qualifier)s %(number)s") % {
            "qualifier": observation.get_qualifier_display(),
            "number": number,
        }
    return number


def format_date(value):
    """A date (or datetime, in the current time zone) as "31 March 2025"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return formats.date_format(value, "DATE_FORMAT")


def format_datetime(value):
    """A datetime in the current time zone as "1 December 2026, 10:00" (DATETIME_FORMAT)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


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
    """An ISO 8601 period (formatting/periods.py) as people write it; text that is not a
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


def format_period_end(text):
    """Where the figures of period `text` reach: the end of its last point, as read in "Latest
    figures: end of 2025". A year, quarter or month: "end of 2025", "end of Q1 2025", "end of
    March 2025"; a day is its own end ("31 March 2025"); a range ends with its last period
    ("2016/2025" -> "end of 2025"). Text that is not a valid period is returned unchanged."""
    if not text:
        return ""
    try:
        last = period_points(str(text))[-1]
    except ValueError:
        return str(text)
    if last.kind == "day":
        return _point_text(last)
    return pgettext("the end of a period, e.g. end of 2025", "end of %(period)s") % {
        "period": _point_text(last)
    }


def format_compact(value, decimals=0):
    """A round number for an axis tick or a map legend: 80000000 -> "80 million",
    2500000 with one decimal -> "2.5 million"; below a million as `format_number`.
    `decimals` are the places of the number as written (of the millions, if in millions)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    for size, pattern in (
        (10**9, pgettext("a compact number", "%(number)s billion")),
        (10**6, pgettext("a compact number", "%(number)s million")),
    ):
        if abs(number) >= size:
            return pattern % {"number": format_number(number / size, decimals)}
    return format_number(number, decimals)


def format_exact(value):
    """A number with every decimal it has, grouped: Decimal("4100.0000") -> "4,100",
    Decimal("12.50") -> "12.5" (history and other places that must not round)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if not number.is_finite():
        return ""
    exponent = number.normalize().as_tuple().exponent
    return format_number(number, max(0, -int(exponent)))


def format_file_size(size):
    """A file's size in bytes as read beside a download link: 840 -> "840 bytes",
    1536 -> "1.5 KB", 2400000 -> "2.3 MB", 52428800 -> "50 MB" (units of 1024, at most
    one decimal, grouped per the locale). "" for a missing size."""
    if size is None or size == "":
        return ""
    size = int(size)
    if size < 1024:
        return ngettext("%(count)s\u00a0byte", "%(count)s\u00a0bytes", size) % {
            "count": format_number(size)
        }
    units = [
        pgettext("file size unit", "KB"),
        pgettext("file size unit", "MB"),
        pgettext("file size unit", "GB"),
    ]
    value = Decimal(size) / 1024
    unit = units.pop(0)
    while units and round_half_up(value, 1) >= 1024:
        value /= 1024
        unit = units.pop(0)
    rounded = round_half_up(value, 1)
    # A no-break space: "35.4" and "KB" never end up on separate lines.
    return pgettext("a file size, e.g. 2.3 MB", "%(number)s\u00a0%(unit)s") % {
        # "50 MB", not "50.0 MB"
        "number": format_number(rounded, 0 if rounded == rounded.to_integral_value() else 1),
        "unit": unit,
    }


def lower_first(text):
    """A label as it reads inside a sentence ("by country of origin (as UNHCR names it)"):
    its first letter lowered unless its first word is written in capitals (an acronym such as
    "IOM" or "UNHCR"); the rest as written, since a label may quote names and acronyms."""
    text = str(text)
    first_word = text.split(" ", 1)[0]
    if not text or (len(first_word) > 1 and first_word.isupper()):
        return text
    return text[0].lower() + text[1:]
