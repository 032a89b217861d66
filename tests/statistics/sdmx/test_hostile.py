"""Hostile text (markup, quotes, commas, brackets) in every field the SDMX files carry comes
through exactly, as data: the structure still reads, every row still matches the database."""

from statistics.models import Observation

import pytest
from django.urls import reverse

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
