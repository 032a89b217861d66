"""Human formatting: one module (formatting/display.py) for every page, chart, table and tile;
downloads keep ISO periods and plain numbers."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from formatting.display import (
    format_date,
    format_file_size,
    format_number,
    format_observation,
    format_percent,
    format_period,
    format_period_span,
    format_value,
)
from tests.factories import IndicatorFactory, ObservationFactory, ProjectFactory, RegionFactory


@pytest.mark.parametrize(
    "period,text",
    [
        ("2025", "2025"),
        ("2025-03", "March 2025"),
        ("2025-Q1", "Q1 2025"),
        ("2025-03-31", "31 March 2025"),
        ("2016/2025", "2016\u20132025"),
        ("2016/2025-05", "2016 \u2013 May 2025"),
        ("2025-01/2025-Q2", "January 2025 \u2013 Q2 2025"),
        ("not a period", "not a period"),  # shown as stored, never hidden
        ("", ""),
    ],
)
def test_periods_read_as_words(period, text):
    assert format_period(period) == text


def test_a_span_runs_from_the_first_period_to_the_end_of_the_last():
    assert format_period_span("2016", "2025") == "2016\u20132025"
    assert format_period_span("2016/2020", "2025-05") == "2016 \u2013 May 2025"
    assert format_period_span("2025-Q1", "2025-Q1") == "Q1 2025"


@pytest.mark.parametrize(
    "value,decimals,text",
    [
        (Decimal("12345"), 0, "12,345"),
        (Decimal("1234567.891"), 2, "1,234,567.89"),
        (Decimal("4.25"), 1, "4.3"),  # half up, never truncated to 4.2
        (Decimal("4.35"), 1, "4.4"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("-0.04"), 1, "0.0"),  # never "-0.0"
        (Decimal("7"), 2, "7.00"),
        (None, 0, ""),
        ("n/a", 0, ""),
    ],
)
def test_numbers_are_rounded_half_up_and_grouped(value, decimals, text):
    assert format_number(value, decimals) == text


def test_percentages_and_indicator_values():
    assert format_percent(Decimal("35"), 0) == "35%"
    percentage = IndicatorFactory.build(unit="%", decimals=1)
    people = IndicatorFactory.build(unit="people", decimals=0)
    assert format_value(Decimal("4.25"), percentage) == "4.3%"
    assert format_value(Decimal("12345.5"), people) == "12,346"


@pytest.mark.parametrize(
    "unit,value,qualifier,status,text",
    [
        ("people", Decimal("1200"), "more_than", "as_published", "more than 1,200"),
        ("people", Decimal("4.6"), "less_than", "final", "less than 5"),
        ("people", Decimal("300"), "about", "estimated", "about 300"),
        ("people", Decimal("1200"), "", "final", "1,200"),
        ("%", Decimal("35"), "more_than", "provisional", "more than 35%"),
        ("people", None, "", "not_available", "not available"),
        ("people", None, "", "suppressed", "suppressed"),
        ("people", Decimal("0"), "", "as_published", "0"),  # a zero is a number
    ],
)
def test_an_observation_reads_with_its_qualifier_or_what_stands_for_its_number(
    unit, value, qualifier, status, text
):
    indicator = IndicatorFactory.build(unit=unit, decimals=0)
    observation = ObservationFactory.build(
        indicator=indicator, value=value, qualifier=qualifier, status=status
    )
    assert format_observation(observation, indicator) == text
    assert format_observation(observation) == text  # the observation's own indicator
    template = Template("{% load formatting %}{{ observation|observation_value:indicator }}")
    assert template.render(Context({"observation": observation, "indicator": indicator})) == text


def test_dates_have_one_style():
    assert format_date(datetime.date(2025, 3, 31)) == "31 March 2025"
    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    assert format_date(moment) == "1 January 2027"  # in the site's time zone (Belgrade)


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (None, ""),
        (1, "1\u00a0byte"),
        (840, "840\u00a0bytes"),
        (1024, "1\u00a0KB"),
        (1536, "1.5\u00a0KB"),
        (1048575, "1\u00a0MB"),  # 1023.999 KB rounds to 1,024 KB: one megabyte
        (2_400_000, "2.3\u00a0MB"),
        (50 * 1024 * 1024, "50\u00a0MB"),
        (5 * 1024**4, "5,120\u00a0GB"),
    ],
)
def test_file_sizes_read_in_units_of_1024(size, text):
    assert format_file_size(size) == text


def test_file_sizes_follow_the_locale():
    from django.utils import translation

    with translation.override("de"):
        assert format_file_size(1536) == "1,5\u00a0KB"
    template = Template("{% load formatting %}{{ size|file_size }}")
    assert template.render(Context({"size": 2_400_000})) == "2.3\u00a0MB"


@pytest.mark.django_db
def test_the_region_tile_and_the_chart_show_the_same_rounded_value(client):
    region = RegionFactory(slug="wb", name="Western Balkans", code="WB")
    indicator = IndicatorFactory(code="share", unit="%", decimals=1, is_featured=True)
    ObservationFactory(indicator=indicator, region=region, period="2025-03", value="4.25")
    tile = client.get("/regions/wb/").content.decode()
    chart = client.get("/statistics/share/").content.decode()
    for html in (tile, chart):
        assert "4.3%" in html and "4.2" not in html and "4.25" not in html
        assert "March 2025" in html and "2025-03" not in html.split("<body>")[1].replace(
            'datetime="2025-03', ""
        )
    # Downloads keep the ISO period and the exact value.
    csv = b"".join(client.get("/statistics/share.csv").streaming_content).decode()
    assert "share,WB,2025-03,,4.25" in csv
    assert '"period": "2025-03"' in client.get("/statistics/share.json").content.decode()


@pytest.mark.django_db
def test_ranges_and_dates_on_pages(client):
    region = RegionFactory(slug="wb", name="Western Balkans")
    indicator = IndicatorFactory(code="returns", unit="returns", is_featured=True)
    ObservationFactory(indicator=indicator, region=region, period="2016/2025-05", value=3353)
    ProjectFactory(
        slug="rms", regions=[region], actual_start=datetime.date(2024, 12, 31), status="closed"
    )
    html = client.get("/regions/wb/").content.decode()
    assert "2016 \u2013 May 2025" in html and "2016/2025" not in html
    assert "3,353 returns" in html
    project = client.get("/projects/rms/").content.decode()
    assert "31 December 2024" in project and "Dec. 31" not in project


@pytest.mark.parametrize(
    ("label", "in_a_sentence"),
    [
        ("Nationality", "nationality"),
        ("Country of origin (as UNHCR names it)", "country of origin (as UNHCR names it)"),
        ("UNHCR origin", "UNHCR origin"),
        ("IOM", "IOM"),
        ("A", "a"),
        ("", ""),
    ],
)
def test_lower_first_keeps_acronyms(label, in_a_sentence):
    from formatting.display import lower_first

    assert lower_first(label) == in_a_sentence
