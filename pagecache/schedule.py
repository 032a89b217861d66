"""Scheduled publication: a page's lifetime ends at the next pending scheduled change.

The scheduled change fires no signal (the row is already in the database; time makes it
public), so each page's lifetime is capped at the earliest future value of a schedule field
such as `publish_at`, found generically on any content model that has one. A page rendered
before an item goes live is therefore never served after that moment.
"""

from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

# DateTimeFields that schedule a future change of what is public (publication, withdrawal,
# a staged data release).
SCHEDULE_FIELD_NAMES = ("publish_at", "unpublish_at", "release_at")


def scheduled_models() -> list[tuple[type[models.Model], str]]:
    """(model, field name) pairs of content models (settings.PAGE_CACHE_CONTENT_APPS) that
    have a schedule field."""
    pairs = []
    for app_label in settings.PAGE_CACHE_CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
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
    query a field made a render after each change some thirty queries dearer).
    """
    now = now or timezone.now()
    pairs = scheduled_models() if pairs is None else pairs
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
    upcoming = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return min((value for value in upcoming if value is not None), default=None)


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


def page_lifetime(generation: str, now: datetime | None = None) -> float:
    """Seconds a page rendered now may be served: PAGE_CACHE_SECONDS, capped at the next
    scheduled change. 0 means do not cache."""
    now = now or timezone.now()
    seconds = settings.PAGE_CACHE_SECONDS
    next_change = next_change_memo.get(generation, now)
    if next_change is not None:
        seconds = min(seconds, (next_change - now).total_seconds())
    return max(0.0, seconds)
