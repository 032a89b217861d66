import json

from django.http import HttpRequest, HttpResponse
from django.views import View

from pages.models import SiteSettings

from .facts import catalogue_datasets
from .jsonld import dcat_catalog


class CatalogView(View):
    """`/catalog.jsonld`: every public indicator as a DCAT-AP dataset with its downloads, for
    data catalogues to harvest (data.europa.eu). A public page like the others: served from
    the page cache, which every change of the figures, sources or areas makes stale."""

    page_cache_query_params = ()

    def get(self, request: HttpRequest) -> HttpResponse:
        document = dcat_catalog(catalogue_datasets(), SiteSettings.objects.current())
        return HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=1),
            content_type="application/ld+json; charset=utf-8",
        )
