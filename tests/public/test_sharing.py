"""Sharing: each page's own Open Graph / Twitter card title, description and absolute image;
the favicon and touch icon."""

import struct
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pages.models import SiteSettings
from tests.factories import IndicatorFactory, ObservationFactory, RegionFactory
from tests.htmlcheck import parse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def meta(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return parse(response.content.decode()).meta


def png_size(data):
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def test_statistics_pages_have_their_own_title_and_description(client):
    region = RegionFactory(slug="wb")
    indicator = IndicatorFactory(code="arrivals", name="Arrivals", unit="people")
    ObservationFactory(indicator=indicator, region=region, period="2016/2025-05")
    listing = meta(client, "/statistics/")
    assert listing["og:title"] == listing["twitter:title"] == "Statistics"
    assert listing["og:description"].startswith("Migration statistics for the Western Balkans")
    detail = meta(client, "/statistics/arrivals/")
    assert detail["og:title"] == "Arrivals – Statistics"
    assert detail["og:description"] == detail["twitter:description"]
    assert detail["og:description"].startswith("Arrivals (people), 2016 – May 2025: chart")


def test_every_page_has_an_absolute_share_image_of_the_right_size(client):
    tags = meta(client, "/")
    assert tags["og:image"] == "http://testserver/static/brand/share-default.png"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:image:alt"] == "WB Portal, published by ICMPD"
    # (Static files are not served by the test client: read the committed file.)
    assert png_size((ROOT / "static" / "brand" / "share-default.png").read_bytes()) == (1200, 630)


def test_the_share_image_of_the_settings_is_used(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    site = SiteSettings.objects.get()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8 + b"IHDR" + struct.pack(">II", 1200, 630)
    site.share_image = SimpleUploadedFile("share.png", png)
    site.save()
    tags = meta(client, "/contacts/")
    assert tags["og:image"].startswith("http://testserver/brand/share-image?v=")
    assert "og:image:width" not in tags  # only the committed default's size is known
    assert client.get("/brand/share-image")["Content-Type"] == "image/png"


def test_share_urls_use_site_url_when_set(client, settings):
    settings.SITE_URL = "https://wb.example.org"
    tags = meta(client, "/")
    assert tags["og:image"] == "https://wb.example.org/static/brand/share-default.png"
    assert tags["og:url"] == "https://wb.example.org/"


def test_favicon_and_touch_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    icon = b"".join(response.streaming_content)
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/brand/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/brand/apple-touch-icon.png">' in html
    touch = (ROOT / "static" / "brand" / "apple-touch-icon.png").read_bytes()
    assert png_size(touch) == (180, 180)
    assert (ROOT / "static" / "brand" / "favicon.svg").read_text().startswith("<svg")
