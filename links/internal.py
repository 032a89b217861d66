"""Links to the site's own pages: does the page exist, and may the public open it?

A path is resolved with Django's URL resolver; when it names one object (a detail view), the
view itself is asked for that object as an anonymous visitor would, so "public" means exactly
what the apps' published querysets say (`Region.objects.visible_to(user)` and the like).
The same resolution tells which object a site link leads to (`object_at`), for the index of
references (links.scanning).
"""

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.db import models
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils.translation import gettext, gettext_lazy
from django.views.generic.detail import SingleObjectMixin
from simple_history.models import HistoricalChanges

MISSING = "missing"
UNPUBLISHED = "unpublished"
RELATIVE = "relative"


@dataclass(frozen=True)
class LinkProblem:
    url: str
    reason: str

    MESSAGES = {
        MISSING: gettext_lazy("Link to %(url)s: there is no such page on this site."),
        UNPUBLISHED: gettext_lazy(
            "Link to %(url)s: that page is not published, so readers cannot open it."
        ),
        RELATIVE: gettext_lazy(
            "Link to %(url)s: a link to this site should start with / (e.g. /projects/…)."
        ),
    }

    @property
    def message(self):
        return gettext(self.MESSAGES[self.reason]) % {"url": self.url}


def own_hosts():
    """The site's own address (SITE_URL): absolute links to it are checked as site links."""
    return {urlsplit(settings.SITE_URL).netloc.lower()} if settings.SITE_URL else set()


def site_path(url):
    """The path of `url` if it points to this site (a path, or an absolute URL on one of our
    own hosts), else None. Relative paths are returned as they are (and reported)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[::1": not a site link; the link check reports it
        return None
    if parts.scheme or parts.netloc:
        if parts.scheme in {"http", "https"} and parts.netloc.lower() in own_hosts():
            return parts.path or "/"
        return None
    if not parts.path:  # "#section" or "?query": this very page
        return None
    return parts.path


def check_site_path(path):
    """The reason `path` does not lead to a public page, or None when it does."""
    if not path.startswith("/"):
        return RELATIVE
    match = _resolve(path)
    view_class = getattr(match and match.func, "view_class", None)
    if view_class is not None and issubclass(view_class, SingleObjectMixin):
        # An object's page or file; also an old MEDIA_URL address of a document's file,
        # which its own view serves by the document's rule.
        return _object_status(view_class, match, path)
    for prefix, exists in (
        (settings.MEDIA_URL, default_storage.exists),
        (settings.STATIC_URL, finders.find),
    ):
        if prefix and path.startswith(prefix):
            return None if exists(path.removeprefix(prefix)) else MISSING
    if match is None:
        return MISSING
    return None  # a list or a fixed page: it exists


def object_at(path: str) -> models.Model | None:
    """The object of ours that the site path `path` leads to, published or not: a detail
    page's object, or the object whose file field holds the file at a MEDIA_URL address.
    None for any other path (a list, a fixed page, a static file, nothing)."""
    if not path.startswith("/"):
        return None
    if settings.MEDIA_URL and path.startswith(settings.MEDIA_URL):
        return stored_file_owner(unquote(path.removeprefix(settings.MEDIA_URL)))
    if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
        return None
    match = _resolve(path)
    view_class = getattr(match and match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, SingleObjectMixin):
        return None
    model, lookup = _detail_lookup(_detail_view(view_class, match, path), match)
    return model._default_manager.filter(**lookup).first() if lookup else None


def stored_file_owner(name: str) -> models.Model | None:
    """The object whose file field holds the stored file `name`, or None."""
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                owner = model._default_manager.filter(**{field.name: name}).first()
                if owner is not None:
                    return owner
    return None


def _resolve(path):
    try:
        return resolve(path)
    except Resolver404:
        if path.endswith("/"):
            return None
        try:  # CommonMiddleware redirects /projects/x to /projects/x/
            return resolve(path + "/")
        except Resolver404:
            return None


def _object_status(view_class, match, path):
    view = _detail_view(view_class, match, path)
    try:
        view.get_object()
    except Http404:
        pass
    else:
        return None
    model, lookup = _detail_lookup(view, match)
    exists = bool(lookup) and model._default_manager.filter(**lookup).exists()
    return UNPUBLISHED if exists else MISSING


def _detail_view(view_class, match, path):
    """The detail view of `path` as an anonymous visitor's request would set it up."""
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return view


def _detail_lookup(view, match):
    """The model the detail view shows and the lookup of the object its path names, whatever
    the view lets the public see ({} when the path names no object by pk or slug)."""
    model = view.get_queryset().model
    lookup = {}
    if view.pk_url_kwarg in match.kwargs:
        lookup["pk"] = match.kwargs[view.pk_url_kwarg]
    if view.slug_url_kwarg in match.kwargs:
        lookup[view.get_slug_field()] = match.kwargs[view.slug_url_kwarg]
    return model, lookup


def link_problems(urls):
    """The problems of the site links among `urls` (external ones are not checked here)."""
    problems = []
    for url in dict.fromkeys(urls):
        path = site_path(url)
        if path is None:
            continue
        reason = check_site_path(path)
        if reason:
            problems.append(LinkProblem(url, reason))
    return problems
