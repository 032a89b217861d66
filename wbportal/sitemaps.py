from statistics.models import Indicator
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from documents.models import Document
from pages.models import Page
from projects.models import Project
from regions.models import Country, Region


class PortalSitemap(Sitemap):
    """Links on SITE_URL's scheme and host, never the request's (Django's default without
    the Sites framework), so they are the canonical ones whatever Host a visitor sent."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class StaticViewSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "projects:project-list",
            "regions:contacts",
            "statistics:indicator-list",
            "documents:document-list",
        ]

    def location(self, item):
        return reverse(item)


class RegionSitemap(PortalSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Region.objects.published().order_by("slug")

    def lastmod(self, region):
        return region.updated_at


class CountrySitemap(PortalSitemap):
    def items(self):
        return Country.objects.public().order_by("slug")


class ProjectSitemap(PortalSitemap):
    def items(self):
        return Project.objects.published().order_by("slug")

    def lastmod(self, project):
        return project.updated_at


class IndicatorSitemap(PortalSitemap):
    def items(self):
        return Indicator.objects.order_by("code")


class PageSitemap(PortalSitemap):
    def items(self):
        return Page.objects.published().order_by("slug")

    def lastmod(self, page):
        return page.updated_at


class DocumentSitemap(PortalSitemap):
    def items(self):
        return Document.objects.published().order_by("slug")

    def lastmod(self, document):
        return document.updated_at


sitemaps = {
    "pages": StaticViewSitemap,
    "regions": RegionSitemap,
    "countries": CountrySitemap,
    "projects": ProjectSitemap,
    "statistics": IndicatorSitemap,
    "site-pages": PageSitemap,
    "documents": DocumentSitemap,
}
