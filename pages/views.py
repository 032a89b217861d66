from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from publishing.preview import DraftPreviewMixin

from .models import Page, SiteSettings, brand_file_content_type

# Brand file URLs carry a version (wbportal.context_processors), so browsers may keep them.
BRAND_FILE_MAX_AGE = 7 * 24 * 3600


class PageDetailView(DraftPreviewMixin, DetailView):
    template_name = "pages/page_detail.html"
    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.object
        context.update(
            breadcrumbs=[(_("Home"), reverse("home")), (page.title, None)],
            page_title=page.title,
            page_description=page.summary,
            last_updated=page.updated_at,
        )
        return context


@require_GET
def brand_file(request, field):
    """The uploaded logo or share image, from the default storage, with its real type.

    Served by the app so that it works wherever MEDIA_ROOT lives and needs no web-server
    rule; the content type comes from the bytes (checked on upload), never the file name.
    """
    stored = getattr(SiteSettings.objects.current(), field)
    if not stored:
        raise Http404(_("No file has been uploaded."))
    try:
        content_type = brand_file_content_type(stored)
        if content_type is None:
            raise Http404(_("The stored file is not an image."))
        response = FileResponse(stored.open("rb"), content_type=content_type)
    except FileNotFoundError:
        raise Http404(_("The file is missing from the storage.")) from None
    response["Cache-Control"] = f"public, max-age={BRAND_FILE_MAX_AGE}"
    return response
