"""Saved numbers and dates are shown back in the style the person's browser language writes
them ("12,5" and "01.03.2026" for Macedonian), never in ISO form after being typed
regionally; a form posted back unchanged in that style changes nothing
(formatting/regional_input.py, InputStyle)."""

import re
from decimal import Decimal
from statistics.models import Observation

import pytest

from projects.models import Project
from staff.roles import DATA_MANAGER, PUBLISHER
from tests.admin_forms import add_url, change_url
from tests.factories import ObservationFactory
from tests.wbportal.test_regional_input import observation_form, project_form

pytestmark = pytest.mark.django_db

MACEDONIAN = {"HTTP_ACCEPT_LANGUAGE": "mk-MK,mk;q=0.9,en;q=0.5"}
SERBIAN = {"HTTP_ACCEPT_LANGUAGE": "sr-Latn-RS,sr;q=0.8"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def input_value(html, name):
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, f"no input {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def test_a_project_typed_in_macedonian_reads_back_as_typed(client, staff_with_role):
    client.force_login(staff_with_role(PUBLISHER))
    data = project_form(
        budget="1.250.000,50",
        currency="EUR",
        planned_start="01.03.2026",
        is_published="on",
        publish_at_0="08.12.2026",
        publish_at_1="09:00",
    )
    response = client.post(add_url(Project), data, **MACEDONIAN)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(slug="border-management")

    html = client.get(change_url(project), **MACEDONIAN).content.decode()
    assert input_value(html, "budget") == "1250000,5"
    assert input_value(html, "planned_start") == "01.03.2026"
    assert input_value(html, "publish_at_0") == "08.12.2026"
    for iso in ("1250000.50", "2026-03-01", "2026-12-08"):
        assert f'value="{iso}"' not in html

    # Posted back exactly as shown: read by the same rule, nothing changes.
    versions = project.history.count()
    again = project_form(
        budget=input_value(html, "budget"),
        currency="EUR",
        planned_start=input_value(html, "planned_start"),
        is_published="on",
        publish_at_0=input_value(html, "publish_at_0"),
        publish_at_1=input_value(html, "publish_at_1"),
    )
    assert client.post(change_url(project), again, **MACEDONIAN).status_code == 302
    project.refresh_from_db()
    assert project.budget == Decimal("1250000.50")
    assert project.history.count() == versions


def test_english_browsers_keep_the_point_and_read_dates_in_the_regions_order(
    client, staff_with_role
):
    client.force_login(staff_with_role(PUBLISHER))
    client.post(
        add_url(Project), project_form(budget="12,5", currency="EUR", planned_start="01.03.2026")
    )
    project = Project.objects.get(slug="border-management")
    html = client.get(change_url(project), **ENGLISH).content.decode()
    assert input_value(html, "budget") == "12.5"
    assert input_value(html, "planned_start") == "01.03.2026"


def test_an_observation_value_reads_back_with_a_decimal_comma(client, staff_with_role):
    client.force_login(staff_with_role(DATA_MANAGER))
    observation = ObservationFactory(value=100)
    client.post(change_url(observation), observation_form(observation, value="12,5"), **SERBIAN)
    html = client.get(change_url(observation), **SERBIAN).content.decode()
    assert input_value(html, "value") == "12,5"
    assert Observation.objects.get(pk=observation.pk).value == Decimal("12.5")


def test_what_was_typed_is_shown_back_as_typed_when_refused(client, staff_with_role):
    client.force_login(staff_with_role(DATA_MANAGER))
    observation = ObservationFactory(value=100)
    response = client.post(
        change_url(observation), observation_form(observation, value="1.234"), **MACEDONIAN
    )
    assert input_value(response.content.decode(), "value") == "1.234"


@pytest.mark.parametrize(
    ("header", "separator", "date"),
    [
        ("mk", ",", "%d.%m.%Y"),
        ("sr-Latn", ",", "%d.%m.%Y"),
        ("de-DE,de;q=0.9", ",", "%d.%m.%Y"),
        ("en-US,en;q=0.9", ".", "%d.%m.%Y"),
        ("en;q=0.2, mk;q=0.8", ",", "%d.%m.%Y"),
        ("", ".", "%d.%m.%Y"),
        ("*", ".", "%d.%m.%Y"),
        ("mk;q=abc, <script>", ".", "%d.%m.%Y"),
        ("x" * 5000, ".", "%d.%m.%Y"),
    ],
)
def test_the_style_follows_the_browsers_preferred_language(rf, header, separator, date):
    from formatting.regional_input import input_style

    style = input_style(rf.get("/", HTTP_ACCEPT_LANGUAGE=header))
    assert (style.decimal_separator, style.date_format) == (separator, date)
