"""The public page cache: one component, a few public functions.

- The middleware (`pagecache.middleware.PageCacheMiddleware`) serves anonymous
  GET/HEAD pages from the cache: `lookup(request)` gives a `Hit` to `replay()` or a
  `Ticket` to render and `store()`.
- Every content change bumps the site-wide generation (`receivers`, connected by this app's
  `ready()`), inside the change's transaction; `bump()` / `bump_or_raise()` do it by hand.
  `PageCacheUnavailable` is raised when that write fails, so the change rolls back.
  `settle()` retries a bump this process owes (the page cache does at each request; a
  long-lived process without requests, such as the scheduler, before each run).
  `data_generation()` moves only with changes that may alter figures (what is drawn from
  them alone is kept under it: settings.PAGE_CACHE_NOT_DATA names the changes that cannot),
  `shared_generation()` with every change but one of an item's own texts (what a page shows
  of other items is kept under it: settings.PAGE_CACHE_OWN_TEXT names those texts).
- Which apps hold public content is configuration, not code of this app:
  settings.PAGE_CACHE_CONTENT_APPS and PAGE_CACHE_STAFF_ONLY_MODELS. Writes that bypass
  model signals send `pagecache.signals.content_changed`.
- Views declare the query parameters they read with a `page_cache_query_params` attribute;
  other parameters are dropped before the key is made.
- `reset()` empties this process's state and the shared store's generation (tests),
  `status()` probes the shared store (/healthz), `warm_up()` builds its client.

How it works: docs/operators/caching.md.
"""

import logging
import secrets

from . import generation, pages, schedule, shared
from .generation import (
    PageCacheUnavailable,
    Reach,
    bump,
    bump_or_raise,
    current_generation,
    current_generation_or_none,
    data_generation,
    is_pending,
    settle,
    shared_generation,
)
from .local import LocalPageStore, local_pages
from .pages import PAGE_KEY_PREFIX, Hit, Ticket, lookup, replay, store
from .schedule import next_scheduled_change, page_lifetime, scheduled_models
from .shared import shared_store

logger = logging.getLogger(__name__)

__all__ = [
    "Hit",
    "LocalPageStore",
    "PageCacheUnavailable",
    "Reach",
    "Ticket",
    "bump",
    "bump_or_raise",
    "current_generation",
    "current_generation_or_none",
    "data_generation",
    "PAGE_KEY_PREFIX",
    "is_pending",
    "local_page_count",
    "lookup",
    "next_scheduled_change",
    "page_lifetime",
    "replay",
    "reset",
    "scheduled_models",
    "settle",
    "shared_generation",
    "status",
    "store",
    "warm_up",
]


def reset() -> None:
    """Forget every cached page and this process's memos (tests, after a restore)."""
    pages.reset()
    schedule.next_change_memo.clear()
    generation.forget()
    shared.forget_store()
    try:
        bump_or_raise()
    except PageCacheUnavailable:
        pass  # a test with a failing cache: nothing to forget there


def local_page_count() -> int:
    """How many pages this process keeps its own copy of."""
    return len(local_pages)


def status() -> str:
    """ "ok" when the shared store answers a write and a read, else "down"."""
    token = secrets.token_hex(8)
    try:
        shared_store().set("healthz:probe", token, timeout=10)
        answered = shared_store().get("healthz:probe") == token
    except Exception:  # noqa: BLE001
        logger.exception("Health check: the cache does not answer.")
        return "down"
    return "ok" if answered else "down"


def warm_up() -> None:
    """Build the shared store's client (without connecting): gunicorn's master does it."""
    shared_store()
