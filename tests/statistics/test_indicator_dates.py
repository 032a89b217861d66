"""Dates that mean something on the indicator pages: the source's own date and release are the
headline, the day the figures reached the portal is said apart ("Added to the portal"), and
"Latest figures: end of 2025" says how recent they are; the downloads carry the release."""

import datetime
import json
import re
from statistics.models import Observation, Source

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from formatting.display import format_period_end
from regions.models import Region
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

LOADED = timezone.make_aware(datetime.datetime(2026, 12, 7, 9, 0))


@pytest.fixture
def refugees():
    """UNHCR's end-of-year stocks, loaded into the portal on 7 December 2026."""
    serbia = CountryFactory(name="Serbia", slug="serbia", iso_code="RS")
    montenegro = CountryFactory(name="Montenegro", slug="montenegro", iso_code="ME")
    RegionFactory(code="WB", countries=[serbia, montenegro])
    unhcr = SourceFactory(
        name="UNHCR Refugee Population Statistics",
        publisher="UNHCR",
        edition="2025.12.1",
        reference_date=datetime.date(2025, 6, 12),
    )
    indicator = IndicatorFactory(code="refugees-hosted", name="Refugees hosted")
    for country, year, value in (
        (serbia, 2024, 36068),
        (serbia, 2025, 40863),
        (montenegro, 2024, 18670),
    ):
        ObservationFactory(
            indicator=indicator, region=None, country=country, period=str(year), value=value,
            source=unhcr,
        )  # fmt: skip
    Observation.objects.update(updated_at=LOADED)
    return indicator


def public_country(iso_code):
    """A country of the published region: its figures are public."""
    country = CountryFactory(iso_code=iso_code)
    Region.objects.get(code="WB").countries.add(country)
    return country


def facts(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    box = html.split('<dl class="facts">')[1].split("</dl>")[0]
    return {
        strip_tags(dt): strip_tags(dd)
        for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", box, flags=re.S)
    }


def test_the_sources_own_date_is_the_headline_and_the_load_day_is_said_apart(client, refugees):
    box = facts(client, "/statistics/refugees-hosted/")
    assert box["Published by the source"] == "12 June 2025 (release 2025.12.1)"
    assert box["Added to the portal"] == "7 December 2026"
    assert box["Latest figures"] == "end of 2025"
    assert "Last updated" not in box  # the load day is no longer the figures' date


def test_a_source_that_gives_no_date_is_said_to_give_none(client, refugees):
    Source.objects.update(reference_date=None, edition="")
    box = facts(client, "/statistics/refugees-hosted/")
    assert box["Published by the source"] == "the source gives no date"
    assert box["Added to the portal"] == "7 December 2026"  # never passed off as the source's


def test_a_release_without_a_date_is_the_release_alone(client, refugees):
    Source.objects.update(reference_date=None)
    box = facts(client, "/statistics/refugees-hosted/")
    assert box["Published by the source"] == "release 2025.12.1"


def test_each_of_several_sources_is_dated_by_name(client, refugees):
    world_bank = SourceFactory(name="World Development Indicators", publisher="World Bank")
    ObservationFactory(
        indicator=refugees, region=None, country=public_country("AL"), period="2023",
        source=world_bank,
    )  # fmt: skip
    box = facts(client, "/statistics/refugees-hosted/")
    assert box["Published by the source"] == (
        "UNHCR: 12 June 2025 (release 2025.12.1); World Bank: the source gives no date"
    )


def test_an_area_page_dates_its_own_figures(client, refugees):
    """?area=ME: Montenegro's latest figure is of 2024, and it reached the portal when it
    was last changed, not when Serbia's were."""
    Observation.objects.filter(country__iso_code="RS").update(
        updated_at=timezone.make_aware(datetime.datetime(2027, 1, 15, 9, 0))
    )
    box = facts(client, "/statistics/refugees-hosted/?area=ME")
    assert box["Latest figures"] == "end of 2024"
    assert box["Added to the portal"] == "7 December 2026"
    assert facts(client, "/statistics/refugees-hosted/")["Added to the portal"] == "15 January 2027"


@pytest.mark.parametrize(
    ("period", "text"), [("2026-03", "end of March 2026"), ("2026-05-14", "14 May 2026")]
)
def test_monthly_and_daily_figures_say_where_they_reach(client, refugees, period, text):
    ObservationFactory(indicator=refugees, region=None, country=public_country("AL"), period=period)
    assert facts(client, "/statistics/refugees-hosted/")["Latest figures"] == text


@pytest.mark.parametrize(
    ("period", "text"),
    [("2025", "end of 2025"), ("2025-Q1", "end of Q1 2025"), ("2025-03", "end of March 2025"),
     ("2025-03-31", "31 March 2025"), ("2016/2025", "end of 2025"),
     ("2016/2025-05", "end of May 2025"), ("soon", "soon"), ("", "")],
)  # fmt: skip
def test_period_end_reads_as_people_write_it(period, text):
    assert format_period_end(period) == text


def test_sources_lists_and_the_json_carry_the_release(client, refugees):
    listing = client.get("/statistics/").content.decode()
    assert "Release 2025.12.1." in listing
    row = listing.split('href="/statistics/refugees-hosted/"')[1].split("</tr>")[0]
    assert (
        '<td data-label="Periods covered">2024–2025</td>\n      '
        '<td data-label="Latest figures">end of 2025</td>'
    ) in row  # latest figures
    page = client.get("/statistics/refugees-hosted/").content.decode()
    sources = page.split('id="sources-heading"')[1].split("</section>")[0]
    assert "As of 12 June 2025. Release 2025.12.1." in strip_tags(sources)
    document = json.loads(client.get("/statistics/refugees-hosted.json").content)
    (source,) = document["sources"]
    assert source["edition"] == "2025.12.1" and source["reference_date"] == "2025-06-12"
    assert source["attribution"] == (
        "UNHCR: UNHCR Refugee Population Statistics, release 2025.12.1, as of 12 June 2025"
    )
