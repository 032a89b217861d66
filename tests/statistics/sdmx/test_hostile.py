"""Hostile text (markup, quotes, commas, brackets) in every field the SDMX files carry comes
through exactly, as data: the structure still reads, every row still matches the database;
only breaks the CSV does not quote become spaces, so line-based readers keep each row whole."""

from statistics.models import Observation

import pytest
from django.urls import reverse

from tests.factories import IndicatorFactory, ObservationFactory
from tests.public.test_hostile_input import hostile_site  # noqa: F401 - fixture

from .reading import assert_matches_database, codes, read_data, read_structure

pytestmark = pytest.mark.django_db


def test_hostile_text_is_carried_exactly(client, hostile_site):  # noqa: F811
    structure = read_structure(client)
    indicator, country = hostile_site["indicator"], hostile_site["country"]
    url = reverse("statistics:indicator-sdmx", args=[indicator.code])
    rows, _response = read_data(client, url, structure)
    observations = list(Observation.objects.public().filter(indicator=indicator))
    assert len(observations) == 2
    assert_matches_database(rows, observations, structure)
    assert codes(structure, "CL_INDICATOR")[indicator.code] == indicator.name
    assert codes(structure, "CL_AREA")[country.iso_code] == country.display_name
    assert {o.category for o in observations} <= set(codes(structure, "CL_CATEGORY").values())
    assert {row[2]["UNIT_MEASURE"] for row in rows} == {indicator.unit}


def test_a_break_the_csv_does_not_quote_keeps_its_row_whole(client):
    # sdmx1 splits the file into lines (str.splitlines) before it reads the fields: a
    # vertical tab, a form feed, a record separator or U+2028, which the CSV writer does not
    # quote, tore the row apart. (A CR or LF is quoted: test_data.py.)
    indicator = IndicatorFactory(code="several-lines", unit="people\x0bin thousands")
    for period, note in (
        ("2023", 'First\x0csecond "quoted", =SUM(A1)\u2028third\u2029fourth'),
        ("2024", "Bell\x07 and\x1e record separator\x85 next line \u202eright-to-left"),
    ):
        ObservationFactory(
            indicator=indicator, period=period, note=note, area_label="Serbia\x1cand Kosovo"
        )
    rows, _response = read_data(
        client, reverse("statistics:indicator-sdmx", args=[indicator.code]), read_structure(client)
    )
    assert [(row[2]["COMMENT_OBS"], row[2]["AREA_LABEL"]) for row in rows] == [
        ('First second "quoted", =SUM(A1) third fourth', "Serbia and Kosovo"),
        ("Bell and  record separator  next line \u202eright-to-left", "Serbia and Kosovo"),
    ]
    assert {row[2]["UNIT_MEASURE"] for row in rows} == {"people in thousands"}
