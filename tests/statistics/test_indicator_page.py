"""The indicator page: its sections and in-page navigation, the facts box, the citation with
its BibTeX entry, the related projects, and what the JSON says of all of it."""

import json
import re
from statistics.citation import bibtex_escape

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from pages.models import SiteSettings
from tests.factories import (
    IndicatorFactory,
    ObservationFactory,
    ProjectFactory,
    RegionFactory,
    SourceFactory,
)
from tests.htmlcheck import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrivals():
    region = RegionFactory(name="Western Balkans", slug="wb", code="WB")
    indicator = IndicatorFactory(code="arrivals", name="Arrivals", unit="people")
    for year, value in ((2023, 1200), (2024, 900)):
        ObservationFactory(indicator=indicator, region=region, period=str(year), value=value)
    return indicator


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_sections_have_anchors_and_a_navigation_that_needs_no_script(client, arrivals):
    html = page(client, arrivals.get_absolute_url())
    nav = html.split('<nav class="page-nav"')[1].split("</nav>")[0]
    anchors = re.findall(r'<a href="#([a-z-]+)">', nav)
    assert anchors == ["chart", "table", "sources", "download"]
    for anchor in anchors:  # every link of the navigation lands on a section
        assert f'<section id="{anchor}" class="indicator-section"' in html
    chart = html.split('<section id="chart"')[1].split("</section>")[0]
    table = html.split('<section id="table"')[1].split("</section>")[0]
    assert "<svg" in chart and "<table" not in chart
    assert "<table" in table and "<svg" not in table


def test_facts_say_when_the_next_update_is_expected_or_that_it_is_not_announced(client, arrivals):
    html = page(client, arrivals.get_absolute_url())
    facts = html.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "<dt>Unit</dt><dd>people</dd>" in facts
    assert "<dd>2023\u20132024</dd>" in facts
    assert "<dt>Latest figures</dt><dd>end of 2024</dd>" in facts
    assert "<dt>Added to the portal</dt>" in facts and "<dt>Last updated</dt>" not in facts
    assert "<dt>Next expected update</dt><dd>not announced</dd>" in facts
    arrivals.next_update = "2026-06"
    arrivals.save()
    html = page(client, arrivals.get_absolute_url())
    assert "<dt>Next expected update</dt><dd>June 2026</dd>" in html


@pytest.mark.parametrize("value", ["2026/2027", "June", "2026-13"])
def test_next_update_is_one_period(value):
    indicator = IndicatorFactory.build(next_update=value)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean(exclude=["code"])
    assert "next_update" in error.value.message_dict


@time_machine.travel("2026-11-28 10:00 +0100", tick=False)
def test_citation_names_the_sources_organisation_title_url_and_access_date(client, arrivals):
    site = SiteSettings.objects.get()
    site.organisation_name = "International Centre for Migration Policy Development"
    site.save()
    arrivals.observations.update(
        source=SourceFactory(name="UNHCR Refugee Population Statistics Database")
    )
    html = page(client, arrivals.get_absolute_url())
    citation = (
        "UNHCR Refugee Population Statistics Database, via WB Portal (International Centre "
        "for Migration Policy Development): “Arrivals”, http://testserver/statistics/arrivals/ "
        "(accessed 28 November 2026)."
    )
    assert f">{citation}</p>" in html
    bibtex = html.split('id="bibtex"')[1].split(">", 1)[1].split("</pre>")[0]
    assert bibtex.startswith("@misc{wb-portal-arrivals,")
    assert "author = {{International Centre for Migration Policy Development}}" in bibtex
    assert "url = {http://testserver/statistics/arrivals/}" in bibtex
    assert "urldate = {2026-11-28}" in bibtex
    assert (
        "note = {Data: UNHCR Refugee Population Statistics Database. Accessed 28 November 2026}"
    ) in bibtex
    data = json.loads(client.get(reverse("statistics:indicator-json", args=["arrivals"])).content)
    assert data["citation"]["text"] == citation
    assert (
        "note = {Data: UNHCR Refugee Population Statistics Database."
        in (data["citation"]["bibtex"])
    )
    # Copy buttons are our own script, for the citation as for the BibTeX entry; both are
    # selectable without it.
    assert re.search(r'<script src="/static/js/copy\.js" defer></script>', html)
    assert re.search(
        r'<pre class="copyable" id="bibtex" role="region" tabindex="0" data-copy', html
    )
    assert re.search(
        r'<p class="citation" id="citation" data-copy data-copy-label="Copy the citation"', html
    )


@time_machine.travel("2026-11-28 10:00 +0100", tick=False)
def test_citation_names_every_source_of_the_figures_shown(client, arrivals):
    first, second = arrivals.observations.order_by("period")
    first.source = SourceFactory(name="World Bank, World Development Indicators")
    first.save()
    second.source = SourceFactory(name="IOM DTM & Co_2025")
    second.save()
    html = page(client, arrivals.get_absolute_url())
    assert (
        ">IOM DTM &amp; Co_2025; World Bank, World Development Indicators, via WB Portal (ICMPD): "
        "“Arrivals”, http://testserver/statistics/arrivals/ (accessed 28 November 2026).</p>"
    ) in html
    bibtex = html.split('id="bibtex"')[1].split("</pre>")[0]
    assert r"note = {Data: IOM DTM \&amp; Co\_2025; World Bank, World Development Indicators." in (
        bibtex
    )


@time_machine.travel("2026-11-28 10:00 +0100", tick=False)
def test_citation_without_a_named_source_cites_the_page(client, arrivals):
    arrivals.observations.update(source=None)
    html = page(client, arrivals.get_absolute_url())
    assert (
        ">ICMPD, “Arrivals”, WB Portal, http://testserver/statistics/arrivals/ "
        "(accessed 28 November 2026).</p>"
    ) in html
    assert "note = {Accessed 28 November 2026}" in html


def test_bibtex_escapes_latex_specials_and_html_escapes_the_page(client, arrivals):
    assert bibtex_escape("50% of A&B_{x} #1 $2 ^~\\") == (
        r"50\% of A\&B\_\{x\} \#1 \$2 \textasciicircum{}\textasciitilde{}\textbackslash{}"
    )
    assert bibtex_escape("two\nlines") == "two lines"
    arrivals.name = "Arrivals & returns: 50% <b>{all}</b>"
    arrivals.save()
    html = page(client, arrivals.get_absolute_url())
    bibtex = html.split('id="bibtex"')[1].split("</pre>")[0]
    assert r"title = {Arrivals \&amp; returns: 50\% &lt;b&gt;\{all\}&lt;/b&gt;}" in bibtex
    data = json.loads(client.get(reverse("statistics:indicator-json", args=["arrivals"])).content)
    assert r"title = {Arrivals \& returns: 50\% <b>\{all\}</b>}" in data["citation"]["bibtex"]


def test_the_sources_are_cited_with_their_own_words(client, arrivals):
    source = arrivals.observations.first().source
    source.citation = "IOM (2025), DTM Western Balkans."
    source.save()
    html = page(client, arrivals.get_absolute_url())
    sources = html.split('<section id="sources"')[1].split("</section>")[0]
    assert "<q>IOM (2025), DTM Western Balkans.</q>" in sources


def test_related_published_projects_are_listed_and_drafts_are_not(client, arrivals):
    published = ProjectFactory(title="Return systems", slug="rs-project")
    draft = ProjectFactory(title="Draft plan", slug="draft-plan", is_published=False)
    published.indicators.add(arrivals)
    draft.indicators.add(arrivals)
    html = page(client, arrivals.get_absolute_url())
    assert '<a href="#projects">Related projects</a>' in html
    projects = html.split('<section id="projects"')[1].split("</section>")[0]
    assert '<a href="/projects/rs-project/">Return systems</a>' in projects
    assert "Draft plan" not in html


def test_no_projects_no_section(client, arrivals):
    html = page(client, arrivals.get_absolute_url())
    assert 'id="projects"' not in html


def test_the_json_describes_the_page_and_its_reuse(client, arrivals):
    ProjectFactory(title="Return systems", slug="rs-project").indicators.add(arrivals)
    arrivals.next_update = "2026-Q3"
    arrivals.save()
    data = json.loads(client.get(reverse("statistics:indicator-json", args=["arrivals"])).content)
    page_url = "http://testserver/statistics/arrivals/"
    assert data["page"]["url"] == page_url
    assert [s["id"] for s in data["page"]["sections"]] == [
        "chart",
        "table",
        "sources",
        "download",
        "projects",
    ]
    assert data["page"]["sections"][0]["url"] == page_url + "#chart"
    assert data["next_update"] == "2026-Q3"
    assert data["citation"]["text"].endswith(f"{page_url} (accessed {_today_text()}).")
    assert data["citation"]["bibtex"].startswith("@misc{wb-portal-arrivals,")
    assert data["chart_downloads"] == {
        "svg": page_url + "chart.svg",
        "png": page_url + "chart.png",
        "png2x": page_url + "chart.png?scale=2",
    }
    assert data["embed"]["url"] == page_url + "embed/"
    assert data["embed"]["snippet"].startswith(f'<iframe src="{page_url}embed/" title="Arrivals"')
    assert data["share_image"]["url"].startswith(page_url + "share.png?v=")
    assert (data["share_image"]["width"], data["share_image"]["height"]) == (1200, 630)
    assert data["projects"] == [
        {"title": "Return systems", "url": "http://testserver/projects/rs-project/"}
    ]


def _today_text():
    from django.utils import timezone

    from formatting.display import format_date

    return format_date(timezone.localdate())


def test_page_has_its_own_share_image_meta(client, arrivals):
    meta = parse(page(client, arrivals.get_absolute_url())).meta
    assert meta["og:image"].startswith("http://testserver/statistics/arrivals/share.png?v=")
    assert meta["twitter:image"] == meta["og:image"]
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:type"] == "image/png"
    assert meta["og:image:alt"] == meta["twitter:image:alt"] == "Chart of Arrivals, WB Portal"


def test_admin_edits_the_next_update(admin_client, arrivals):
    url = reverse("admin:statistics_indicator_change", args=[arrivals.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="next_update"' in html
