from django.conf import settings


def site(request):
    """Site-wide values every template may use: name, absolute base URL, canonical URL."""
    if settings.SITE_URL:
        canonical = settings.SITE_URL + request.path
    else:
        canonical = request.build_absolute_uri(request.path)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "CANONICAL_URL": canonical,
    }
