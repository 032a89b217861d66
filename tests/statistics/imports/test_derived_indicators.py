"""Imports and derived indicators (statistics.models.Derivation): a derived indicator's figures
are computed by the portal, never imported; an import or an undo that writes an input's
observations has the derived figures recomputed in its own transaction."""

from statistics.imports.pipeline import import_observations
from statistics.imports.undo import undo_import
from statistics.models import Derivation, DerivationMethod, Observation

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CountryFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators():
    CountryFactory(iso_code="QS")
    hosted = IndicatorFactory(code="refugees-hosted-by-origin")
    total = IndicatorFactory(code="refugees-hosted")
    Derivation.objects.create(indicator=total, method=DerivationMethod.TOTAL, numerator=hosted)
    return hosted, total


@pytest.fixture
def recomputed(monkeypatch):
    """The calls of statistics.derived.recompute_for: (indicator ids, inside a transaction)."""
    calls = []

    def recompute_for(indicator_ids):
        calls.append((set(indicator_ids), connection.in_atomic_block))

    monkeypatch.setattr("statistics.derived.recompute_for", recompute_for)
    return calls


def csv(*rows):
    return ("indicator,area,period,category,value\n" + "".join(f"{r}\n" for r in rows)).encode()


def test_a_row_of_a_derived_indicator_is_refused(indicators):
    report = import_observations(
        csv("refugees-hosted,QS,2024,,10", "refugees-hosted-by-origin,QS,2024,Syria,10")
    )
    assert report.error_lines() == [
        "Row 2, column 'indicator': 'refugees-hosted' is computed by the portal from other "
        "indicators; its figures cannot be imported."
    ]
    assert not report.committed and not Observation.objects.exists()


def test_derived_indicators_are_read_once_per_import(indicators):
    def queries(count):
        rows = [f"refugees-hosted,QS,{2000 + n},,1" for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            import_observations(csv(*rows), dry_run=True)
        return len(captured)

    assert queries(2) == queries(40)


def test_an_import_recomputes_what_it_wrote_in_its_transaction(indicators, recomputed):
    hosted, _total = indicators
    other = IndicatorFactory(code="asylum-applications")
    rows = ("refugees-hosted-by-origin,QS,2024,Syria,10", "asylum-applications,QS,2024,,3")
    import_observations(csv(*rows), dry_run=True)
    assert recomputed == []  # a dry run writes nothing
    report = import_observations(csv(*rows))
    assert report.committed
    assert recomputed == [({hosted.pk, other.pk}, True)]
    import_observations(csv(*rows))  # unchanged: nothing written, nothing to recompute
    assert len(recomputed) == 1
    changed = import_observations(csv("refugees-hosted-by-origin,QS,2024,Syria,11"))
    assert changed.counts["updated"] == 1
    assert recomputed[-1] == ({hosted.pk}, True)

    undo_import(changed.record, None)
    assert recomputed[-1] == ({hosted.pk}, True)
    undo_import(report.record, None)  # deletes the two it added
    assert recomputed[-1] == ({hosted.pk, other.pk}, True)
    assert not Observation.objects.exists()


def test_a_rejected_import_recomputes_nothing(indicators, recomputed):
    import_observations(csv("refugees-hosted-by-origin,QS,2024,Syria,x"))
    assert recomputed == []


def test_the_derived_total_follows_an_import_and_its_undo(indicators):
    """With statistics.derived's own computation: the total is written with the import,
    follows a revision and goes back with its undo."""
    _hosted, total = indicators

    def totals():
        return list(
            Observation.objects.filter(indicator=total).values_list("period", "value", "is_derived")
        )

    first = import_observations(
        csv(
            "refugees-hosted-by-origin,QS,2024,Syria,10",
            "refugees-hosted-by-origin,QS,2024,Ukraine,5",
        )
    )
    assert first.committed and totals() == [("2024", 15, True)]
    revised = import_observations(csv("refugees-hosted-by-origin,QS,2024,Syria,11"))
    assert revised.counts["updated"] == 1 and totals() == [("2024", 16, True)]
    undo_import(revised.record, None)
    assert totals() == [("2024", 15, True)]
    undo_import(first.record, None)
    assert totals() == []
