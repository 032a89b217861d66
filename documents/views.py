from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView
from django.views.generic.detail import SingleObjectMixin

from listing.views import FilteredListView
from publishing.preview import DraftPreviewMixin, mark_not_public

from .downloads import file_response
from .filters import DocumentFilter
from .models import Document


def documents_crumb():
    return (_("Documents"), reverse("documents:document-list"))


class DocumentListView(FilteredListView):
    """Published documents, newest first, filtered by region, project and language."""

    filterset_class = DocumentFilter
    template_name = "documents/document_list.html"
    context_object_name = "documents"
    title = gettext_lazy("Documents")
    paged_title = gettext_lazy("Documents, page %(number)s")
    description = gettext_lazy(
        "Reports and presentations on migration in the Western Balkans and Türkiye, "
        "by region, project and language."
    )

    def get_queryset(self):
        return Document.objects.published().newest_first()


class DocumentDetailView(DraftPreviewMixin, DetailView):
    template_name = "documents/document_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        # Only published regions and projects are named: never a draft.
        return Document.objects.visible_to(self.request.user).for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.object
        context.update(
            last_updated=document.updated_at,
            breadcrumbs=[(_("Home"), reverse("home")), documents_crumb(), (document.title, None)],
            page_title=document.title,
            page_description=document.title,
            og_type="article",
        )
        return context


class DocumentFileView(SingleObjectMixin, View):
    """A document's file, under the rule of its page: the public gets it only while the
    document is published and live (404 for a draft, a scheduled or withdrawn document, or
    one deleted); staff who may preview drafts download them too, never cached."""

    def get_queryset(self):
        return Document.objects.visible_to(self.request.user).exclude(file="")

    def get(self, request, *args, **kwargs):
        document = self.get_object()
        response = file_response(document)
        if document.is_live:
            # Not kept by a shared cache (a CDN, the page cache): once the document is
            # withdrawn, the next request must be asked again.
            patch_cache_control(response, private=True, no_cache=True)
        else:
            mark_not_public(response)
        return response


class LegacyDocumentFileView(SingleObjectMixin, View):
    """An old address of a document's file (MEDIA_URL + its stored name, as texts written
    before the file view may hold): redirected to the file view, by the same rule."""

    slug_field = "file"
    slug_url_kwarg = "name"

    def get_queryset(self):
        return Document.objects.visible_to(self.request.user).exclude(file="")

    def get(self, request, *args, **kwargs):
        response = redirect(self.get_object().file_url)
        patch_cache_control(response, private=True, no_cache=True)
        return response
