"""The read API's rate limit: so many requests per client address per window.

The address is the one the login throttle uses (`wbportal.security.client_ip`): REMOTE_ADDR,
or with TRUSTED_PROXY_COUNT = n the n-th address from the right of X-Forwarded-For, the one
our own proxies saw. Whatever a client writes further left in that header, or in any other,
does not change its key. An IPv6 client is keyed by its /64 network: one host commonly holds
the whole /64, and keying each address would let it start afresh at will.

The counter lives in the page cache's shared store (Redis, or the Django cache), one key per
address and window; when the store does not answer, requests are served (the limit protects
the service, and an outage of the cache must not take the API down with it).
"""

import ipaddress
import json
import logging
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

import pagecache
from wbportal.security import client_ip

logger = logging.getLogger(__name__)

API_PATH_PREFIX = "/api/"
KEY_PREFIX = "api:rate:"


def client_key(request: HttpRequest) -> str:
    """The client's address as the limit counts it (an IPv6 address by its /64)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def count_request(key: str, now: float) -> tuple[int, int] | None:
    """(requests of `key` in the current window, this one included; seconds until the window
    ends), or None when the store does not answer."""
    window = max(1, settings.API_RATE_LIMIT_SECONDS)
    index = int(now // window)
    try:
        count = pagecache.shared_store().incr(f"{KEY_PREFIX}{key}:{index}", timeout=window + 1)
    except Exception as error:  # noqa: BLE001 - any cache outage: serve, say so once a request
        logger.warning("API rate limit unavailable (%s: %s).", type(error).__name__, error)
        return None
    return count, max(1, math.ceil((index + 1) * window - now))


def too_many_requests(limit: int, retry_after: int) -> HttpResponse:
    message = _(
        "Too many requests: at most %(limit)s requests per %(seconds)s seconds from one "
        "address. Try again in %(retry)s seconds."
    ) % {"limit": limit, "seconds": settings.API_RATE_LIMIT_SECONDS, "retry": retry_after}
    response = HttpResponse(
        json.dumps({"error": "rate_limited", "message": message}),
        status=429,
        content_type="application/json; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class ApiRateLimitMiddleware:
    """Counts every request under /api/ (cached answers too: place it above the page cache)
    and answers 429 with Retry-After past API_RATE_LIMIT in a window."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = settings.API_RATE_LIMIT
        if limit <= 0 or not request.path_info.startswith(API_PATH_PREFIX):
            return self.get_response(request)
        counted = count_request(client_key(request), time.time())
        if counted is None:
            return self.get_response(request)
        count, retry_after = counted
        if count > limit:
            response: HttpResponseBase = too_many_requests(limit, retry_after)
        else:
            response = self.get_response(request)
        response["X-RateLimit-Limit"] = str(limit)
        response["X-RateLimit-Remaining"] = str(max(0, limit - count))
        return response
