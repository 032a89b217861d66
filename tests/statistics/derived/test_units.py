"""Cases and persons never mix, after a definition too: an indicator's unit changed in its
admin may not make a derivation add or divide cases and persons."""

from statistics.models import Indicator

import pytest
from django.urls import reverse

from tests.factories import IndicatorFactory

from .build import derive, total_of

pytestmark = pytest.mark.django_db


def post_unit(client, indicator, unit):
    """The indicator's change form as the admin shows it, posted with another unit."""
    url = reverse("admin:statistics_indicator_change", args=[indicator.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    data["unit"] = unit
    return client.post(url, data)


def test_an_inputs_unit_changed_to_cases_under_a_total_of_persons_is_refused(
    admin_client, hosted, hosted_total
):
    total_of(hosted_total, hosted)
    response = post_unit(admin_client, hosted, "cases")
    assert response.status_code == 200
    assert "Cases and persons never mix" in response.content.decode()
    assert Indicator.objects.get(pk=hosted.pk).unit == "people"


def test_a_denominators_unit_changed_to_cases_under_a_rate_of_persons_is_refused(admin_client):
    top = IndicatorFactory(unit="people")
    bottom = IndicatorFactory(unit="people")
    rate = IndicatorFactory(unit="%")
    derive(rate, "ratio", top, bottom, scale=100)
    response = post_unit(admin_client, bottom, "cases")
    assert "Cases and persons never mix" in response.content.decode()
    assert Indicator.objects.get(pk=bottom.pk).unit == "people"
    # A rate's own unit is no count: it may say what it likes.
    assert post_unit(admin_client, rate, "per cent").status_code == 302


def test_a_unit_that_keeps_counting_the_same_is_saved(admin_client, hosted, hosted_total):
    total_of(hosted_total, hosted)
    assert post_unit(admin_client, hosted, "persons").status_code == 302
    assert Indicator.objects.get(pk=hosted.pk).unit == "persons"
