import hashlib
import logging
import math

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)

from . import cache as page_cache_module

logger = logging.getLogger(__name__)

# Response headers that are not replayed from a cached page.
_NOT_STORED_HEADERS = {"set-cookie", "content-length", "x-page-cache"}
# A stored page may vary only on what the key already covers (or nothing that matters for
# an anonymous visitor without a session: Cookie).
_ALLOWED_VARY = {"cookie", "accept-encoding", "accept-language"}


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with settings.ADMIN_CONTENT_SECURITY_POLICY under the admin.

    Public pages always get the strict CONTENT_SECURITY_POLICY; only /admin/ (Django's and
    django-import-export's pages need inline styles and handlers) gets the relaxed one.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.ADMIN_URL_PREFIX)
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


def client_ip(request):
    """The client's address for login throttling (settings.AXES_CLIENT_IP_CALLABLE).

    With TRUSTED_PROXY_COUNT = n > 0, the n-th address from the right of X-Forwarded-For, the
    one our own proxies saw (addresses further left are the client's to forge).
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


class PageCacheMiddleware:
    """Public pages from the cache, plus HTTP caching headers for every HTML page.

    Place right after WhiteNoise, before SessionMiddleware: a hit then costs one cache
    round trip (the generation and the page in one get_many) and skips sessions, auth and
    the view.

    Only anonymous GET/HEAD requests are served from or stored to the cache: a request with
    a session or messages cookie, or an Authorization header (staff, logged-in users), is
    always rendered afresh and never stored, so no draft preview can reach the cache. A
    response is stored only if it is a 200 without cookies, did not use the CSRF token and
    is not marked private/no-store.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        anonymous = self.is_anonymous_request(request)
        use_cache = (
            anonymous
            and settings.PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not self.is_excluded_path(request.path)
        )
        key = generation = None
        if use_cache:
            key = self.page_key(request)
            generation, hit = self.lookup(key)
            if hit is not None:
                return self.replay(request, hit)

        response = self.get_response(request)
        self.add_http_caching_headers(request, response, anonymous)
        if use_cache and generation is not None:
            if request.method == "GET" and self.is_storable(request, response):
                self.store(key, generation, response)
            response.headers["X-Page-Cache"] = "miss"
        elif settings.PAGE_CACHE and self.is_html(response):
            response.headers["X-Page-Cache"] = "bypass"
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response = get_conditional_response(
                request, etag=response.get("ETag"), response=response
            )
        return response

    # --- request classification ----------------------------------------------------------

    @staticmethod
    def is_anonymous_request(request):
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        return "HTTP_AUTHORIZATION" not in request.META

    @staticmethod
    def is_excluded_path(path):
        return any(path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS)

    @staticmethod
    def page_key(request):
        language = translation.get_language_from_request(request, check_path=False)
        raw = "|".join(
            [request.scheme, request.get_host(), language, request.get_full_path()]
        ).encode()
        return page_cache_module.PAGE_KEY_PREFIX + hashlib.sha256(raw).hexdigest()

    # --- cache access ---------------------------------------------------------------------

    def lookup(self, key):
        """(current generation, stored entry if still valid). (None, None) if the cache is down.

        One round trip to the shared cache: the generation alone when this process holds a
        copy of the page (page_cache_module.local_pages), else the generation and the page.
        """
        cache = page_cache_module.page_cache()
        local = page_cache_module.local_pages
        entry = local.get(key)
        from_shared = entry is None
        try:
            if entry is not None:
                generation = cache.get(page_cache_module.GENERATION_KEY)
                if generation is None or entry["generation"] != generation:
                    # Changed since this copy: another app server may have stored the page
                    # already under the new generation.
                    local.discard(key)
                    entry = None if generation is None else cache.get(key)
                    from_shared = True
            else:
                found = cache.get_many([page_cache_module.GENERATION_KEY, key])
                generation = found.get(page_cache_module.GENERATION_KEY)
                entry = found.get(key)
            if generation is None:
                generation = page_cache_module.current_generation(cache)
        except Exception:  # noqa: BLE001 - any cache outage: serve uncached, /healthz says why
            logger.warning("Page cache unavailable; serving uncached.", exc_info=True)
            return None, None
        if entry is None or entry["generation"] != generation:
            return generation, None
        if timezone.now().timestamp() >= entry["expires"]:
            local.discard(key)
            return generation, None
        if from_shared:  # a local hit is already kept (and marked recently used by get())
            local.put(key, entry)
        return generation, entry

    def store(self, key, generation, response):
        now = timezone.now()
        try:
            lifetime = page_cache_module.page_lifetime(generation, now)
        except Exception:  # noqa: BLE001 - e.g. database hiccup: simply do not cache
            logger.warning("Could not compute the page lifetime; not caching.", exc_info=True)
            return
        if lifetime <= 0:
            return
        entry = {
            "generation": generation,
            "expires": now.timestamp() + lifetime,
            "status": response.status_code,
            "headers": [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in _NOT_STORED_HEADERS
            ],
            "content": response.content,
        }
        try:
            page_cache_module.page_cache().set(key, entry, timeout=math.ceil(lifetime))
        except Exception:  # noqa: BLE001
            logger.warning("Could not store a page in the cache.", exc_info=True)
            return
        page_cache_module.local_pages.put(key, entry)

    def replay(self, request, entry):
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response.headers[name] = value
        response.headers["X-Page-Cache"] = "hit"
        return get_conditional_response(request, etag=response.get("ETag"), response=response)

    # --- response classification and headers --------------------------------------------

    @staticmethod
    def is_html(response):
        return response.get("Content-Type", "").startswith("text/html")

    def is_storable(self, request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
            return False  # the page embeds this visitor's CSRF token
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return vary <= _ALLOWED_VARY

    def add_http_caching_headers(self, request, response, anonymous):
        """Cache-Control and a content ETag on HTML pages that did not set their own.

        Public pages: shared caches (browsers, a CDN) may keep them but must revalidate
        (max-age HTTP_CACHE_MAX_AGE, 0 by default, so an edit shows at once); the ETag
        makes that revalidation a cheap 304. Staff, logged-in users and the admin: private,
        no-store. No Last-Modified: its one-second resolution could turn a change made
        within the same second into a wrong 304; the ETag has no such gap.
        """
        if not self.is_html(response) or response.streaming:
            return
        if not response.has_header("Cache-Control"):
            user = getattr(request, "user", None)
            is_user = user is not None and user.is_authenticated
            if anonymous and not is_user and not self.is_excluded_path(request.path):
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.HTTP_CACHE_MAX_AGE,
                    must_revalidate=True,
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
