"""What a definition must respect (Derivation.clean): no cycle, cases never with persons, no
imported figure under the derived indicator. And what a computation owes the rest of the
site: data releases respected, the page cache told only of a real change."""

from statistics.derived import recompute
from statistics.models import DataRelease, Derivation, DerivationMethod

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

import pagecache
from tests.factories import IndicatorFactory

from .build import derive, figures, put, total_of

pytestmark = pytest.mark.django_db


def test_a_cycle_through_other_derived_indicators_is_refused(hosted, hosted_total):
    share = IndicatorFactory(name="Share", unit="people")
    total_of(hosted_total, hosted)
    derive(share, DerivationMethod.TOTAL, hosted_total)
    closing = Derivation(indicator=hosted, method=DerivationMethod.TOTAL, numerator=share)
    with pytest.raises(ValidationError) as refused:
        closing.full_clean()
    message = refused.value.message_dict["numerator"][0]
    assert "from itself" in message
    assert "Refugees hosted → Refugees hosted, all origins → Share → Refugees hosted" in message


def test_a_definition_changed_in_place_is_not_its_own_cycle(hosted, hosted_total):
    derivation = total_of(hosted_total, hosted)
    derivation.explanation = "UNHCR counts refugees at the end of the year."
    derivation.full_clean()  # its own earlier edge is not counted against it


@pytest.mark.parametrize(("top", "bottom"), [("cases", "people"), ("persons", "Cases")])
def test_a_rate_of_cases_over_persons_is_refused(top, bottom):
    numerator = IndicatorFactory(unit=top)
    denominator = IndicatorFactory(unit=bottom)
    rate = Derivation(
        indicator=IndicatorFactory(unit="%"),
        method=DerivationMethod.RATIO,
        numerator=numerator,
        denominator=denominator,
        scale=100,
    )
    with pytest.raises(ValidationError) as refused:
        rate.full_clean()
    assert "Cases and persons never mix" in refused.value.message_dict["denominator"][0]


def test_a_rate_of_cases_over_cases_is_accepted():
    rate = Derivation(
        indicator=IndicatorFactory(unit="%"),
        method=DerivationMethod.RATIO,
        numerator=IndicatorFactory(unit="cases"),
        denominator=IndicatorFactory(unit="cases"),
        scale=100,
    )
    rate.full_clean()


def test_a_total_of_cases_counted_as_persons_is_refused(hosted):
    cases = Derivation(
        indicator=IndicatorFactory(unit="cases"), method=DerivationMethod.TOTAL, numerator=hosted
    )
    with pytest.raises(ValidationError) as refused:
        cases.full_clean()
    assert "Cases and persons never mix" in refused.value.message_dict["numerator"][0]


def test_an_indicator_holding_imported_figures_cannot_become_derived(country, hosted, hosted_total):
    put(hosted_total, country, "2024", "", 5)
    derivation = Derivation(indicator=hosted_total, method=DerivationMethod.TOTAL, numerator=hosted)
    with pytest.raises(ValidationError) as refused:
        derivation.full_clean()
    assert "holds 1 figure that was imported" in refused.value.message_dict["indicator"][0]


def test_figures_of_a_pending_release_make_a_total_of_that_release(country, hosted, hosted_total):
    """Never public before its inputs: the total waits for the same release."""
    held = DataRelease.objects.create(name="Held", release_at=None)
    put(hosted, country, "2024", "Syria", 10)
    put(hosted, country, "2024", "Iraq", 20, release=held)
    released = DataRelease.objects.create(name="Out", release_at=timezone.now())
    put(hosted, country, "2023", "Iraq", 20, release=released)
    other = DataRelease.objects.create(name="Other", release_at=None)
    put(hosted, country, "2022", "Syria", 10, release=other)
    put(hosted, country, "2022", "Iraq", 20, release=held)

    result = recompute(total_of(hosted_total, hosted))

    stored = figures(hosted_total)
    assert stored["2024", ""].release == held
    assert stored["2023", ""].release is None
    assert ("2022", "") not in stored
    assert result.refused == {"releases": 1}


def test_the_page_cache_is_bumped_when_figures_change_and_only_then(country, hosted, hosted_total):
    put(hosted, country, "2024", "Syria", 10)
    derivation = total_of(hosted_total, hosted)
    before = pagecache.current_generation()
    recompute(derivation)
    changed = pagecache.current_generation()
    assert changed != before

    recompute(derivation)

    assert pagecache.current_generation() == changed


def test_a_cycle_made_behind_the_forms_back_is_skipped_not_looped(hosted, hosted_total, caplog):
    """Only a raw write (a fixture) can make one: recomputing then stops, and says so."""
    from statistics.derived import recompute_for

    total_of(hosted_total, hosted)
    Derivation.objects.create(
        indicator=hosted, method=DerivationMethod.TOTAL, numerator=hosted_total
    )
    assert recompute_for([hosted.pk]) == 0
    assert "Derivations in a cycle were not computed" in caplog.text
