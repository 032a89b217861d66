"""The public page cache: a site-wide generation that any content change bumps.

Every cached page is stored together with the generation it was rendered under; a page is
served only while the stored generation equals the current one. So one cache write (the new
generation) makes every cached page stale at once, on every app server sharing the cache:

- model changes: post_save, post_delete and m2m_changed of every model in the content apps
  (regions, projects, statistics, pages) bump the generation;
- changes that bypass model signals (bulk imports) send `wbportal.signals.content_changed`,
  which bumps it too;
- scheduled publication: each page's lifetime is capped at the next pending scheduled change
  (the earliest future value of a schedule field such as `publish_at`, found generically on
  any content model that has one), so a page rendered before an item goes live is never
  served after that moment.
"""

import threading
import time
import uuid
from collections import OrderedDict

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .signals import content_changed

GENERATION_KEY = "pagecache:generation"
PAGE_KEY_PREFIX = "pagecache:page:"

# Apps whose models are public content: a change to any of their rows changes public pages.
CONTENT_APPS = ("regions", "projects", "statistics", "pages")
# DateTimeFields that schedule a future change of what is public (publication, withdrawal).
SCHEDULE_FIELD_NAMES = ("publish_at", "unpublish_at")


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def new_generation():
    """A value never used before: time of the change (ns) plus a random part.

    Not a counter on purpose: if the generation key is ever evicted, a fresh value still
    differs from every generation a cached page may carry.
    """
    return f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"


def current_generation(cache=None):
    cache = cache or page_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    """Make every cached page stale (all app servers sharing the cache)."""
    page_cache().set(GENERATION_KEY, new_generation(), timeout=None)


def bump_generation_on_commit():
    # Bump now (the change is visible to this transaction's later reads) and again after
    # commit: a page rendered by another request between the two, from the old committed
    # data, is then not kept.
    bump_generation()
    # robust: the change is committed by then; a failure here is logged, not raised.
    transaction.on_commit(bump_generation, robust=True)


# --- Scheduled changes -------------------------------------------------------------------


def scheduled_models():
    """(model, field name) pairs of content models that have a schedule field."""
    pairs = []
    for app_label in CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for name in SCHEDULE_FIELD_NAMES:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:
                    continue
                if isinstance(field, models.DateTimeField):
                    pairs.append((model, name))
    return pairs


def next_scheduled_change(now=None, pairs=None):
    """The earliest future datetime in any schedule field of the given (model, field) pairs.

    None when nothing is scheduled. One small aggregate query per scheduled field.
    """
    now = now or timezone.now()
    pairs = scheduled_models() if pairs is None else pairs
    upcoming = []
    for model, name in pairs:
        value = model._default_manager.filter(**{f"{name}__gt": now}).aggregate(
            next=models.Min(name)
        )["next"]
        if value is not None:
            upcoming.append(value)
    return min(upcoming, default=None)


class _NextChangeMemo:
    """Per-process memo of next_scheduled_change(), valid for one generation.

    Any edit of a schedule field bumps the generation, so the memo cannot miss a new
    schedule; it is recomputed once the memoised moment has passed.
    """

    def __init__(self):
        self.generation = None
        self.value = None

    def get(self, generation, now):
        if generation != self.generation or (self.value is not None and self.value <= now):
            self.value = next_scheduled_change(now)
            self.generation = generation
        return self.value


_next_change_memo = _NextChangeMemo()


class LocalPageStore:
    """This process's copy of the cached pages it served last, at most `max_bytes` of them.

    A hit then fetches only the small generation value from the shared cache instead of the
    whole page: for a 170 KB page that transfer and its unpickling were most of the cost of a
    hit (bench/results.md). Never stale for the same reason as the shared cache: an entry is
    served only while its generation is the current one, which is read from the shared cache
    on every request, and until its own expiry. Least recently used entries go first.
    """

    def __init__(self):
        self._entries = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        max_bytes = settings.PAGE_CACHE_LOCAL_BYTES
        size = len(entry["content"])
        with self._lock:
            self._discard(key)
            # A page bigger than a quarter of the budget would evict too much to be worth it.
            if size * 4 > max_bytes:
                return
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > max_bytes:
                self._discard(next(iter(self._entries)))

    def discard(self, key):
        with self._lock:
            self._discard(key)

    def _discard(self, key):
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry["content"])

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self):
        return len(self._entries)


local_pages = LocalPageStore()


def page_lifetime(generation, now=None):
    """Seconds a page rendered now may be served: PAGE_CACHE_SECONDS, capped at the next
    scheduled change. 0 means do not cache."""
    now = now or timezone.now()
    seconds = settings.PAGE_CACHE_SECONDS
    next_change = _next_change_memo.get(generation, now)
    if next_change is not None:
        seconds = min(seconds, (next_change - now).total_seconds())
    return max(0.0, seconds)


# --- Signal receivers --------------------------------------------------------------------


def _is_content_model(sender):
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return False
    if meta.app_label in CONTENT_APPS:
        return True
    # An auto-created M2M through table belongs to its content model's app anyway.
    return bool(meta.auto_created and meta.auto_created._meta.app_label in CONTENT_APPS)


def on_model_change(sender, **kwargs):
    # Fixture loads (raw saves) change content too: no exception for them.
    if _is_content_model(sender):
        bump_generation_on_commit()


def on_m2m_change(sender, action, **kwargs):
    if action.startswith("post_") and _is_content_model(sender):
        bump_generation_on_commit()


def on_content_changed(sender, **kwargs):
    bump_generation_on_commit()


def connect_signals():
    post_save.connect(on_model_change, dispatch_uid="wbportal.cache.post_save")
    post_delete.connect(on_model_change, dispatch_uid="wbportal.cache.post_delete")
    m2m_changed.connect(on_m2m_change, dispatch_uid="wbportal.cache.m2m_changed")
    content_changed.connect(on_content_changed, dispatch_uid="wbportal.cache.content_changed")
