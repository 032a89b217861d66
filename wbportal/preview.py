from django.utils.cache import add_never_cache_headers, patch_cache_control

from .publishing import PublicationStatus


class DraftPreviewMixin:
    """Detail view of a publishable model: the public gets only what is live (404 otherwise);
    staff who may view the model also see drafts and scheduled items, marked as such, never
    cached and never indexed.

    Subclasses get their queryset from `Model.objects.visible_to(self.request.user)`.
    """

    def get_object(self, queryset=None):
        if queryset is None:
            queryset = self.get_queryset()
        return super().get_object(queryset.with_publication_status())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.object.publication_status
        context["is_draft_preview"] = context["is_draft"] = status != PublicationStatus.PUBLISHED
        context["publication_status"] = PublicationStatus(status)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("is_draft_preview"):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response
