from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET


def absolute_url(path):
    """The absolute URL of `path` (from the site's root) on SITE_URL; never on the request's
    host, which a visitor chooses and a cached page would pass on to everyone."""
    return settings.SITE_URL + path


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
