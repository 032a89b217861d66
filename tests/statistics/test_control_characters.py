"""Control characters and line breaks an import kept (in a category, a name, a note) never
make an indicator's page or one of its files a 500; the files stay readable."""

import io
from xml.etree import ElementTree

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.factories import CountryFactory, IndicatorFactory, ObservationFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator():
    country = CountryFactory(name="Serbia", iso_code="RS", slug="serbia")
    RegionFactory(countries=[country])
    indicator = IndicatorFactory(
        code="odd-text", name="Arrivals\x1c by\nnationality", breakdown_label="Nation\x02ality"
    )
    for category in ("", "Syrian Arab\r\nRepublic\x1c", "Iraq\x0b"):
        for year in ("2023", "2024"):
            ObservationFactory(
                indicator=indicator,
                country=country,
                region=None,
                period=year,
                category=category,
                note="First\nsecond\x01",
            )
    return indicator


@pytest.mark.parametrize(
    "path", ["/statistics/odd-text/", "/statistics/odd-text/chart.png", "/statistics/odd-text.zip"]
)
def test_the_page_and_its_files_answer(indicator, path):
    assert Client(raise_request_exception=False).get(path).status_code == 200


@pytest.mark.parametrize("name", ["chart.svg", "breakdown-rs.svg"])
def test_chart_files_are_well_formed_xml(indicator, name):
    response = Client(raise_request_exception=False).get(f"/statistics/odd-text/{name}")
    assert response.status_code == 200
    svg = ElementTree.fromstring(response.content)
    assert "Arrivals by" in " ".join(svg.itertext())


def test_the_xlsx_keeps_the_text_without_what_it_cannot_hold(indicator):
    response = Client(raise_request_exception=False).get("/statistics/odd-text.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    notes = {row[header.index("note")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert notes == {"First\nsecond"}
