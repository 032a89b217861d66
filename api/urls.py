"""/api/: version 1 of the read API, and a JSON 404 for any other address under /api/.

Each of the API's views is wrapped once here (`http_caching`): HEAD is answered as GET, any
other method gets a JSON 405, and a 200 gets Cache-Control and an ETag (the page cache
middleware then answers If-None-Match with a 304, cached or not). Each view also declares the
query parameters it reads, taken from the OpenAPI schema itself, so the page cache keys its
answers by those alone (pagecache/).
"""

import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.translation import gettext as _

from .errors import error_response, not_found_view
from .v1 import api


def http_caching(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # django-ninja reads the last of a repeated parameter: `?indicator=a&indicator=b`
        # would silently answer for b alone, which reads as a complete answer for both.
        for name in getattr(wrapped, "page_cache_query_params", ()):
            if len(request.GET.getlist(name)) > 1:
                return error_response(
                    400,
                    "bad_request",
                    _(
                        "%(param)s is given more than once; give it once, with several "
                        "values separated by commas where it takes a list."
                    )
                    % {"param": name},
                    param=name,
                )
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            if head:
                request.method = "HEAD"
        if response.status_code == 405:
            allowed = response.get("Allow", "GET")
            response = error_response(
                405,
                "method_not_allowed",
                _("The API is read-only: use GET (or HEAD)."),
            )
            response["Allow"] = allowed
        if response.status_code == 200 and not response.streaming:
            if not response.has_header("Cache-Control"):
                patch_cache_control(
                    response, public=True, max_age=settings.HTTP_CACHE_MAX_AGE, must_revalidate=True
                )
            if not response.has_header("ETag"):
                set_response_etag(response)
        return response

    return wrapped


def _route(schema_path: str) -> str:
    """ "/areas/{code}" -> "areas/<code>": the route django-ninja makes of a schema path."""
    return re.sub(r"\{(\w+)\}", r"<\1>", schema_path.lstrip("/"))


def query_params_by_route() -> dict[str, tuple[str, ...]]:
    schema = api.get_openapi_schema(path_prefix="")
    return {
        _route(schema_path): tuple(
            parameter["name"]
            for operation in operations.values()
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "query"
        )
        for schema_path, operations in schema["paths"].items()
    }


def v1_patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    params = query_params_by_route()
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = http_caching(pattern.callback)
            pattern.callback.page_cache_query_params = params.get(str(pattern.pattern), ())  # type: ignore[attr-defined]
    return patterns


urlpatterns = [
    path("v1/", (v1_patterns(), "ninja", "api-v1")),
    re_path(r"^", not_found_view, name="api-not-found"),
]
