"""The SDMX files are whole responses the page cache keeps, keyed on the one parameter the
selection reads (`indicators`); a refused selection is never kept."""

from statistics.models import Indicator

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_page_cache_keeps_the_sdmx_files(settings, demo):
    settings.PAGE_CACHE = True
    visitor = Client()
    code, other = sorted(Indicator.objects.values_list("code", flat=True))[:2]
    urls = [
        reverse("statistics:indicator-sdmx", args=[code]),
        reverse("statistics:sdmx-structure"),
        reverse("statistics:sdmx-data") + f"?indicators={code}",
        reverse("statistics:sdmx-data") + f"?indicators={code},{other}",
    ]
    first = {url: visitor.get(url) for url in urls}
    assert {r["X-Page-Cache"] for r in first.values()} == {"miss"}
    for url in urls:
        again = visitor.get(url + ("&" if "?" in url else "?") + "utm=x")
        assert again["X-Page-Cache"] == "hit", url
        assert again.content == first[url].content
        assert again["Content-Type"] == first[url]["Content-Type"]
    # One selection is not served for another.
    assert first[urls[2]].content != first[urls[3]].content


def test_a_refused_selection_is_not_kept(settings, demo):
    settings.PAGE_CACHE = True
    visitor = Client()
    url = reverse("statistics:sdmx-data") + "?indicators=nope"
    assert visitor.get(url).status_code == 400
    assert visitor.get(url)["X-Page-Cache"] == "miss"
