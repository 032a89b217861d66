"""Looking pages up, storing them, replaying them; which requests and responses qualify."""

import functools
import hashlib
import logging
import math
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, TypeGuard

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.request import split_domain_port
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from . import generation as generations
from .local import PageEntry, local_pages
from .schedule import page_lifetime
from .shared import Store, shared_store

logger = logging.getLogger(__name__)

PAGE_KEY_PREFIX = "pagecache:page:"
LOCK_KEY_PREFIX = "pagecache:lock:"
NEW_PAGES_KEY_PREFIX = "pagecache:new-pages:"
# Lock value left by a renderer whose response could not be stored: the waiters render too.
RENDER_YOURSELF = "render"
POLL_SECONDS = 0.005

# Response headers that are not replayed from a cached page.
_NOT_STORED_HEADERS = {"set-cookie", "content-length", "x-page-cache"}
# A stored page may vary only on what the key already covers (or nothing that matters for
# an anonymous visitor without a session: Cookie).
_ALLOWED_VARY = {"cookie", "accept-encoding", "accept-language"}


@dataclass
class Hit:
    entry: PageEntry


@dataclass
class Ticket:
    """A miss: render the page, then hand the response to store()."""

    key: str
    generation: str
    known: bool  # the shared store holds this key already (under an older generation)
    has_query: bool  # the key has query parameters (a filter or search: countless variants)
    lock: str | None = None  # the single-flight lock this request holds
    # The page shows no item's own texts: kept while the generation's shared part holds.
    by_shared: bool = False


# --- query parameters ------------------------------------------------------------------


def query_params(view: Callable[..., Any]) -> frozenset[str]:
    """The query parameters a view reads: its `page_cache_query_params` (class attribute of
    a class-based view, or attribute of a function view). None declared: none read."""
    view_class = getattr(view, "view_class", None)
    return frozenset(
        getattr(view_class, "page_cache_query_params", None)
        or getattr(view, "page_cache_query_params", None)
        or ()
    )


def view_attribute(view: Callable[..., Any], name: str, default: Any) -> Any:
    """An attribute a view declares: on the class of a class-based view, or on a function
    view."""
    view_class = getattr(view, "view_class", None)
    return getattr(view_class, name, getattr(view, name, default))


@dataclass(frozen=True)
class ViewFacts:
    params: frozenset[str]
    # False: the page shows no item's own texts (settings.PAGE_CACHE_OWN_TEXT: a region's
    # summary, a country's profile), so it is kept while the generation's shared part
    # holds; an edit of such a text makes it stale. Views say so with
    # `page_cache_shows_own_texts = False`; a view that does not say shows them.
    shows_own_texts: bool = True


@functools.lru_cache(maxsize=4096)
def _view_facts(urlconf: str, path: str) -> ViewFacts:
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return ViewFacts(frozenset())
    return ViewFacts(
        query_params(match.func),
        bool(view_attribute(match.func, "page_cache_shows_own_texts", True)),
    )


def canonical_query(request: HttpRequest) -> str:
    """Keep only the parameters the view reads, in a stable order, on the request itself.

    Any other parameter (`?utm=...`) would only multiply the cached copies of one page: it is
    dropped before the view sees it, so the page rendered is exactly the one stored under
    the key without it.
    """
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return ""
    allowed = _view_facts(settings.ROOT_URLCONF, request.path_info).params
    kept = QueryDict(mutable=True)
    for name in sorted(request.GET):
        if name in allowed:
            kept.setlist(name, request.GET.getlist(name))
    query = kept.urlencode()
    if query != raw:
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
    return query


def page_key(request: HttpRequest) -> str:
    query = canonical_query(request)
    language = translation.get_language_from_request(request, check_path=False)
    # The host without its port: Django accepts any port for an allowed host, and every port
    # would otherwise be a new copy of every page.
    host, _port = split_domain_port(request.get_host())
    raw = f"{request.scheme}|{host}|{language}|{request.path}|{query}"
    return PAGE_KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def is_excluded_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS)


def is_cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not is_excluded_path(request.path)
    )


def _warn(message: str, error: Exception) -> None:
    # One line, no traceback: during an outage every request fails the same way, and a
    # traceback each time would bury the log (healthz and the first line say enough).
    logger.warning("%s (%s: %s)", message, type(error).__name__, error)


# --- lookup ----------------------------------------------------------------------------


def _valid(
    entry: PageEntry | None,
    now: float,
    generations_ok: Collection[str],
    shared_ok: Collection[str] = (),
) -> TypeGuard[PageEntry]:
    """Whether `entry` may be served: unexpired, rendered under a servable generation or,
    for a page that shows no item's own texts, under a servable shared part."""
    if entry is None or now >= entry["expires"]:
        return False
    if entry["generation"] in generations_ok:
        return True
    shared = entry.get("shared")
    return shared is not None and shared in shared_ok


def _servable(
    generation: str, now: float, by_shared: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The generations, and (for a page that shows no item's own texts) the shared parts,
    whose pages may be served while `generation` is current."""
    shared = generations.servable_shared_parts(generation, now) if by_shared else ()
    return generations.servable_generations(generation, now), shared


def lookup(request: HttpRequest) -> Hit | Ticket | None:
    """A Hit, a Ticket (render, then store()), or None: serve uncached (cache down).

    One round trip to the shared store: the generation alone when this process holds a
    copy of the page (local_pages), else the generation and the page. On a miss, only one
    request per page and generation renders it; the others wait for it (single_flight).
    """
    if not generations.settle():
        return None  # this process owes a bump: its view of the generation is suspect
    key = page_key(request)
    by_shared = not _view_facts(settings.ROOT_URLCONF, request.path_info).shows_own_texts
    store = shared_store()
    entry = local_pages.get(key)
    now = timezone.now().timestamp()
    try:
        if entry is not None:
            generation = store.get(generations.GENERATION_KEY)
            if generation is not None and _valid(
                entry, now, *_servable(generation, now, by_shared)
            ):
                return Hit(entry)  # this process's copy (get() marked it recently used)
            # Changed since this copy (or expired): another app server may have stored the
            # page already under the new generation.
            local_pages.discard(key)
            entry = None if generation is None else store.get(key)
        else:
            found = store.get_many([generations.GENERATION_KEY, key])
            generation = found.get(generations.GENERATION_KEY)
            entry = found.get(key)
        if generation is None:
            generation = generations.current_generation()
    except Exception as error:  # noqa: BLE001 - any cache outage: serve uncached, /healthz says why
        _warn("Page cache unavailable; serving uncached.", error)
        return None
    if _valid(entry, now, *_servable(generation, now, by_shared)):
        local_pages.put(key, entry)
        return Hit(entry)
    ticket = Ticket(
        key, generation, known=entry is not None, has_query=bool(request.GET), by_shared=by_shared
    )
    try:
        return single_flight(ticket)
    except Exception as error:  # noqa: BLE001
        _warn("Page cache lock unavailable; rendering.", error)
        return ticket


def single_flight(ticket: Ticket) -> Hit | Ticket:
    """Take the page's render lock, or wait up to PAGE_CACHE_WAIT_SECONDS for its holder.

    The lock expires after PAGE_CACHE_WAIT_SECONDS, so a holder that dies (or is slower than
    that) delays the others by at most that long: then one of them takes the lock over, or
    each renders the page itself.
    """
    wait = settings.PAGE_CACHE_WAIT_SECONDS
    if wait <= 0:
        return ticket
    store = shared_store()
    lock = f"{LOCK_KEY_PREFIX}{ticket.key}:{ticket.generation}"
    if store.add(lock, 1, timeout=wait):
        ticket.lock = lock
        return ticket
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        found = store.get_many([ticket.key, lock])
        entry = found.get(ticket.key)
        if _valid(entry, timezone.now().timestamp(), (ticket.generation,)):
            local_pages.put(ticket.key, entry)
            return Hit(entry)
        holder = found.get(lock)
        if holder == RENDER_YOURSELF:
            return ticket
        if holder is None and store.add(lock, 1, timeout=wait):
            ticket.lock = lock
            return ticket
    return ticket


# --- store -----------------------------------------------------------------------------


def is_storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # the page embeds this visitor's CSRF token
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= _ALLOWED_VARY


def store(ticket: Ticket, request: HttpRequest, response: HttpResponseBase) -> bool:
    """Store the response rendered for `ticket` if it qualifies; always release the lock."""
    stored = False
    try:
        # A streamed response (not an HttpResponse) is never storable.
        if (
            request.method == "GET"
            and isinstance(response, HttpResponse)
            and is_storable(request, response)
        ):
            stored = _store(ticket, response)
    finally:
        if ticket.lock is not None:
            _release(ticket.lock, stored)
    return stored


def _store(ticket: Ticket, response: HttpResponse) -> bool:
    now = timezone.now()
    try:
        lifetime = page_lifetime(ticket.generation, now)
    except Exception as error:  # noqa: BLE001 - e.g. database hiccup: simply do not cache
        _warn("Could not compute the page lifetime; not caching.", error)
        return False
    if generations.is_pending(ticket.generation) and not generations.writes_pending():
        # Rendered while another request's change is being committed: maybe from old data.
        lifetime = min(lifetime, settings.PAGE_CACHE_PENDING_SECONDS)
    if lifetime <= 0:
        return False
    entry: PageEntry = {
        "generation": ticket.generation,
        "expires": now.timestamp() + lifetime,
        "status": response.status_code,
        "headers": [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in _NOT_STORED_HEADERS
        ],
        "content": response.content,
        # A page that may be framed (the chart embed) must stay so when replayed: the
        # middleware that adds X-Frame-Options reads this mark, not a header.
        "xframe_options_exempt": getattr(response, "xframe_options_exempt", False),
        "shared": generations.shared_generation(ticket.generation) if ticket.by_shared else None,
    }
    store = shared_store()
    try:
        if ticket.has_query and not ticket.known and not _admit_new_page(store):
            return False
        store.set(ticket.key, entry, timeout=math.ceil(lifetime))
    except Exception as error:  # noqa: BLE001
        _warn("Could not store a page in the cache.", error)
        return False
    local_pages.put(ticket.key, entry)
    return True


def _admit_new_page(store: Store) -> bool:
    """At most PAGE_CACHE_MAX_NEW_PAGES new pages with query parameters per
    PAGE_CACHE_SECONDS window.

    Every key expires within PAGE_CACHE_SECONDS unless it is stored again, so a flood of
    distinct queries (e.g. endless search terms) can add only so many pages; pages already in
    the store are refreshed freely. Pages without parameters are not counted: only existing
    content answers 200 there, so their number is bounded already, and a flood of queries
    must not keep them out of the cache.
    """
    window_seconds = max(1, settings.PAGE_CACHE_SECONDS)
    window = int(time.time() // window_seconds)
    count = store.incr(f"{NEW_PAGES_KEY_PREFIX}{window}", timeout=2 * window_seconds)
    return count <= settings.PAGE_CACHE_MAX_NEW_PAGES


def _release(lock: str, stored: bool) -> None:
    store = shared_store()
    try:
        if stored:
            store.delete(lock)
        else:
            store.set(lock, RENDER_YOURSELF, timeout=settings.PAGE_CACHE_WAIT_SECONDS)
    except Exception as error:  # noqa: BLE001 - it expires anyway
        _warn("Could not release a page cache lock.", error)


# --- replay ----------------------------------------------------------------------------


def replay(request: HttpRequest, hit: Hit) -> HttpResponseBase:
    entry = hit.entry
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response.headers[name] = value
    # Set here: the middleware below that would set it (CommonMiddleware) does not run for
    # a hit, and a HEAD response must announce the length of the GET body.
    response.headers["Content-Length"] = str(len(entry["content"]))
    response.headers["X-Page-Cache"] = "hit"
    response.xframe_options_exempt = entry.get("xframe_options_exempt", False)
    return conditional_response(request, response)


def conditional_response(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """`response`, or a 304 when the request's ETag matches it. A 304's headers update the
    browser's stored copy, so it keeps the page's own policy and its framing (the chart
    embed may be framed; a default policy added to its 304 would deny that)."""
    result = get_conditional_response(
        request,
        etag=response.get("ETag"),
        # Django reads only its status and headers, so a streamed response does too; the
        # stubs ask for an HttpResponse.
        response=response,  # type: ignore[arg-type]
    )
    if result is None:  # only without a response
        return response
    if result is not response:
        if "Content-Security-Policy" in response:
            result["Content-Security-Policy"] = response["Content-Security-Policy"]
        result.xframe_options_exempt = getattr(response, "xframe_options_exempt", False)
    return result


def is_html(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def add_http_caching_headers(
    request: HttpRequest, response: HttpResponseBase, anonymous: bool
) -> None:
    """Cache-Control and a content ETag on HTML pages that did not set their own.

    Public pages: shared caches (browsers, a CDN) may keep them but must revalidate
    (max-age HTTP_CACHE_MAX_AGE, 0 by default, so an edit shows at once); the ETag makes
    that revalidation a cheap 304. Staff, logged-in users and the admin: private, no-store.
    No Last-Modified: its one-second resolution could turn a change made within the same
    second into a wrong 304; the ETag has no such gap.
    """
    if not is_html(response) or response.streaming:
        return
    if not response.has_header("Cache-Control"):
        user = getattr(request, "user", None)
        is_user = user is not None and user.is_authenticated
        if anonymous and not is_user and not is_excluded_path(request.path):
            patch_cache_control(
                response, public=True, max_age=settings.HTTP_CACHE_MAX_AGE, must_revalidate=True
            )
        else:
            patch_cache_control(response, private=True, no_store=True)
    if (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and "no-store" not in response.get("Cache-Control", "")
        and not response.has_header("ETag")
    ):
        set_response_etag(response)


def reset() -> None:
    local_pages.clear()
    _view_facts.cache_clear()
