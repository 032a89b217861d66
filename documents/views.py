from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from wbportal.publishing import last_change
from wbportal.publishing.preview import DraftPreviewMixin

from .filters import DocumentFilter
from .models import Document


def documents_crumb():
    return (_("Documents"), reverse("documents:document-list"))


class DocumentListView(FilterView):
    """Published documents, newest first, filtered by region, project and language (in the
    query string, bookmarkable), 20 a page."""

    filterset_class = DocumentFilter
    template_name = "documents/document_list.html"
    context_object_name = "documents"
    paginate_by = 20
    page_cache_query_params = (*DocumentFilter.base_filters, "page")

    def get_queryset(self):
        return Document.objects.published().newest_first()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            patch_cache_control(response, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        page = context["page_obj"]
        title = _("Documents")
        if page.number > 1:
            title = _("Documents, page %(number)s") % {"number": page.number}
        context.update(
            is_filtered=any(filterset.data.get(name) for name in DocumentFilter.base_filters),
            last_updated=last_change(*[document.updated_at for document in context["documents"]]),
            breadcrumbs=[(_("Home"), reverse("home")), (_("Documents"), None)],
            page_title=title,
            page_description=_(
                "Reports and presentations on migration in the Western Balkans and Türkiye, "
                "by region, project and language."
            ),
        )
        return context


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
