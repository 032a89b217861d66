"""A total over an indicator's categories: stored only where every category has an exact
value, with the inputs' status, source, area label and a note saying how it was made."""

from decimal import Decimal
from statistics.derived import recompute, recompute_for
from statistics.models import Observation, ObservationStatus, ValueQualifier

import pytest

from tests.factories import CountryFactory, SourceFactory

from .build import figures, put, total_of, value_of

pytestmark = pytest.mark.django_db


def test_a_total_is_the_sum_of_the_categories_of_each_area_and_period(
    country, unhcr, hosted, hosted_total
):
    other = CountryFactory()
    put(hosted, country, "2024", "Syria", 2901478, source=unhcr)
    put(hosted, country, "2024", "Afghanistan", 39257, source=unhcr)
    put(hosted, country, "2023", "Syria", 3214780, source=unhcr)
    put(hosted, other, "2024", "Syria", 5, source=unhcr)
    derivation = total_of(hosted_total, hosted)

    result = recompute(derivation)

    assert result.created == 3
    stored = Observation.objects.get(indicator=hosted_total, country=country, period="2024")
    assert stored.value == Decimal(2940735)
    assert stored.category == ""
    assert stored.is_derived
    assert stored.source == unhcr
    assert stored.qualifier == ValueQualifier.EXACT
    assert stored.note == "Sum of 2 categories (Origin) of Refugees hosted."
    assert value_of(hosted_total, "2023") == Decimal(3214780)
    assert Observation.objects.get(indicator=hosted_total, country=other).value == 5
    derivation.refresh_from_db()
    assert derivation.computed_at is not None


def test_a_published_total_of_the_input_is_not_added_to_its_own_categories(
    country, hosted, hosted_total
):
    put(hosted, country, "2024", "", 1000)
    put(hosted, country, "2024", "Syria", 600)
    put(hosted, country, "2024", "Iraq", 400)
    recompute(total_of(hosted_total, hosted))
    assert value_of(hosted_total, "2024") == 1000


@pytest.mark.parametrize("status", [ObservationStatus.NOT_AVAILABLE, ObservationStatus.SUPPRESSED])
def test_a_total_with_a_category_without_value_is_not_stored(country, hosted, hosted_total, status):
    put(hosted, country, "2024", "Syria", 600)
    put(hosted, country, "2024", "Iraq", None, status=status)
    put(hosted, country, "2023", "Syria", 500)
    result = recompute(total_of(hosted_total, hosted))
    assert value_of(hosted_total, "2024") is None  # never a silent partial sum of 600
    assert value_of(hosted_total, "2023") == 500
    assert result.refused == {"no_value": 1}


@pytest.mark.parametrize(
    "qualifier", [ValueQualifier.MORE_THAN, ValueQualifier.LESS_THAN, ValueQualifier.ABOUT]
)
def test_a_total_with_a_qualified_category_is_not_stored(country, hosted, hosted_total, qualifier):
    put(hosted, country, "2024", "Syria", 600)
    put(hosted, country, "2024", "Iraq", 5, qualifier=qualifier)
    result = recompute(total_of(hosted_total, hosted))
    assert figures(hosted_total) == {}
    assert result.refused == {"qualified": 1}


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["final", "provisional", "estimated"], "provisional"),
        (["final", "estimated", "as_published"], "estimated"),
        (["final", "final"], "final"),
        (["final", "as_published"], "as_published"),
        (["as_published", "as_published"], "as_published"),
    ],
)
def test_a_totals_status_is_the_weakest_of_its_inputs(
    country, hosted, hosted_total, statuses, expected
):
    for number, status in enumerate(statuses):
        put(hosted, country, "2024", f"Origin {number}", 10, status=status)
    recompute(total_of(hosted_total, hosted))
    assert figures(hosted_total)["2024", ""].status == expected


def test_a_total_has_no_source_when_its_categories_come_from_several(
    country, unhcr, hosted, hosted_total
):
    put(hosted, country, "2024", "Syria", 10, source=unhcr)
    put(hosted, country, "2024", "Iraq", 10, source=SourceFactory())
    recompute(total_of(hosted_total, hosted))
    assert figures(hosted_total)["2024", ""].source is None


def test_a_total_keeps_the_area_label_its_categories_share(country, hosted, hosted_total):
    label = "Serbia and Kosovo: S/RES/1244 (1999)"
    put(hosted, country, "2024", "Syria", 10, area_label=label)
    put(hosted, country, "2024", "Iraq", 20, area_label=label)
    recompute(total_of(hosted_total, hosted))
    assert figures(hosted_total)["2024", ""].area_label == label


def test_categories_under_different_area_labels_are_never_added(country, hosted, hosted_total):
    put(hosted, country, "2024", "Syria", 10, area_label="Serbia and Kosovo: S/RES/1244 (1999)")
    put(hosted, country, "2024", "Iraq", 20)
    result = recompute(total_of(hosted_total, hosted))
    assert figures(hosted_total) == {}
    assert result.refused == {"area_labels": 1}


def test_a_changed_input_changes_the_total_and_a_gone_place_loses_it(country, hosted, hosted_total):
    syria = put(hosted, country, "2024", "Syria", 10)
    put(hosted, country, "2024", "Iraq", 20)
    gone = put(hosted, country, "2023", "Iraq", 5)
    recompute(total_of(hosted_total, hosted))
    syria.value = 15
    syria.save()
    gone.delete()

    written = recompute_for([hosted.pk])

    assert written == 2  # one changed, one deleted
    assert figures(hosted_total).keys() == {("2024", "")}
    assert value_of(hosted_total, "2024") == 35


def test_a_recompute_that_changes_nothing_writes_nothing(country, hosted, hosted_total):
    put(hosted, country, "2024", "Syria", 10)
    put(hosted, country, "2024", "Iraq", 20)
    derivation = total_of(hosted_total, hosted)
    recompute(derivation)
    before = figures(hosted_total)["2024", ""]

    result = recompute(derivation)

    assert (result.created, result.updated, result.deleted, result.unchanged) == (0, 0, 0, 1)
    after = figures(hosted_total)["2024", ""]
    assert after.pk == before.pk and after.updated_at == before.updated_at
