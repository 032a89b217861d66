"""The chart as files (SVG, PNG), the embed view, and the share image (og:image)."""

import struct
from statistics.charts import files as chart_files
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from regions.models import Country
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    ProjectFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def arrivals():
    kosovo = CountryFactory(name="Kosovo", slug="kosovo", iso_code="XK", footnote="UNSCR note.")
    serbia = CountryFactory(name="Serbia", slug="serbia", iso_code="RS")
    region = RegionFactory(name="Western Balkans", slug="wb", code="WB", countries=[kosovo, serbia])
    source = SourceFactory(name="IOM presentation", publisher="IOM", licence="CC BY-NC 4.0")
    indicator = IndicatorFactory(code="arrivals", name="Arrivals", unit="people")
    for area in ({"region": region}, {"region": None, "country": kosovo}):
        for year, value in ((2023, 1200), (2024, 900)):
            ObservationFactory(
                indicator=indicator, period=str(year), value=value, source=source, **area
            )
    ObservationFactory(indicator=indicator, region=None, country=serbia, period="2024", value=7)
    return indicator


def png_size(data):
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def texts_of(content):
    root = ElementTree.fromstring(content)
    return root, ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_svg_is_a_standalone_document_with_title_sources_and_address(client, arrivals):
    response = client.get(reverse("statistics:indicator-chart-svg", args=["arrivals"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="arrivals-chart.svg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    root, texts = texts_of(response.content)
    assert root.tag == f"{SVG}svg" and root.get("viewBox").startswith("0 0 ")
    assert root.get("width") == "1200"
    # The title says what, where and when; the subtitle how it is drawn and as of when.
    assert root.find(f"{SVG}title").text == "Arrivals, Western Balkans, 2023–2024"
    assert texts[0] == "Arrivals, Western Balkans, 2023–2024"
    assert texts[1] == "By period and area (people). Latest period: 2024."
    # The full source name with its publisher and terms, for every source of the chart.
    assert "Sources: IOM: IOM presentation (CC BY-NC 4.0); " in " ".join(texts)
    assert "Chart: WB Portal, http://testserver/statistics/arrivals/" in texts
    # One chart a file: the line chart alone, the map is a file of its own.
    assert len(root.findall(f"{SVG}svg")) == 1
    assert "Kosovo*" in texts  # a footnoted name keeps its mark and its note
    assert "*Kosovo: UNSCR note." in texts
    assert b"<script" not in response.content and b"href" not in response.content
    map_svg = client.get(reverse("statistics:indicator-chart-file-svg", args=["arrivals", "map"]))
    assert map_svg["Content-Disposition"] == 'attachment; filename="arrivals-map.svg"'
    root, texts = texts_of(map_svg.content)
    assert texts[0] == "Arrivals, Western Balkans, 2024"
    assert "*Kosovo: UNSCR note." in texts
    # The land has its fill in the file itself (no stylesheet: it would be drawn black).
    parents = {child: parent for parent in root.iter() for child in parent}
    paths = list(root.iter(f"{SVG}path"))
    assert paths
    for path in paths:
        assert path.get("fill") or parents[path].get("fill"), path.attrib
    # One set of labels (the page's narrow and wide sets would print on top of each other).
    assert texts.count("Serbia") == 2  # a label drawn over its white halo


def test_svg_follows_the_area_filter(client, arrivals):
    url = reverse("statistics:indicator-chart-svg", args=["arrivals"]) + "?area=RS"
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="arrivals-RS-chart.svg"'
    root, texts = texts_of(response.content)
    assert len(root.findall(f"{SVG}svg")) == 1
    assert texts[0] == "Arrivals, Serbia, 2024"
    assert "Chart: WB Portal, http://testserver/statistics/arrivals/?area=RS" in texts
    joined = " ".join(texts)
    assert "Source: Source " in joined and "(terms of use not stated by the source)" in joined
    assert client.get(url.replace("RS", "ZZ")).status_code == 404


def test_png_is_1200_px_wide_or_twice_that(client, arrivals):
    svg = client.get(reverse("statistics:indicator-chart-svg", args=["arrivals"]) + "?area=WB")
    root = ElementTree.fromstring(svg.content)
    url = reverse("statistics:indicator-chart-png", args=["arrivals"]) + "?area=WB"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="arrivals-WB-chart.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert png_size(response.content) == (1200, round(float(root.get("height"))))
    double = client.get(url + "&scale=2")
    assert double["Content-Disposition"] == 'attachment; filename="arrivals-WB-chart-2x.png"'
    assert png_size(double.content) == (2400, round(2 * float(root.get("height"))))


def test_no_public_figures_no_chart_files(client, arrivals):
    IndicatorFactory(code="empty")
    for name in ("indicator-chart-svg", "indicator-chart-png"):
        assert client.get(reverse(f"statistics:{name}", args=["empty"])).status_code == 404
    assert client.get(reverse("statistics:indicator-chart-svg", args=["nope"])).status_code == 404
    # A public area without values for this indicator: no empty picture either.
    montenegro = CountryFactory(iso_code="ME", slug="montenegro")
    RegionFactory(countries=[montenegro])
    url = reverse("statistics:indicator-chart-png", args=["arrivals"]) + "?area=ME"
    assert client.get(url).status_code == 404


def test_the_page_offers_the_files_and_the_embed_snippet(client, arrivals):
    html = client.get(arrivals.get_absolute_url() + "?area=XK").content.decode()
    download = html.split('<section id="download"')[1].split("</section>")[0]
    assert 'href="/statistics/arrivals/chart.svg?area=XK" download' in download
    assert 'href="/statistics/arrivals/chart.png?area=XK" download' in download
    assert 'href="/statistics/arrivals/chart.png?area=XK&amp;scale=2" download' in download
    assert (
        "&lt;iframe src=&quot;http://testserver/statistics/arrivals/embed/?area=XK&quot; "
        "title=&quot;Arrivals&quot; width=&quot;680&quot; height=&quot;520&quot;"
    ) in download
    assert "<iframe" not in html  # shown as code, never run on our page


# --- the embed view ------------------------------------------------------------------------


def csp(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_embed_shows_chart_title_source_and_a_link_back(client, arrivals):
    response = client.get(reverse("statistics:indicator-embed", args=["arrivals"]) + "?area=XK")
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert '<meta name="description" content="Arrivals (' in html  # link previews read it
    assert '<link rel="canonical" href="http://testserver/statistics/arrivals/?area=XK">' in html
    assert '<a href="http://testserver/statistics/arrivals/?area=XK" target="_blank"' in html
    assert html.count("<svg") == 2 and "Publisher: IOM." in html  # narrow and wide drawings
    assert "UNSCR note." in html  # Kosovo's note is in the frame too
    assert 'class="site-header"' not in html
    # One script, the site's own file that fits the frame to its content (tests/statistics/
    # test_embed.py).
    assert html.count("<script") == 1 and '<script src="/static/js/embed-frame.js"' in html


def test_only_the_embed_may_be_framed(client, arrivals):
    project = ProjectFactory()
    region = arrivals.observations.filter(region__isnull=False).first().region
    framed = client.get(reverse("statistics:indicator-embed", args=["arrivals"]))
    assert csp(framed)["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in framed
    assert csp(framed)["script-src"] == ["'self'"]  # only the framing is relaxed
    country = Country.objects.get(iso_code="RS")
    for url in (
        "/",
        region.get_absolute_url(),
        country.get_absolute_url(),
        "/projects/",
        project.get_absolute_url(),
        "/contacts/",
        "/search/?q=arrivals",
        "/statistics/",
        arrivals.get_absolute_url(),
        reverse("statistics:indicator-csv", args=["arrivals"]),
        reverse("statistics:indicator-json", args=["arrivals"]),
        reverse("statistics:indicator-chart-svg", args=["arrivals"]),
        reverse("statistics:indicator-chart-png", args=["arrivals"]),
        reverse("statistics:indicator-share-image", args=["arrivals"]),
        "/sitemap.xml",
        "/robots.txt",
        "/no-such-page/",
        reverse("statistics:indicator-embed", args=["nope"]),
    ):
        response = Client().get(url)
        assert response.status_code in (200, 404), url
        assert csp(response)["frame-ancestors"] == ["'none'"], url
        assert response["X-Frame-Options"] == "DENY", url


def test_the_embed_stays_frameable_from_the_page_cache(settings, arrivals):
    settings.PAGE_CACHE = True
    visitor = Client()
    url = reverse("statistics:indicator-embed", args=["arrivals"])
    first = visitor.get(url)
    second = visitor.get(url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    not_modified = visitor.get(url, headers={"if-none-match": second["ETag"]})
    assert not_modified.status_code == 304
    for response in (second, not_modified):
        assert "X-Frame-Options" not in response
        assert csp(response)["frame-ancestors"] == ["*"]
    page = visitor.get(arrivals.get_absolute_url())
    assert visitor.get(arrivals.get_absolute_url())["X-Page-Cache"] == "hit"
    assert page["X-Frame-Options"] == "DENY"


# --- the share image -------------------------------------------------------------------------


def test_share_image_is_a_1200_by_630_png(client, arrivals):
    response = client.get(reverse("statistics:indicator-share-image", args=["arrivals"]))
    assert response["Content-Type"] == "image/png"
    assert png_size(response.content) == (1200, 630)


def test_share_image_is_rendered_once_per_change_of_the_data(client, arrivals, monkeypatch):
    renders = []
    real = chart_files.render_png

    def counting(svg, **kwargs):
        renders.append(svg)
        return real(svg, **kwargs)

    monkeypatch.setattr("statistics.views.render_png", counting)
    url = reverse("statistics:indicator-share-image", args=["arrivals"])
    first = client.get(url).content
    assert client.get(url).content == first
    assert client.get(url + "?v=other").content == first
    assert len(renders) == 1
    meta_before = client.get(arrivals.get_absolute_url()).content.decode()

    observation = arrivals.observations.get(region__code="WB", period="2024")
    observation.value = 950
    observation.save()
    assert client.get(url).status_code == 200
    assert len(renders) == 2 and "950" in renders[1]
    assert client.get(url).status_code == 200
    assert len(renders) == 2
    # The page points to a new address, so networks that keep images fetch it again.
    meta_after = client.get(arrivals.get_absolute_url()).content.decode()
    version = "share.png?v="
    assert meta_before.split(version)[1][:12] != meta_after.split(version)[1][:12]

    observation.delete()  # fewer values, however old the rest
    client.get(url)
    assert len(renders) == 3


def test_share_image_query_count_does_not_depend_on_the_cache(
    client, arrivals, django_assert_num_queries
):
    url = reverse("statistics:indicator-share-image", args=["arrivals"])
    client.get(url)
    # The indicator with its data version: a cached image costs nothing more.
    with django_assert_num_queries(1):
        client.get(url)


def test_share_image_is_drawn_without_the_cache_when_the_cache_is_down(arrivals, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    client = Client(raise_request_exception=False)
    response = client.get(reverse("statistics:indicator-share-image", args=["arrivals"]))
    assert response.status_code == 200
    assert png_size(response.content) == (1200, 630)
