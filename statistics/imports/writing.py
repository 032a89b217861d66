"""Comparing valid rows with what is stored, and writing them: in bulk, in batches.

The caller holds the transaction (all or nothing). Staging (a scheduled data release,
statistics.imports.release): the new observations are written into a DataRelease and stay
staff-only until its time (or "Release now"). A staged import may only add observations: a
row that would change an existing one is refused, so no public value ever waits for a release
and no pending copy of one is needed.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ..models import DataRelease, ImportedChange, ImportRecord, Observation
from .release import ImportUser, known_user
from .report import PROGRESS_EVERY, ImportReport, Progress
from .rows import ERROR, NEW, UNCHANGED, UPDATED, WRITTEN_FIELDS, Key, ParsedObservation, Written

# natural key -> (pk, stored written fields), as existing_observations() gives them
Existing = dict[Key, tuple[int, Written]]

BATCH_SIZE = 2000
UPDATE_BATCH_SIZE = 500


def existing_observations(indicator_ids: Iterable[int]) -> Existing:
    """Existing observations of these indicators: natural key -> (pk, stored written fields)."""
    existing: Existing = {}
    rows = Observation.objects.filter(indicator_id__in=indicator_ids).values_list(
        "pk", "indicator_id", "country_id", "region_id", "period", "category", *WRITTEN_FIELDS
    )
    for pk, *key, value, qualifier, status, source, note, area_label in rows.iterator(
        chunk_size=5000
    ):
        existing[tuple(key)] = (pk, (value, qualifier, status, source, note, area_label))
    return existing


@dataclass(slots=True)
class Change:
    """What writing `observation` does: NEW, UPDATED (the fields `changed`) or UNCHANGED."""

    observation: ParsedObservation
    action: str
    changed: tuple[str, ...] = ()  # names from WRITTEN_FIELDS
    pk: int | None = None
    before: Written | None = None  # what is stored now (UPDATED and UNCHANGED)

    @property
    def changed_names(self) -> list[str]:
        """The changed fields as the report names them (source, not source_id)."""
        return [name.removesuffix("_id") for name in self.changed]


def compare(observation: ParsedObservation, existing: Existing) -> Change:
    """The Change for `observation` given `existing` (from existing_observations)."""
    found = existing.get(observation.key)
    if found is None:
        return Change(observation, NEW)
    pk, current = found
    written = observation.written
    if current == written:
        return Change(observation, UNCHANGED, (), pk, current)
    changed = tuple(
        name for name, old, new in zip(WRITTEN_FIELDS, current, written, strict=True) if old != new
    )
    return Change(observation, UPDATED, changed, pk, current)


@dataclass
class Changes:
    """The writes of one import: new observations, and updates grouped by the fields they set
    (bulk_update builds one CASE expression per field and row, in Python, and its cost grows
    with the batch: it is the slowest step of a large import, so each group of rows sets only
    the fields that changed in it, usually the value alone, in smaller batches)."""

    to_create: list[ParsedObservation] = field(default_factory=list)
    # changed fields -> [(pk, observation, stored before)]
    to_update: dict[tuple[str, ...], list[tuple[int, ParsedObservation, Written]]] = field(
        default_factory=dict
    )
    # The pks of to_create, in its order, once write() has created them.
    created_pks: list[int] = field(default_factory=list)

    def add(self, change: Change) -> None:
        if change.action == NEW:
            self.to_create.append(change.observation)
        elif change.action == UPDATED:
            # compare() gives every update its pk and what is stored
            assert change.pk is not None and change.before is not None
            self.to_update.setdefault(change.changed, []).append(
                (change.pk, change.observation, change.before)
            )

    @property
    def count(self) -> int:
        return len(self.to_create) + sum(len(rows) for rows in self.to_update.values())

    def indicator_ids(self) -> set[int]:
        """The indicators whose observations these writes add or change."""
        ids = {row.indicator_id for row in self.to_create}
        ids.update(row.indicator_id for rows in self.to_update.values() for _pk, row, _ in rows)
        return ids


def write(
    changes: Changes, progress: Progress | None = None, release: DataRelease | None = None
) -> None:
    """Create and update in batches; new observations go into `release` if given."""
    now = timezone.now()
    done = 0
    to_create = changes.to_create
    for start in range(0, len(to_create), BATCH_SIZE):
        batch = [
            Observation(
                indicator_id=row.indicator_id,
                country_id=row.country_id,
                region_id=row.region_id,
                period=row.period.text,
                period_start=row.period.start,
                period_end=row.period.end,
                category=row.category,
                value=row.value,
                qualifier=row.qualifier,
                status=row.status,
                source_id=row.source_id,
                note=row.note,
                area_label=row.area_label,
                release=release,
                updated_at=now,
            )
            for row in to_create[start : start + BATCH_SIZE]
        ]
        Observation.objects.bulk_create(batch)
        changes.created_pks.extend(observation.pk for observation in batch)
        done += len(batch)
        if progress and done % PROGRESS_EVERY < BATCH_SIZE:
            progress("written", done)
    for written, rows in changes.to_update.items():
        for start in range(0, len(rows), UPDATE_BATCH_SIZE):
            batch = [
                Observation(
                    pk=pk,
                    value=row.value,
                    qualifier=row.qualifier,
                    status=row.status,
                    source_id=row.source_id,
                    note=row.note,
                    area_label=row.area_label,
                    updated_at=now,
                )
                for pk, row, _before in rows[start : start + UPDATE_BATCH_SIZE]
            ]
            Observation.objects.bulk_update(batch, [*written, "updated_at"])


def as_json(written: Written) -> dict[str, Any]:
    """The written fields as an ImportedChange keeps them (the value as exact text)."""
    value, *rest = written
    return dict(zip(WRITTEN_FIELDS, (None if value is None else str(value), *rest), strict=True))


def from_json(stored: dict[str, Any]) -> Written:
    """The written fields from an ImportedChange's `before` or `after` (kept before imports
    wrote `area_label`: blank)."""
    value = stored["value"]
    return (
        None if value is None else Decimal(value),
        stored["qualifier"],
        stored["status"],
        stored["source_id"],
        stored["note"],
        stored.get("area_label", ""),
    )


def record_changes(changes: Changes, record: ImportRecord) -> None:
    """Keep what a written import added (the ids) and changed (before and after), for its
    record's page and for undoing it (statistics.imports.undo)."""
    assert len(changes.created_pks) == len(changes.to_create)  # write() ran
    if changes.created_pks:
        record.added_observations = changes.created_pks
        record.save(update_fields=["added_observations"])
    updated = (
        ImportedChange(
            record=record, observation_id=pk, before=as_json(before), after=as_json(row.written)
        )
        for rows in changes.to_update.values()
        for pk, row, before in rows
    )
    batch: list[ImportedChange] = []
    for change in updated:
        batch.append(change)
        if len(batch) == BATCH_SIZE:
            ImportedChange.objects.bulk_create(batch)
            batch = []
    if batch:
        ImportedChange.objects.bulk_create(batch)


def record(report: ImportReport, user: ImportUser, via: str) -> ImportRecord:
    """The ImportRecord of a run (preview, dry run, rejected or written)."""
    counts = report.counts
    return ImportRecord.objects.create(
        user=known_user(user),
        file_name=(report.file_name or "")[:255],
        via=via,
        dry_run=report.dry_run,
        committed=report.committed,
        new=counts[NEW],
        updated=counts[UPDATED],
        unchanged=counts[UNCHANGED],
        errors=counts[ERROR] + len(report.file_errors),
        # What was skipped and the problems grouped, then the rows one by one.
        messages="\n".join([*report.problem_lines(), *report.error_lines()][:200]),
        profile=(report.profile or "")[:300],
    )
