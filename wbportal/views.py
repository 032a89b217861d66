from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET


class DraftAwareMixin:
    """Detail views of content with drafts: the queryset's `visible_to(user)` decides.

    The public gets published objects only (anything else is a 404); staff also get drafts,
    which the template marks with the draft banner (`object.is_live` is False).
    """

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_draft"] = not getattr(self.object, "is_live", True)
        return context


def absolute_url(request, path):
    """An absolute URL for `path`: SITE_URL when configured, else the request's host."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {absolute_url(request, reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
