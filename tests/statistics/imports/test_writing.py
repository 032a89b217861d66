"""statistics.imports.writing on its own: compare with what is stored, write, record."""

import datetime
from decimal import Decimal
from statistics.imports import writing
from statistics.imports.release import ReleasePlan
from statistics.imports.report import ImportReport
from statistics.imports.rows import NEW, UNCHANGED, UPDATED, ParsedObservation
from statistics.models import DataRelease, ImportRecord, Observation

import pytest
from django.utils import timezone

from formatting.periods import parse_period
from tests.factories import IndicatorFactory, ObservationFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored():
    return ObservationFactory(
        indicator=IndicatorFactory(), region=RegionFactory(), period="2024", value=100, note=""
    )


def parsed(like, **changes):
    fields = {
        "number": 2,
        "indicator_id": like.indicator_id,
        "country_id": None,
        "region_id": like.region_id,
        "period": parse_period(like.period),
        "category": like.category,
        "value": Decimal(like.value),
        "qualifier": like.qualifier,
        "status": like.status,
        "source_id": like.source_id,
        "note": like.note,
    }
    return ParsedObservation(**(fields | changes))


def test_compare_tells_new_unchanged_and_updated_apart(stored):
    existing = writing.existing_observations({stored.indicator_id})
    assert list(existing) == [
        (stored.indicator_id, None, stored.region_id, "2024", ""),
    ]
    assert writing.compare(parsed(stored), existing).action == UNCHANGED
    new = writing.compare(parsed(stored, period=parse_period("2025")), existing)
    assert (new.action, new.pk) == (NEW, None)
    updated = writing.compare(parsed(stored, value=Decimal("101"), source_id=None), existing)
    assert (updated.action, updated.pk) == (UPDATED, stored.pk)
    assert updated.changed == ("value", "source_id")
    assert updated.changed_names == ["value", "source"]


def test_write_creates_and_updates_only_the_changed_fields(stored):
    existing = writing.existing_observations({stored.indicator_id})
    changes = writing.Changes()
    for observation in (
        parsed(stored, value=Decimal("7.5"), note="changed note"),
        parsed(stored, period=parse_period("2025-Q1"), value=None, status="not_available"),
    ):
        changes.add(writing.compare(observation, existing))
    assert changes.count == 2
    assert list(changes.to_update) == [("value", "note")]
    writing.write(changes)
    stored.refresh_from_db()
    assert (stored.value, stored.note) == (Decimal("7.5"), "changed note")
    added = Observation.objects.get(period="2025-Q1")
    assert (added.period_start, added.period_end) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 3, 31),
    )
    assert added.value is None and added.release is None


def test_a_release_plan_is_checked_and_makes_the_release():
    with pytest.raises(ValueError, match="has passed"):
        ReleasePlan.checked("x", timezone.now() - datetime.timedelta(minutes=1))
    plan = ReleasePlan.checked("  ", None)
    assert plan.name == "Staged import"
    release = plan.create_release(UserFactory())
    assert DataRelease.objects.get() == release and release.release_at is None


def test_record_counts_rows_and_file_errors():
    report = ImportReport(file_name="x.csv", dry_run=True)
    report.counts[NEW] = 3
    report.file_errors.append("The file is empty.")
    record = writing.record(report, None, ImportRecord.Via.COMMAND)
    assert (record.new, record.errors, record.dry_run, record.committed) == (3, 1, True, False)
    assert record.messages == "The file is empty."
