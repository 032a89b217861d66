from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from listing.views import FilteredListView
from wbportal.publishing.preview import DraftPreviewMixin

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
