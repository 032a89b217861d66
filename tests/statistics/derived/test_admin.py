"""The derivation admin (Data managers define derived indicators; a save computes them and
says how many) and the observation admin's side: computed figures are read-only, and every
save or delete of an input recomputes what depends on it."""

from decimal import Decimal
from statistics.models import Derivation, DerivationMethod, Observation

import pytest
from django.contrib.messages import get_messages

from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER
from tests.admin_forms import add_url, change_url, changelist_url, delete_url
from tests.factories import IndicatorFactory

from .build import figures, put, total_of, value_of

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def definition_form(indicator, numerator, method=DerivationMethod.TOTAL, **fields):
    return {
        "indicator": indicator.pk,
        "method": method,
        "numerator": numerator.pk,
        "denominator": "",
        "scale": "1",
        "explanation": "",
        **fields,
    }


def test_a_data_manager_defines_a_total_and_is_told_how_many_figures_were_computed(
    client, staff_with_role, country, hosted, hosted_total
):
    put(hosted, country, "2024", "Syria", 600)
    put(hosted, country, "2024", "Iraq", 400)
    put(hosted, country, "2023", "Iraq", None, status="not_available")
    client.force_login(staff_with_role(DATA_MANAGER))

    response = client.post(add_url(Derivation), definition_form(hosted_total, hosted))

    assert response.status_code == 302
    assert value_of(hosted_total, "2024") == 1000
    said = " ".join(messages_of(response))
    assert "Computed 1 figure of Refugees hosted, all origins (1 new, 0 changed" in said
    assert "Not computed: 1 where an input has no value" in said
    changelist = client.get(changelist_url(Derivation)).content.decode()
    assert '<td class="field-figure_count">1</td>' in changelist


def test_the_definition_form_refuses_cases_over_persons(client, staff_with_role):
    client.force_login(staff_with_role(DATA_MANAGER))
    cases = IndicatorFactory(unit="cases")
    persons = IndicatorFactory(unit="persons")
    data = definition_form(
        IndicatorFactory(unit="%"), cases, DerivationMethod.RATIO, denominator=persons.pk
    )
    response = client.post(add_url(Derivation), data)
    assert response.status_code == 200
    assert "Cases and persons never mix" in response.content.decode()
    assert not Derivation.objects.exists()


def test_deleting_a_definition_deletes_its_figures(
    client, staff_with_role, country, hosted, hosted_total
):
    put(hosted, country, "2024", "Syria", 600)
    derivation = total_of(hosted_total, hosted)
    from statistics.derived import recompute

    recompute(derivation)
    client.force_login(staff_with_role(DATA_MANAGER))
    response = client.post(delete_url(derivation), {"post": "yes"})
    assert response.status_code == 302
    assert figures(hosted_total) == {}
    assert "Its 1 computed figure was deleted." in messages_of(response)


@pytest.mark.parametrize("role", [EDITOR, PUBLISHER])
def test_editors_and_publishers_may_not_define_derived_figures(client, staff_with_role, role):
    client.force_login(staff_with_role(role))
    assert client.get(changelist_url(Derivation)).status_code == 403
    assert client.get(add_url(Derivation)).status_code == 403


# --- the observation admin --------------------------------------------------------------


@pytest.fixture
def computed(country, hosted, hosted_total):
    from statistics.derived import recompute

    put(hosted, country, "2024", "Syria", 600)
    put(hosted, country, "2024", "Iraq", 400)
    recompute(total_of(hosted_total, hosted))
    return Observation.objects.get(indicator=hosted_total)


def test_a_computed_figure_is_shown_read_only_with_how_it_was_computed(
    client, staff_with_role, computed
):
    client.force_login(staff_with_role(DATA_MANAGER))
    response = client.get(change_url(computed))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="value"' not in html  # no input: read-only
    assert "This figure is computed by the portal (Sum of 2 categories" in html


def test_a_forged_change_or_delete_of_a_computed_figure_is_refused(
    client, staff_with_role, computed
):
    client.force_login(staff_with_role(DATA_MANAGER))
    form = {
        "indicator": computed.indicator_id,
        "country": computed.country_id,
        "period": "2024",
        "category": "",
        "value": "1",
        "qualifier": "",
        "status": "as_published",
    }
    assert client.post(change_url(computed), form).status_code == 403
    assert client.post(delete_url(computed), {"post": "yes"}).status_code == 403
    response = client.post(
        changelist_url(Observation),
        {"action": "delete_selected", "_selected_action": [computed.pk], "post": "yes"},
    )
    assert response.status_code == 403
    computed.refresh_from_db()
    assert computed.value == 1000


def test_a_figure_cannot_be_typed_in_for_a_derived_indicator(
    client, staff_with_role, computed, country, hosted_total
):
    client.force_login(staff_with_role(DATA_MANAGER))
    form = {
        "indicator": hosted_total.pk,
        "country": country.pk,
        "period": "2023",
        "category": "",
        "value": "5",
        "qualifier": "",
        "status": "as_published",
    }
    response = client.post(add_url(Observation), form)
    assert response.status_code == 200
    assert "is computed by the portal from other indicators" in response.content.decode()
    assert value_of(hosted_total, "2023") is None


def test_changing_an_input_in_the_admin_recomputes_the_total(
    client, staff_with_role, computed, country, hosted, hosted_total
):
    client.force_login(staff_with_role(DATA_MANAGER))
    syria = Observation.objects.get(indicator=hosted, category="Syria")
    form = {
        "indicator": hosted.pk,
        "country": country.pk,
        "period": "2024",
        "category": "Syria",
        "value": "700",
        "qualifier": "",
        "status": "provisional",
        "source": syria.source_id,
        "note": "",
        "area_label": "",
    }
    response = client.post(change_url(syria), form)
    assert response.status_code == 302
    total = figures(hosted_total)["2024", ""]
    assert total.value == 1100 and total.status == "provisional"


def test_deleting_an_input_in_the_admin_recomputes_the_total(
    client, staff_with_role, computed, hosted, hosted_total
):
    client.force_login(staff_with_role(DATA_MANAGER))
    iraq = Observation.objects.get(indicator=hosted, category="Iraq")
    assert client.post(delete_url(iraq), {"post": "yes"}).status_code == 302
    assert value_of(hosted_total, "2024") == 600
    syria = Observation.objects.get(indicator=hosted, category="Syria")
    response = client.post(
        changelist_url(Observation),
        {"action": "delete_selected", "_selected_action": [syria.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert figures(hosted_total) == {}


def test_the_derivation_admin_pages_open(admin_client, country, hosted, hosted_total):
    put(hosted, country, "2024", "Syria", 600)
    derivation = total_of(hosted_total, hosted)
    changelist = changelist_url(Derivation)
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "Refugees"}).status_code == 200
    assert admin_client.get(add_url(Derivation)).status_code == 200
    change = admin_client.get(change_url(derivation))
    assert change.status_code == 200
    assert 'class="viewsitelink"' in change.content.decode()


def test_renaming_an_input_or_changing_the_decimals_recomputes_notes_and_rates(
    client, staff_with_role, country, hosted, hosted_total
):
    population = IndicatorFactory(name="Population", unit="people")
    rate = IndicatorFactory(name="Per 1,000", unit="per 1,000", decimals=1)
    put(hosted, country, "2024", "Syria", 1)
    put(hosted_total, country, "2024", "", 1)
    put(population, country, "2024", "", 3)
    from statistics.derived import recompute

    from .build import derive

    recompute(derive(rate, DerivationMethod.RATIO, hosted_total, population, scale=1000))
    assert value_of(rate, "2024") == Decimal("333.3")
    client.force_login(staff_with_role(DATA_MANAGER))

    def save(indicator, **changes):
        form = {
            "code": indicator.code,
            "name": indicator.name,
            "description": "",
            "unit": indicator.unit,
            "decimals": indicator.decimals,
            "breakdown_label": indicator.breakdown_label,
            "order": indicator.order,
            "next_update": "",
            **changes,
        }
        response = client.post(change_url(indicator), form)
        assert response.status_code == 302, response.content.decode()[:3000]

    save(rate, decimals=0)
    assert value_of(rate, "2024") == 333
    save(population, name="Inhabitants")
    assert figures(rate)["2024", ""].note.startswith("Refugees hosted, all origins ÷ Inhabitants")


def test_renaming_a_divisors_source_rewords_the_rates_notes(
    client, staff_with_role, country, hosted_total
):
    from statistics.derived import recompute

    from tests.factories import SourceFactory

    from .build import derive

    world_bank = SourceFactory(publisher="WB")
    population = IndicatorFactory(name="Population", unit="people")
    rate = IndicatorFactory(name="Per 1,000", unit="per 1,000")
    put(hosted_total, country, "2024", "", 1)
    put(population, country, "2024", "", 4, source=world_bank)
    recompute(derive(rate, DerivationMethod.RATIO, hosted_total, population, scale=1000))
    client.force_login(staff_with_role(DATA_MANAGER))
    form = {"name": world_bank.name, "code": world_bank.code, "publisher": "World Bank"}
    response = client.post(change_url(world_bank), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert figures(rate)["2024", ""].note.endswith("; Population: World Bank.")
