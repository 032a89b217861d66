from django.conf import settings
from django.utils.functional import SimpleLazyObject

from pages.models import SiteSettings
from regions.footnotes import FootnoteRegistry


def site(request):
    """Site-wide values every template may use: name, absolute base and canonical URLs, and
    this render's footnote registry (regions/footnotes.py)."""
    root = settings.SITE_URL
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": root,
        # scheme://host of absolute links (canonical, Open Graph images): SITE_URL, never the
        # request's host (see wbportal.views.absolute_url).
        "ABSOLUTE_ROOT": root,
        "CANONICAL_URL": root + request.path,
        "footnotes": FootnoteRegistry(),
    }


def site_settings(request):
    """The publisher's identity (pages.SiteSettings): one query, the first time a template
    of this render uses it (the header does on every public page; a JSON view never)."""
    return {"site_settings": SimpleLazyObject(SiteSettings.objects.current)}
