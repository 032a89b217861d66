"""The chart embed keeps its attribution in view and fits its frame to its content: the
source, its terms and the Kosovo* note come before any chart; the frame's own script posts
its height; the embed code's script takes it only from the portal's frame."""

import re
from statistics.embed import EMBED_MESSAGE_TYPE, embed_snippet, site_origin
from statistics.models import Source

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrivals():
    kosovo = CountryFactory(name="Kosovo", slug="kosovo", iso_code="XK", footnote="UNSCR note.")
    region = RegionFactory(name="Western Balkans", slug="wb", code="WB", countries=[kosovo])
    source = SourceFactory(
        name="IOM presentation",
        publisher="IOM",
        licence="CC BY-NC 4.0",
        url="https://example.org/iom",
    )
    indicator = IndicatorFactory(code="arrivals", name="Arrivals", unit="people")
    for area in ({"region": region}, {"region": None, "country": kosovo}):
        for year, value in ((2023, 1200), (2024, 900)):
            ObservationFactory(
                indicator=indicator, period=str(year), value=value, source=source, **area
            )
    return indicator


def embed(client, query=""):
    response = client.get(reverse("statistics:indicator-embed", args=["arrivals"]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_source_terms_and_note_come_before_any_chart(client, arrivals):
    html = embed(client, "?area=XK")
    first_chart = html.index('<div class="embed-chart">')
    for text in (
        '<h1 class="embed-title">',
        '<a href="https://example.org/iom" rel="noopener">IOM presentation</a>',
        "Publisher: IOM.",
        "Licence: CC BY-NC 4.0.",
        '<p id="footnote-xk"><span aria-hidden="true">*</span> Kosovo: UNSCR note.</p>',
    ):
        assert 0 <= html.index(text) < first_chart, text
    # The note is shown once, and the chart's mark of Kosovo* links to it.
    assert html.count("UNSCR note.") == 1
    assert 'href="#footnote-xk"' in html[first_chart:]
    # Links leave the frame (the portal's other pages refuse to be framed).
    assert '<base target="_blank">' in html


def test_a_source_without_terms_says_so_in_the_frame(client, arrivals):
    Source.objects.update(licence="")
    html = embed(client)
    assert (
        0
        <= html.index("The source states no licence or terms of use.")
        < html.index('<div class="embed-chart">')
    )


def test_the_frame_posts_its_height_from_a_file_of_the_site(client, arrivals):
    html = embed(client)
    head = html.split("</head>")[0]
    assert (
        f'<script src="/static/js/embed-frame.js" data-message-type="{EMBED_MESSAGE_TYPE}" '
        "defer></script>"
    ) in head
    # No inline script: the page's policy allows only the site's own files.
    assert re.findall(r"<script\b[^>]*>", html) == [re.search(r"<script\b[^>]*>", head)[0]]
    response = client.get(reverse("statistics:indicator-embed", args=["arrivals"]))
    assert "script-src 'self';" in response["Content-Security-Policy"] + ";"
    script = open(finders.find("js/embed-frame.js"), encoding="utf-8").read()
    assert "window.parent.postMessage({ type: type, height: height }" in script
    assert 'getAttribute("data-message-type")' in script
    assert "ResizeObserver" in script and "THROTTLE_MS" in script


def test_the_embed_code_takes_a_height_only_from_the_portals_own_frame(client, arrivals):
    snippet = embed_snippet("http://testserver/statistics/arrivals/embed/", "Arrivals")
    frame, script = snippet.split("\n")
    # Without JavaScript: a fixed size, the attribution at the top of the frame.
    assert frame.startswith(
        '<iframe src="http://testserver/statistics/arrivals/embed/" title="Arrivals" '
        'width="680" height="520" loading="lazy"'
    )
    assert script.startswith("<script>") and script.endswith(
        "(document.currentScript.previousElementSibling)</script>"
    )
    assert 'e.origin!=="http://testserver"' in script
    assert "e.source!==f.contentWindow" in script
    assert f'd.type!=="{EMBED_MESSAGE_TYPE}"' in script
    assert "h>0&&h<=10000" in script
    # The page shows it as text to copy, never runs it.
    html = client.get(arrivals.get_absolute_url()).content.decode()
    download = html.split('<section id="download"')[1].split("</section>")[0]
    assert "e.origin!==&quot;http://testserver&quot;||e.source!==f.contentWindow" in download
    assert "<script>(function" not in html


@pytest.mark.parametrize(
    ("site_url", "origin"),
    [
        ("http://testserver", "http://testserver"),
        ("https://WB.Example.org", "https://wb.example.org"),
        ("https://wb.example.org:443", "https://wb.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_the_portals_origin_is_written_as_browsers_write_it(settings, site_url, origin):
    settings.SITE_URL = site_url
    assert site_origin() == origin
    assert f'e.origin!=="{origin}"' in embed_snippet(f"{site_url}/embed/", "A")
