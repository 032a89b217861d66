"""Numbers and dates as people in the region type them (formatting/regional_input.py), in the
admin forms that take them: accepted, or refused with a hint; never silently changed."""

import datetime
from decimal import Decimal
from statistics.models import Observation

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from formatting.regional_input import parse_date, parse_number
from projects.models import Project
from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER
from tests.admin_forms import add_url, change_url
from tests.factories import IndicatorFactory, ObservationFactory, RegionFactory, SourceFactory


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("2.500.000,00", "2500000.00"),
        ("2,500,000.00", "2500000.00"),
        ("2 500 000,5", "2500000.5"),
        ("2\u00a0500", "2500"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("12.345.678", "12345678"),
        ("0,125", "0.125"),
        ("1234,567", "1234.567"),
        ("1,2345", "1.2345"),
        ("-3,5", "-3.5"),
        ("\u22124,25", "-4.25"),
        ("4100", "4100"),
    ],
)
def test_numbers_typed_either_way_are_read_by_the_rule(typed, number):
    assert parse_number(typed) == Decimal(number)


@pytest.mark.parametrize("typed", ["1.234", "1,234", "-12.500"])
def test_a_single_separator_before_three_digits_is_refused_with_a_hint(typed):
    with pytest.raises(ValidationError) as error:
        parse_number(typed)
    message = error.value.messages[0]
    assert error.value.error_list[0].code == "ambiguous"
    digits = typed.lstrip("-").replace(".", "").replace(",", "")
    assert f"Write {digits} for the whole number" in message


@pytest.mark.parametrize("typed", ["12,", "1.2.3", "12,345,67", "1,234.5.6", "abc", "12 5", "1e3"])
def test_what_is_not_clearly_a_number_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        parse_number(typed)
    assert "is not a number" in error.value.messages[0]
    assert "12,5 or 12.5" in error.value.messages[0]


@pytest.mark.parametrize(
    "typed", ["01.03.2026", "1.3.2026", "01.03.2026.", "1. 3. 2026", "2026-03-01"]
)
def test_dates_day_month_year_or_iso(typed):
    assert parse_date(typed) == datetime.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("03/01/2026", "month/day in some countries"),
        ("01.03.26", "four digits"),
        ("31.02.2026", "not a date of the calendar"),
        ("March 2026", "day.month.year (01.03.2026)"),
    ],
)
def test_other_dates_are_refused_with_a_hint(typed, hint):
    with pytest.raises(ValidationError) as error:
        parse_date(typed)
    assert hint in error.value.messages[0]


# --- Through the admin -----------------------------------------------------------------------


def observation_form(observation=None, **overrides):
    indicator = observation.indicator if observation else IndicatorFactory()
    region = observation.region if observation else RegionFactory()
    source = observation.source if observation else SourceFactory()
    data = {
        "indicator": indicator.pk,
        "region": region.pk,
        "period": observation.period if observation else "2025-Q1",
        "category": "",
        "value": "1",
        "status": "final",
        "source": source.pk,
        "note": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_observation_form_reads_a_decimal_comma(client, staff_with_role):
    client.force_login(staff_with_role(DATA_MANAGER))
    observation = ObservationFactory(value=100)
    response = client.post(change_url(observation), observation_form(observation, value="12,5"))
    assert response.status_code == 302, response.content.decode()[:3000]
    observation.refresh_from_db()
    assert observation.value == Decimal("12.5")


@pytest.mark.django_db
def test_the_observation_form_refuses_an_ambiguous_number_and_keeps_the_value(
    client, staff_with_role
):
    client.force_login(staff_with_role(DATA_MANAGER))
    observation = ObservationFactory(value=100)
    response = client.post(change_url(observation), observation_form(observation, value="1.234"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "could be a whole number" in html
    observation.refresh_from_db()
    assert observation.value == 100


@pytest.mark.django_db
def test_the_expected_formats_are_shown_next_to_the_fields(client, staff_with_role):
    client.force_login(staff_with_role(DATA_MANAGER))
    html = client.get(add_url(Observation)).content.decode()
    assert "Decimal comma or point: 12,5 or 12.5" in html
    assert 'inputmode="decimal"' in html
    assert 'type="number"' not in html.split('name="value"', 1)[0].rsplit("<input", 1)[1]

    client.force_login(staff_with_role(EDITOR))
    html = client.get(add_url(Project)).content.decode()
    assert "Date as day.month.year (01.03.2026) or 2026-03-01." in html


def project_form(**overrides):
    data = {
        "title": "Border management",
        "acronym": "",
        "slug": "border-management",
        "iati_identifier": "",
        "status": "implementation",
        "summary": "A project.",
        "description": "",
        "website": "",
        "review_note": "",
        "budget": "",
        "currency": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_project_form_reads_regional_budgets_dates_and_lower_case_currencies(
    client, staff_with_role
):
    client.force_login(staff_with_role(EDITOR))
    data = project_form(
        budget="2.500.000,00",
        currency="eur",
        planned_start="01.03.2026",
        planned_end="2027-02-28",
    )
    response = client.post(add_url(Project), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(slug="border-management")
    assert project.budget == Decimal("2500000.00")
    assert project.currency == "EUR"
    assert project.planned_start == datetime.date(2026, 3, 1)
    assert project.planned_end == datetime.date(2027, 2, 28)


@pytest.mark.django_db
def test_the_project_form_refuses_a_slashed_date(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    response = client.post(add_url(Project), project_form(planned_start="03/01/2026"))
    assert response.status_code == 200
    assert "month/day in some countries" in response.content.decode()
    assert not Project.objects.filter(slug="border-management").exists()


@pytest.mark.django_db
def test_publish_from_takes_a_dotted_date(client, staff_with_role):
    client.force_login(staff_with_role(PUBLISHER))
    data = project_form(is_published="on", publish_at_0="15.12.2026", publish_at_1="08:30")
    response = client.post(add_url(Project), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(slug="border-management")
    local = timezone.localtime(project.publish_at)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2026, 12, 15), 8, 30)


@pytest.mark.django_db
def test_a_web_address_typed_without_a_scheme_gets_http(client, staff_with_role):
    # As before Django 6.0's change of default to https: what editors type keeps its meaning.
    client.force_login(staff_with_role(EDITOR))
    response = client.post(add_url(Project), project_form(website="example.org/border"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Project.objects.get(slug="border-management").website == "http://example.org/border"
