"""A request's Host and X-Forwarded-* headers never reach a page: absolute URLs come from
SITE_URL alone, so a cached page cannot pass one visitor's host or port on to everyone."""

import json
import re
from statistics.models import Indicator
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Document
from pages.models import Page
from projects.models import Project
from regions.models import Country, Region

pytestmark = pytest.mark.django_db

SITE_URL = "https://wb.example.org"
# Allowed hosts (pyproject's ALLOWED_HOSTS) with a port of the visitor's choosing, and
# forwarding headers that no setting tells Django to trust.
FORWARDED = {
    "x-forwarded-host": "evil.example:31337",
    "x-forwarded-port": "31337",
    "x-forwarded-server": "evil.example",
}
# (hostile headers, the ordinary visitor after it whose page has the same cache key)
VISITS = [
    pytest.param({"host": "testserver:31337"}, {}, id="host-port"),
    pytest.param(
        {"host": "127.0.0.1:31337", **FORWARDED}, {"host": "127.0.0.1"}, id="forwarded-host"
    ),
    pytest.param(
        {"host": "localhost:8443", "x-forwarded-proto": "https", **FORWARDED},
        {"host": "localhost", "x-forwarded-proto": "https"},
        id="forwarded-proto",
    ),
]
# Hosts a request can name; none may appear in an absolute URL of a page.
REQUEST_HOSTS = {"testserver", "127.0.0.1", "localhost", "evil.example"}
ABSOLUTE_URL = re.compile(r"""https?://[^\s"'<>()\\]+""")


def public_urls():
    """A page of every cached public type, and every download of an indicator."""
    indicator = Indicator.objects.filter(observations__isnull=False).order_by("code").first()
    code = indicator.code
    country = Country.objects.public().order_by("slug").first()
    urls = [
        "/",
        Region.objects.published().order_by("slug").first().get_absolute_url(),
        country.get_absolute_url(),
        "/projects/",
        Project.objects.published().order_by("slug").first().get_absolute_url(),
        "/contacts/",
        reverse("documents:document-list"),
        Document.objects.published().order_by("slug").first().get_absolute_url(),
        Page.objects.published().order_by("slug").first().get_absolute_url(),
        reverse("statistics:indicator-list"),
        indicator.get_absolute_url(),
        f"{indicator.get_absolute_url()}?area={country.iso_code}",
        reverse("statistics:indicator-csv", args=[code]),
        reverse("statistics:indicator-json", args=[code]),
        reverse("statistics:indicator-embed", args=[code]),
        reverse("statistics:indicator-chart-svg", args=[code]),
        reverse("statistics:indicator-share-image", args=[code]),
        reverse("sitemap"),
        "/robots.txt",
    ]
    return urls


def body_text(response):
    if response["Content-Type"].startswith("image/png"):
        return ""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def absolute_urls(response):
    """Every absolute URL in the response's body and headers."""
    headers = " ".join(f"{name}: {value}" for name, value in response.headers.items())
    return ABSOLUTE_URL.findall(body_text(response) + " " + headers)


def named_urls(url, response):
    """The URLs that must be the site's own: canonical, og:url, og:image and twitter:image,
    the JSON's page, indicator, embed and share image, the sitemap's <loc>s, robots' Sitemap."""
    text = body_text(response)
    content_type = response["Content-Type"]
    if content_type.startswith("text/html"):
        found = re.findall(r'<link rel="canonical" href="([^"]+)"', text)
        found += re.findall(r'<meta (?:property|name)="(?:og:url|og:image|twitter:image)" '
                            r'content="([^"]+)"', text)  # fmt: skip
        if not url.endswith("/embed/"):
            assert len(found) >= 3, (url, found)
        return found
    if content_type.startswith("application/json"):
        document = json.loads(text)
        found = [
            document["indicator"]["url"],
            document["page"]["url"],
            document["embed"]["url"],
            document["share_image"]["url"],
            *document["chart_downloads"].values(),
            *(project["url"] for project in document["projects"]),
        ]
        return found
    if url.endswith(".xml"):
        found = re.findall(r"<loc>([^<]+)</loc>", text)
        assert len(found) > 10
        return found
    if url == "/robots.txt":
        return re.findall(r"^Sitemap: (\S+)$", text, re.MULTILINE)
    return []


def check_urls(url, response):
    assert response.status_code == 200, (url, response.status_code)
    for absolute in absolute_urls(response):
        parts = urlsplit(absolute.replace("&amp;", "&"))
        assert parts.hostname not in REQUEST_HOSTS, (url, absolute)
        assert "31337" not in absolute and "8443" not in absolute, (url, absolute)
    for named in named_urls(url, response):
        assert named.startswith(SITE_URL + "/"), (url, named)


@pytest.mark.parametrize(("hostile", "ordinary"), VISITS)
def test_hostile_host_headers_never_reach_cached_pages(settings, demo, hostile, ordinary):
    settings.SITE_URL = SITE_URL
    attacker, visitor = Client(), Client()
    for url in public_urls():
        first = attacker.get(url, headers=hostile)
        check_urls(url, first)
        after = visitor.get(url, headers=ordinary)
        check_urls(url, after)
        # The ordinary visitor sees the same addresses the hostile request was given.
        assert absolute_urls(after) == absolute_urls(first), url
        # This is about cached pages: a page with site URLs is served from the hostile
        # request's copy.
        if named_urls(url, after):
            assert after["X-Page-Cache"] == "hit", url
