import re
from statistics.opendata.views import CatalogView

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from documents.views import LegacyDocumentFileView
from regions.views import HomeView
from richtext.views import markdown_preview
from search.views import SearchView

from .health import healthz
from .sitemaps import sitemaps
from .views import robots_txt


def paged_sitemap(request, **kwargs):
    return sitemap(request, **kwargs)


# Django's sitemap pages past 50,000 URLs with `?p=`: the page cache keeps it in the key.
paged_sitemap.page_cache_query_params = ("p",)

admin.site.site_header = "WB Portal administration"
admin.site.site_title = "WB Portal admin"
admin.site.index_title = "Content and data"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("regions.urls")),
    path("projects/", include("projects.urls")),
    path("statistics/", include("statistics.urls")),
    path("documents/", include("documents.urls")),
    path("iati/", include("iati.urls")),
    path("api/", include("api.urls")),
    path("", include("pages.urls")),
    path(
        "sitemap.xml",
        paged_sitemap,
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("catalog.jsonld", CatalogView.as_view(), name="catalog"),
    path("search/", SearchView.as_view(), name="search"),
    path("admin/markdown-preview/", markdown_preview, name="markdown-preview"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

# A document's file is served by documents.views.DocumentFileView, never from MEDIA_URL: an
# old address of one (MEDIA_URL/documents/<name>, in texts written before) redirects there,
# under the same rule, in development and production alike (this comes before `static`).
if settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<name>documents/[^/]+)$",
            LegacyDocumentFileView.as_view(),
            name="document-file-legacy",
        )
    )

# Uploaded images (the media library) in development only; in production the web server (or
# the object store) serves MEDIA_ROOT/library/ (docs/operators/deploy.md, docs/staff/media.md).
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
