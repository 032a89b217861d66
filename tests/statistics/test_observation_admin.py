"""The observation admin: values as the site shows them, and the area autocomplete for the
Data manager."""

from statistics.models import Observation

import pytest
from django.urls import reverse

from staff.roles import DATA_MANAGER
from tests.admin_forms import changelist_url
from tests.factories import CountryFactory, IndicatorFactory, ObservationFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_the_changelist_shows_values_with_the_indicators_decimals_and_unit(client, staff_with_role):
    client.force_login(staff_with_role(DATA_MANAGER))
    ObservationFactory(indicator=IndicatorFactory(unit="people", decimals=0), value=4100)
    ObservationFactory(indicator=IndicatorFactory(unit="%", decimals=1), value="35.25")
    html = client.get(changelist_url(Observation)).content.decode()
    assert "4,100 people" in html
    assert "35.3%" in html
    assert "4100.0000" not in html and "35.2500" not in html


@pytest.mark.parametrize("field", ["country", "region"])
def test_a_data_manager_finds_areas_in_the_observation_forms_autocomplete(
    client, staff_with_role, field
):
    CountryFactory(name="Montenegro")
    RegionFactory(name="Montenegro coast")
    client.force_login(staff_with_role(DATA_MANAGER))
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "statistics",
            "model_name": "observation",
            "field_name": field,
            "term": "Monte",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]][0].startswith("Montenegro")
