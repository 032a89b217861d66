"""Showing staff what the public would see: drafts on the public layout, and proposed
changes (a stored revision, or an admin form not yet saved) rendered by the real public view
inside a transaction that is rolled back.

Every such page is marked (a banner), never cached (`private, no-store`) and never indexed
(`X-Robots-Tag` and a robots meta tag).
"""

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import resolve
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .models import PublicationStatus, Publishable, as_publishable
from .snapshots import ChildIds, child_accessors, child_relation

if TYPE_CHECKING:
    from django.views.generic import DetailView

    # For the type checker the mixin is the detail view it is mixed into.
    _DetailView = DetailView[Publishable]
else:
    _DetailView = object


_Response = TypeVar("_Response", bound=HttpResponseBase)


def mark_not_public(response: _Response) -> _Response:
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class DraftPreviewMixin(_DetailView):
    """Detail view of a publishable model: the public gets only what is live (404 otherwise);
    staff who may view the model also see drafts and scheduled items, marked as such, never
    cached and never indexed.

    Subclasses get their queryset from `Model.objects.visible_to(self.request.user)`.
    """

    def get_object(self, queryset: QuerySet[Publishable] | None = None) -> Publishable:
        if queryset is None:
            queryset = self.get_queryset()
        return super().get_object(as_publishable(queryset).with_publication_status())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Annotated by with_publication_status() in get_object().
        status = self.object.publication_status  # type: ignore[attr-defined]
        context["is_draft_preview"] = context["is_draft"] = status != PublicationStatus.PUBLISHED
        context["publication_status"] = PublicationStatus(status)
        return context

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        if context.get("is_draft_preview"):
            mark_not_public(response)
        return response


def publish_for_preview(obj: Publishable, known_child_ids: ChildIds | None = None) -> None:
    """Inside a rolled-back block: make `obj` (and its new publishable children) public now,
    so the public view shows them as they will look once approved."""
    values = {"is_published": True, "publish_at": None, "unpublish_at": None}
    type(obj)._default_manager.filter(pk=obj.pk).update(review_requested=False, **values)
    for accessor in child_accessors(type(obj)):
        child_model, _parent = child_relation(type(obj), accessor)
        if not hasattr(child_model, "is_published"):
            continue
        children = getattr(obj, accessor).all()
        if known_child_ids is not None:
            children = children.exclude(pk__in=known_child_ids[accessor])
        else:
            children = children.none()
        children.update(review_requested=False, **values)


def render_public_page(request: HttpRequest, obj: Publishable, label: str) -> HttpResponse:
    """The public page of `obj` as the public view renders it for this staff user, marked
    as a preview with `label`. Call inside the (rolled-back) block that holds the state to
    show: the response is fully rendered before it returns."""
    path = obj.get_absolute_url().split("#", 1)[0]
    match = resolve(path)
    preview = HttpRequest()
    preview.method = "GET"
    preview.path = preview.path_info = path
    preview.META = {
        **request.META,
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_LENGTH": "",
    }
    preview.COOKIES = request.COOKIES
    preview.user = request.user
    # What the middleware gave the staff request, or None if it gave nothing.
    preview.session = getattr(request, "session", None)  # type: ignore[assignment]
    preview.LANGUAGE_CODE = getattr(request, "LANGUAGE_CODE", None)  # type: ignore[assignment]
    preview.resolver_match = match
    # The templates mark the page as a preview by this attribute (base.html).
    preview.publishing_preview = label  # type: ignore[attr-defined]
    response = match.func(preview, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    return mark_not_public(response)
