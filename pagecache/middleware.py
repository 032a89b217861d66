from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import pages, visitors
from .generation import PageCacheUnavailable

GetResponse = Callable[[HttpRequest], HttpResponseBase]
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class PageCacheMiddleware:
    """Public pages from the page cache, plus HTTP caching headers for every HTML page.

    Place right after WhiteNoise, before SessionMiddleware: a hit then costs one round trip
    to the shared store and skips sessions, auth and the view. Only GET/HEAD requests of
    visitors who are not signed in (pagecache.visitors) are served from or stored
    to the cache; a signed-in user's request is always rendered afresh and never stored.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        personal = visitors.is_personal(request)
        ticket = None
        if not personal and pages.is_cacheable_request(request):
            visitors.drop_credentials(request)
            found = pages.lookup(request)
            if isinstance(found, pages.Hit):
                return pages.replay(request, found)
            ticket = found

        response = self.get_response(request)
        if ticket is None:
            visitors.update_marker(request, response)
        pages.add_http_caching_headers(request, response, anonymous=not personal)
        if ticket is not None:
            pages.store(ticket, request, response)
            response.headers["X-Page-Cache"] = "miss"
        elif settings.PAGE_CACHE and pages.is_html(response):
            response.headers["X-Page-Cache"] = "bypass"
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response = pages.conditional_response(request, response)
        return response


class AdminWriteMiddleware:
    """Every admin POST runs in one transaction, and a failed page-cache bump is a clear 503.

    The bump made by the first change inside the transaction raises PageCacheUnavailable when
    it cannot be written: the whole POST (form, inlines, actions, deletions, history
    reverts, imports) is then rolled back and the editor told that nothing was saved,
    instead of the change being committed while the cached pages stay as they were.

    A view marked with `commits_in_steps` runs outside that transaction: it commits its own
    steps (each change and its bump still in one transaction), and a PageCacheUnavailable it
    raises is answered the same way.

    Place after CsrfViewMiddleware: answering from process_view skips the process_view of
    every middleware after this one.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.method != "POST" or not request.path_info.startswith(settings.ADMIN_URL_PREFIX):
            return None
        try:
            if getattr(view_func, COMMITS_IN_STEPS, False):
                return view_func(request, *view_args, **view_kwargs)
            with transaction.atomic():
                return view_func(request, *view_args, **view_kwargs)
        except PageCacheUnavailable:
            return unavailable_response(request)


COMMITS_IN_STEPS = "commits_in_steps"


def commits_in_steps(view: View) -> View:
    """Mark an admin view (as routed: wrap the admin_view() result) that must commit a step
    before its change, which AdminWriteMiddleware's one transaction would roll back with it:
    e.g. the import confirm's claim of a pending upload, which a killed worker must not undo.
    The view runs each change in a transaction of its own (the change and its bump together).
    """
    setattr(view, COMMITS_IN_STEPS, True)
    return view


def unavailable_response(request: HttpRequest) -> HttpResponseBase:
    # Messages queued for the rolled-back change ("1 item unpublished") would be false.
    for _message in messages.get_messages(request):
        pass
    context = {
        **admin.site.each_context(request),
        "title": _("Nothing was saved"),
        "explanation": _(
            "The page cache could not be updated, so nothing was saved; try again in a minute."
        ),
    }
    response = TemplateResponse(request, "admin/pagecache_unavailable.html", context, status=503)
    response["Retry-After"] = "60"
    return response.render()
