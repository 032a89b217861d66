"""The site-wide generation that every content change bumps.

Every cached page is stored together with the generation it was rendered under and is served
only while that is still the current one, so one write (a new generation) makes every cached
page stale at once, on every app server.

A change and its bump succeed or fail together. Every content change runs inside a
transaction (the admin: pagecache.middleware.AdminWriteMiddleware; imports and
commands: their own atomic blocks), and its first signal writes a new generation before the
commit: if that write fails (Redis down, or answering reads but refusing writes as
`maxmemory` with `noeviction` does), PageCacheUnavailable is raised and the change is rolled
back. Nothing was saved, and nothing is stale.

Until the commit, the committed data is still that of the generation before: the pending
generation names it, and its pages are still served (an edit costs no render before it is
committed). Pages rendered meanwhile are kept only for PAGE_CACHE_PENDING_SECONDS, and the
previous generation's pages are served only until that deadline. After the commit, an
ordinary bump makes all of them stale at once. Should that write fail (the change is
committed by then, so it can only be logged), the pending generation's pages expire on their
own a few seconds later, and this process keeps retrying the bump (serving nothing from the
cache) until a write succeeds. So once Redis accepts writes again, no page older than the
last committed change is served, from the shared store or any process's copy.

How far a change reaches (`Reach`): a generation is "<content>~shared~<shared>~data~<data>".
Every change writes a new content part, so every page goes stale. The data part moves only
with changes that may alter how figures are shown; the shared part with every change but one
of an item's own texts (a region's summary, a country's profile: settings.PAGE_CACHE_OWN_TEXT).
See pagecache.receivers for which is which. What is drawn from figures alone (an indicator's
charts and tables, its chart files) is keyed by the data generation: a change of a project
or a text redraws no chart. What a page shows of other items (a region page's projects,
figures, map and offices) is keyed by the shared generation: editing the region's summary
renders only the summary again. Nothing is kept under either while this process owes a bump.
"""

import atexit
import enum
import functools
import logging
import threading
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .shared import shared_store

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# A pending generation: "<the generation before>~pending~<deadline, ms since epoch>~<random>".
PENDING_MARKER = "~pending~"
# Before a generation's shared part, and before its data part.
SHARED_MARKER = "~shared~"
DATA_MARKER = "~data~"
# A failed bump is retried at most this often by the process that owes it.
RETRY_INTERVAL_SECONDS = 1.0


class PageCacheUnavailable(Exception):
    """A content change could not make the cached pages stale: the shared cache refused the
    write. Raised inside the change's transaction, so the change is rolled back."""

    def __init__(self, message: str | Promise | None = None) -> None:
        super().__init__(
            message
            or _(
                "The page cache could not be updated, so nothing was saved. Try again in a minute."
            )
        )


class Reach(enum.IntEnum):
    """How much of the generation a change moves, narrowest first (a transaction of several
    changes moves what its widest one does)."""

    # Only an item's own texts (settings.PAGE_CACHE_OWN_TEXT): the content part.
    OWN_TEXT = 0
    # Content that cannot alter how figures are shown: the content and shared parts.
    CONTENT = 1
    # Anything else: every part.
    DATA = 2


def new_token() -> str:
    """A value never used before: time of the change (ns) plus a random part.

    Not a counter on purpose: if the generation key is ever evicted, a fresh value still
    differs from every generation a cached page may carry.
    """
    return f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"


def new_generation() -> str:
    """A generation whose parts are all new."""
    token = new_token()
    return f"{token}{SHARED_MARKER}{token}{DATA_MARKER}{token}"


def part(generation: str, marker: str, now: float) -> str:
    """The part of a generation from `marker` on (as read by another thread than the
    writer's): the data part after DATA_MARKER, the shared part (with the data part) after
    SHARED_MARKER; the whole generation when it has no such marker (an older release's).

    While a change is being committed, the committed data is still that of the generation
    before it, so its part is that one's; once the pending deadline has passed (its writer
    died or could not bump) the whole pending value, which is never used again.
    """
    if PENDING_MARKER in generation:
        base, rest = generation.split(PENDING_MARKER, 1)
        if now * 1000 >= int(rest.split("~", 1)[0]):
            return generation
        generation = base
    _head, found, tail = generation.partition(marker)
    return tail if found else generation


def data_part(generation: str, now: float) -> str:
    return part(generation, DATA_MARKER, now)


def shared_part(generation: str, now: float) -> str:
    return part(generation, SHARED_MARKER, now)


def is_pending(generation: str) -> bool:
    return PENDING_MARKER in generation


def servable_generations(generation: str, now: float) -> tuple[str, ...]:
    """The generations whose pages may be served while `generation` is current.

    While a change is being committed (a pending generation, until its deadline) the
    committed data is still that of the generation before it: its pages are still true,
    except for the thread whose transaction made the change (it reads its own change).
    """
    if PENDING_MARKER in generation and not writes_pending():
        base, rest = generation.split(PENDING_MARKER, 1)
        deadline_ms = int(rest.split("~", 1)[0])
        if now * 1000 < deadline_ms:
            return (generation, base)
    return (generation,)


def servable_shared_parts(generation: str, now: float) -> tuple[str, ...]:
    """The shared parts whose pages may be served while `generation` is current, for pages
    that show no item's own texts (an edit of those keeps the shared part): those of the
    servable generations, or the whole pending generation for the thread whose transaction
    made it pending (it reads its own change), as shared_generation() keys them."""
    if is_pending(generation) and writes_pending():
        return (generation,)
    return tuple({part(g, SHARED_MARKER, now) for g in servable_generations(generation, now)})


def current_generation() -> str:
    store = shared_store()
    generation = store.get(GENERATION_KEY)
    if generation is None:
        store.add(GENERATION_KEY, new_generation(), timeout=None)
        generation = store.get(GENERATION_KEY)
    return generation


def current_generation_or_none() -> str | None:
    """The current generation, or None when nothing may be kept under it: the store is not
    shared by every process serving the site (settings.PAGE_CACHE_GENERATION_SHARED), does
    not answer, or keeps nothing (a dummy cache)."""
    if not settings.PAGE_CACHE_GENERATION_SHARED:
        return None
    try:
        return current_generation()
    except Exception:  # noqa: BLE001 - the cache is down
        return None


class _Debt:
    """Whether this process owes a bump that failed after its change was committed."""

    def __init__(self) -> None:
        self._owed = False
        self._last_try = 0.0
        self._lock = threading.Lock()

    @property
    def owed(self) -> bool:
        return self._owed

    def incur(self) -> None:
        self._owed = True

    def settle(self, force: bool = False) -> bool:
        """Retry the owed bump (at most once a RETRY_INTERVAL_SECONDS); True once paid."""
        if not self._owed:
            return True
        now = time.time()
        with self._lock:
            if not force and now - self._last_try < RETRY_INTERVAL_SECONDS:
                return False
            self._last_try = now
        try:
            shared_store().set(GENERATION_KEY, new_generation(), timeout=None)
        except Exception:  # noqa: BLE001 - still down: keep owing
            return False
        self._owed = False
        if not force:  # at exit the log's stream may be closed already
            logger.warning("Page cache: the bump owed since a failed write is done.")
        return True

    def clear(self) -> None:
        self._owed = False
        self._last_try = 0.0


debt = _Debt()


def bump_or_raise(reach: Reach = Reach.DATA) -> None:
    """Make every cached page stale now; PageCacheUnavailable if the write fails.

    A change of narrower `reach` keeps the parts it cannot move; not when the current
    generation is pending for another transaction than this thread's own: that change may
    be committed already with its bump lost (a failed write, a worker killed after its
    commit), and keeping the parts from before it would bring its old content back.
    """
    store = shared_store()
    token = new_token()
    try:
        if reach >= Reach.DATA:
            store.set(GENERATION_KEY, new_generation(), timeout=None)
            return
        if reach == Reach.CONTENT:
            head, marker, default = f"{token}{SHARED_MARKER}{token}", DATA_MARKER, token
        else:
            head, marker, default = token, SHARED_MARKER, f"{token}{DATA_MARKER}{token}"
        store.set_keeping_tail(
            GENERATION_KEY,
            head=head,
            marker=marker,
            cut=PENDING_MARKER,
            default=default,
            own=getattr(_thread, "pending_suffix", ""),
        )
    except Exception as error:
        raise PageCacheUnavailable() from error


def bump(reach: Reach = Reach.DATA) -> bool:
    """Make every cached page stale now; on failure log it and retry later (see _Debt)."""
    try:
        bump_or_raise(reach)
    except PageCacheUnavailable:
        debt.incur()
        logger.error(
            "Page cache: a committed change could not bump the generation; retrying.",
            exc_info=True,
        )
        return False
    return True


_thread = threading.local()


def content_changed(using: str | None = None, reach: Reach = Reach.DATA) -> None:
    """Called for every change of public content, while its transaction is still open, with
    how far it reaches (the parts of the generation a narrower change cannot move stay).

    In a transaction: a pending bump now (raises, so the change rolls back, if it cannot be
    written) and an ordinary one after the commit. Outside one (autocommit: the row is
    already committed), only the ordinary bump; if that fails the change cannot be undone,
    so the failure is raised to the caller and the bump retried later.
    """
    if transaction.get_connection(using).in_atomic_block:
        deadline_ms = int((time.time() + settings.PAGE_CACHE_PENDING_SECONDS) * 1000)
        suffix = f"{PENDING_MARKER}{deadline_ms}~{uuid.uuid4().hex[:8]}"
        try:
            # Expires on its own as a safety net should this process die before its commit.
            _value, before = shared_store().set_suffix(
                GENERATION_KEY,
                suffix,
                default=new_generation(),
                marker=PENDING_MARKER,
                timeout=settings.PAGE_CACHE_SECONDS,
            )
        except Exception as error:
            raise PageCacheUnavailable() from error
        own = getattr(_thread, "pending_suffix", "")
        if before is not None and is_pending(before) and not (own and before.endswith(own)):
            # Another transaction's change was pending: it may be committed already with
            # its bump lost, so this one's bump must not keep any part from before it.
            reach = Reach.DATA
        _thread.pending = True
        _thread.pending_suffix = suffix
        batch = getattr(_thread, "after_commit", None)
        if batch is None or batch.done:
            batch = _thread.after_commit = _AfterCommit()
        batch.reach = max(batch.reach, reach)
        # One callback a change (one registered in a savepoint rolled back is dropped), one
        # bump a transaction: two bumps a moment apart would let a page be rendered for the
        # first generation while the second already makes it stale, twice the cold render.
        transaction.on_commit(functools.partial(_bump_after_commit, batch), using=using)
    elif not bump(reach):
        raise PageCacheUnavailable(
            _("The change was saved, but the page cache could not be updated.")
        )


class _AfterCommit:
    """The bump a thread's transaction owes after its commit: the widest reach of its
    changes, and whether it is done."""

    def __init__(self) -> None:
        self.reach = Reach.OWN_TEXT
        self.done = False


def _bump_after_commit(batch: _AfterCommit) -> None:
    if batch.done:
        return
    batch.done = True
    _thread.pending = False
    bump(batch.reach)
    _thread.pending_suffix = ""


def settle() -> bool:
    """At the start of a request: finish what earlier transactions of this thread left.

    A pending bump whose transaction was rolled back leaves the generation pending (pages
    kept only briefly): replace it once this thread is out of the transaction. Then retry a
    bump owed since a failed write.
    """
    if writes_pending() and not transaction.get_connection().in_atomic_block:
        _thread.pending = False
        _thread.pending_suffix = ""
        _thread.after_commit = None
        bump()
    return debt.settle()


def data_generation(generation: str | None = None) -> str | None:
    """The data generation of `generation` (default: the current one), or None when nothing
    may be kept under it: this process owes a bump (the generation may not show a committed
    change yet), or the shared store does not answer. A thread whose own transaction changed
    content gets the whole pending generation, as its pages are keyed (it reads its own
    changes: nobody else shares that)."""
    return _generation_from(generation, DATA_MARKER)


def shared_generation(generation: str | None = None) -> str | None:
    """The shared generation of `generation` (default: the current one): as
    data_generation, moved by every change but one of an item's own texts."""
    return _generation_from(generation, SHARED_MARKER)


def _generation_from(generation: str | None, marker: str) -> str | None:
    if debt.owed:
        return None
    if generation is None:
        generation = current_generation_or_none()
    if generation is None:
        return None
    if is_pending(generation) and writes_pending():
        return generation
    return part(generation, marker, time.time())


def writes_pending() -> bool:
    """Whether this thread's open transaction made the generation pending. Its own pages
    show its change (the others' may not); in tests, which never commit, that is all."""
    return getattr(_thread, "pending", False)


def forget() -> None:
    """Tests: forget this process's pending and owed bumps."""
    _thread.pending = False
    _thread.pending_suffix = ""
    _thread.after_commit = None
    debt.clear()


@atexit.register
def _at_exit() -> None:
    # A management command may end before a later request could settle for it.
    if getattr(_thread, "pending", False):
        _thread.pending = False
        debt.incur()  # settled just below, quietly
    debt.settle(force=True)
