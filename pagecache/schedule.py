"""Scheduled publication: a page's lifetime ends at the next pending scheduled change.

The scheduled change fires no signal (the row is already in the database; time makes it
public), so each page's lifetime is capped at the earliest future value of a schedule field
such as `publish_at`, found generically on any content model that has one. A page rendered
before an item goes live is therefore never served after that moment.
"""

import functools
from datetime import UTC, datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from simple_history.models import HistoricalChanges

# DateTimeFields that schedule a future change of what is public (publication, withdrawal,
# a staged data release).
SCHEDULE_FIELD_NAMES = ("publish_at", "unpublish_at", "release_at")


def scheduled_models() -> list[tuple[type[models.Model], str]]:
    """(model, field name) pairs of content models (settings.PAGE_CACHE_CONTENT_APPS) that
    have a schedule field. Not their history records (django-simple-history copies the
    field): an old version's date schedules nothing."""
    pairs = []
    for app_label in settings.PAGE_CACHE_CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if issubclass(model, HistoricalChanges):
                continue
            for name in SCHEDULE_FIELD_NAMES:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:
                    continue
                if isinstance(field, models.DateTimeField):
                    pairs.append((model, name))
    return pairs


def next_scheduled_change(
    now: datetime | None = None, pairs: list[tuple[type[models.Model], str]] | None = None
) -> datetime | None:
    """The earliest future datetime in any schedule field of the given (model, field) pairs.

    None when nothing is scheduled. One query: each field's minimum, joined by UNION ALL
    (the page cache and the content fragments ask once per generation and process; one
    query a field made a render after each change some thirty queries dearer). The SQL of
    all content models is compiled once per process and connection (`_compiled_schedule`):
    compiling thirty parts cost more than running them.
    """
    now = now or timezone.now()
    if pairs is None:
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = _compiled_schedule(connection.vendor)
        if compiled is None:
            return None
        sql, params = compiled
        # The moment was compiled in as a stand-in: put this one in its place, adapted
        # for the database the same way.
        stand_in = connection.ops.adapt_datetimefield_value(_STAND_IN)
        moment = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(sql, [moment if value == stand_in else value for value in params])
            values = [_as_datetime(row[0]) for row in cursor.fetchall()]
        return min((value for value in values if value is not None), default=None)
    upcoming = _schedule_query(now, pairs)
    if upcoming is None:
        return None
    return min((value for value in upcoming if value is not None), default=None)


# An instant no schedule field holds, compiled into the SQL in place of "now".
_STAND_IN = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


@functools.lru_cache(maxsize=4)
def _compiled_schedule(vendor: str) -> tuple[str, list] | None:
    """The SQL and parameters of every content model's schedule query, compiled once."""
    query = _schedule_query(_STAND_IN, scheduled_models())
    if query is None:
        return None
    sql, params = query.query.sql_with_params()
    return sql, list(params)


def _as_datetime(value: object) -> datetime | None:
    """A datetime read by a raw cursor as the ORM would give it (SQLite returns text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
        if value is not None and settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)
    return value if isinstance(value, datetime) else None


def _schedule_query(
    now: datetime, pairs: list[tuple[type[models.Model], str]]
) -> models.QuerySet | None:
    # A constant to group by, so each part is one aggregate row (Django leaves it out of
    # the SQL: `SELECT MIN(field) FROM table WHERE field > now`).
    parts = [
        model._default_manager.filter(**{f"{name}__gt": now})
        .order_by()
        .annotate(one=models.Value(1))
        .values("one")
        .annotate(next=models.Min(name))
        .values_list("next", flat=True)
        for model, name in pairs
    ]
    if not parts:
        return None
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


class NextChangeMemo:
    """Per-process memo of next_scheduled_change(), valid for one generation.

    Any edit of a schedule field bumps the generation, so the memo cannot miss a new
    schedule; it is recomputed once the memoised moment has passed.
    """

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.generation: str | None = None
        self.value: datetime | None = None

    def get(self, generation: str, now: datetime) -> datetime | None:
        if generation != self.generation or (self.value is not None and self.value <= now):
            self.value = next_scheduled_change(now)
            self.generation = generation
        return self.value


next_change_memo = NextChangeMemo()


def seconds_until_tomorrow(now: datetime) -> float:
    """Seconds from `now` to the next midnight in the site's time zone."""
    today = timezone.localtime(now).date()
    tomorrow = datetime.combine(today + timedelta(days=1), time.min)
    return (timezone.make_aware(tomorrow) - now).total_seconds()


def page_lifetime(generation: str, now: datetime | None = None) -> float:
    """Seconds a page rendered now may be served: PAGE_CACHE_SECONDS, capped at the next
    scheduled change and at the next midnight of the site's time zone (a page or file can
    say today's date: a citation's "accessed"). 0 means do not cache."""
    now = now or timezone.now()
    seconds = min(settings.PAGE_CACHE_SECONDS, seconds_until_tomorrow(now))
    next_change = next_change_memo.get(generation, now)
    if next_change is not None:
        seconds = min(seconds, (next_change - now).total_seconds())
    return max(0.0, seconds)
