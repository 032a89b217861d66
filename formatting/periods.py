"""ISO 8601 reference periods of observations.

Accepted: a year `2025`, a month `2025-03`, a quarter `2025-Q1`, a day `2025-03-31`, or a
range of two of these `2016/2025` (cumulative figures such as "returns since 2016").
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SINGLE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<quarter>Q[1-4])|(?P<month>\d{2})(?:-(?P<day>\d{2}))?))?$"
)
FORMATS_HELP = "2025, 2025-03, 2025-Q1, 2025-03-31 or a range such as 2016/2025"


@dataclass(frozen=True)
class Period:
    text: str
    start: datetime.date
    end: datetime.date

    @property
    def is_range(self):
        return "/" in self.text


@dataclass(frozen=True)
class PeriodPoint:
    """One side of a period: a year, a quarter, a month or a day, with its dates."""

    kind: str  # "year", "quarter", "month" or "day"
    year: int
    number: int  # the quarter (1-4) or the month (1-12); 0 for a year
    start: datetime.date
    end: datetime.date


def parse_point(text):
    """The PeriodPoint of a single period such as `2025-Q1` (no range); ValueError if bad."""
    match = _SINGLE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not an ISO 8601 period; use {FORMATS_HELP}.")
    year = int(match["year"])
    if year < 1900:
        raise ValueError(f"'{text}': the year must be 1900 or later.")
    if match["quarter"]:
        quarter = int(match["quarter"][1])
        first_month = 3 * quarter - 2
        last_month = first_month + 2
        return PeriodPoint(
            "quarter",
            year,
            quarter,
            datetime.date(year, first_month, 1),
            datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}': month {month:02d} does not exist.")
        if match["day"]:
            try:
                day = datetime.date(year, month, int(match["day"]))
            except ValueError:
                raise ValueError(f"'{text}' is not a calendar date.") from None
            return PeriodPoint("day", year, month, day, day)
        return PeriodPoint(
            "month",
            year,
            month,
            datetime.date(year, month, 1),
            datetime.date(year, month, calendar.monthrange(year, month)[1]),
        )
    return PeriodPoint("year", year, 0, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def period_points(text):
    """[first, last] PeriodPoints of a range, [point] of a single period; ValueError if bad."""
    return [parse_point(part.strip()) for part in (text or "").strip().split("/")]


def _parse_single(text):
    point = parse_point(text)
    return point.start, point.end


def parse_period(text):
    """Return the Period for `text`, or raise ValueError saying what is accepted."""
    text = (text or "").strip()
    if not text:
        raise ValueError(f"The period is empty; use {FORMATS_HELP}.")
    if "/" in text:
        first, _sep, last = text.partition("/")
        if "/" in last:
            raise ValueError(f"'{text}' has more than one '/'; use {FORMATS_HELP}.")
        start, _first_end = _parse_single(first)
        _last_start, end = _parse_single(last)
        if end < start:
            raise ValueError(f"'{text}': the range ends before it starts.")
        return Period(text, start, end)
    start, end = _parse_single(text)
    return Period(text, start, end)


def validate_period(value):
    try:
        parse_period(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_period") from None


validate_period.help_text = _("ISO 8601: 2025, 2025-03, 2025-Q1, 2025-03-31 or 2016/2025.")


def validate_period_point(value):
    """One period, not a range: a date that is announced ("June 2026", "Q3 2026")."""
    try:
        parse_point((value or "").strip())
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_period") from None


validate_period_point.help_text = _("ISO 8601: 2026, 2026-06, 2026-Q3 or 2026-06-30.")


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def sdmx_time_period(text):
    """The period as SDMX writes a TIME_PERIOD: a year, month, quarter or day as written
    (2025, 2025-03, 2025-Q1, 2025-03-31 are SDMX's Gregorian and reporting periods), a range
    as its first day and its length (2016/2025-05 is 2016-01-01/P9Y5M), since SDMX's time
    range is a start and a duration, not two ends. ValueError for a malformed period."""
    period = parse_period(text)
    if not period.is_range:
        return period.text
    after = period.end + datetime.timedelta(days=1)
    months = (after.year - period.start.year) * 12 + after.month - period.start.month
    if _add_months(period.start, months) > after:
        months -= 1
    days = (after - _add_months(period.start, months)).days
    years, months = divmod(months, 12)
    length = "".join(
        f"{count}{unit}" for count, unit in ((years, "Y"), (months, "M"), (days, "D")) if count
    )
    return f"{period.start.isoformat()}/P{length}"
