"""Undoing a written import as one step, and what an import record says it did.

An import keeps the ids of the observations it added (`ImportRecord.added_observations`) and,
for every observation it changed, the written fields before and after (`ImportedChange`;
writing.record_changes). Undoing restores `before` and deletes what it added, in one
transaction, but only while nothing has changed those observations since: one that no longer
holds what the import wrote, that was edited in the admin since (its history), that a later
import (not undone) changed, or that it changed and was deleted since, is later work, and
the undo is refused as a whole, naming it. Never a partial undo.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.log import record as audit
from audit.models import AuditAction
from formatting.display import format_datetime
from pagecache.signals import content_changed

from ..models import ImportedChange, ImportRecord, Observation
from .changes import EXAMPLES, ChangeSummary
from .release import ImportUser, known_user
from .rows import WRITTEN_FIELDS, Written
from .writing import UPDATE_BATCH_SIZE, from_json

# Ids per query (SQLite's limit on a statement's parameters is far above this).
CHUNK = 900
NAMED = 3  # observations and later imports named in a refusal


class UndoRefused(Exception):
    """The import cannot be undone (as it stands); the message says why. Nothing changed."""


@dataclass(frozen=True)
class UndoResult:
    restored: int  # observations given back their values from before the import
    deleted: int  # observations the import had added


def chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def summary_of(record: ImportRecord) -> tuple[int, ChangeSummary]:
    """(how many observations `record` added, what it changed field by field) as its import
    preview showed them; from what the record kept, so also after later work or an undo."""
    added = len(record.added_observations)
    summary = ChangeSummary()
    rows = (
        record.changes.filter(observation__isnull=False)
        .values_list(
            "observation__indicator_id",
            "observation__country_id",
            "observation__region_id",
            "observation__period",
            "observation__category",
            "before",
            "after",
        )
        .iterator(chunk_size=2000)
    )
    for *key, before, after in rows:
        summary.add(tuple(key), from_json(before), from_json(after))  # type: ignore[arg-type]
    return added, summary.finish()


def added_examples(record: ImportRecord) -> list[Observation]:
    """A few of the observations `record` added that still exist, for its page."""
    ids = record.added_observations[:EXAMPLES]
    return list(
        Observation.objects.filter(pk__in=ids).select_related("indicator", "country", "region")
    )


def undo_import(record: ImportRecord, user: ImportUser) -> UndoResult:
    """Undo the written import `record` as one step, or raise UndoRefused (nothing changed).

    The claim (`undone_at` set where it is still empty) comes first, inside the transaction:
    of two undos at once only one goes on; a refusal rolls the claim back.
    """
    with transaction.atomic():
        claimed = (
            ImportRecord.objects.written()
            .filter(pk=record.pk, undone_at__isnull=True)
            .update(undone_at=timezone.now(), undone_by=known_user(user))
        )
        if not claimed:
            raise UndoRefused(_("This import has been undone already, or it wrote nothing."))
        rows = list(record.changes.values_list("observation_id", "before", "after"))
        added: list[int] = list(record.added_observations)
        ids = [pk for pk, _before, _after in rows if pk is not None] + added
        current: dict[int, Written] = {}
        indicator_of: dict[int, int] = {}
        for chunk in chunks(ids):
            stored = Observation.objects.filter(pk__in=chunk).values_list(
                "pk", "indicator_id", *WRITTEN_FIELDS
            )
            for pk, indicator_id, *fields in stored:
                current[pk] = tuple(fields)
                indicator_of[pk] = indicator_id
        # Later work that the values alone may not show: an edit in the admin (its history),
        # a later import (not undone) that changed an observation this one added.
        edited = set()
        for chunk in chunks(ids):
            edited.update(
                Observation.history.filter(
                    id__in=chunk, history_date__gt=record.created_at, history_type="~"
                ).values_list("id", flat=True)
            )
        for chunk in chunks(added):
            edited.update(_later_changes(record, chunk).values_list("observation_id", flat=True))
        changed_since: list[int] = []
        deleted_since = 0
        to_delete: list[int] = []
        to_restore: list[tuple[int, Written, Written]] = []  # pk, before, now stored
        for pk, before, after in rows:
            now_stored = current.get(pk) if pk is not None else None
            if now_stored is None:
                # Deleted since: it would have to be made again, later work to decide by hand.
                deleted_since += 1
            elif now_stored != from_json(after) or pk in edited:
                changed_since.append(pk)
            else:
                to_restore.append((pk, from_json(before), now_stored))
        for pk in added:
            if pk not in current:
                continue  # deleted since: nothing left to undo
            if pk in edited:
                changed_since.append(pk)
            else:
                to_delete.append(pk)
        if changed_since or deleted_since:
            raise UndoRefused(_refusal(record, changed_since, deleted_since))
        for chunk in chunks(to_delete):
            Observation.objects.filter(pk__in=chunk).delete()
        _restore(to_restore)
        count = len(to_delete) + len(to_restore)
        if count:
            # In the same transaction: a derived figure never disagrees with its inputs.
            from .. import derived

            derived.recompute_for(
                {indicator_of[pk] for pk in to_delete}
                | {indicator_of[pk] for pk, _before, _stored in to_restore}
            )
            # Inside the transaction: a page cache that cannot be told rolls the undo back.
            content_changed.send(sender=Observation, count=count)
        counts = {"restored": len(to_restore), "deleted": len(to_delete)}
        audit(
            AuditAction.UNDO_IMPORT,
            actor=user,
            obj=record,
            summary=_(
                "Undid the import of %(file)s: %(restored)d observations restored, "
                "%(deleted)d deleted."
            )
            % {"file": record.file_name or "-", **counts},
            detail=counts,
        )
    return UndoResult(restored=len(to_restore), deleted=len(to_delete))


def _restore(rows: list[tuple[int, Written, Written]]) -> None:
    """Put back `before` on each (pk, before, now stored), setting only the fields that
    differ, grouped as the import groups its updates (writing.Changes: bulk_update's cost
    grows with the fields it sets)."""
    now = timezone.now()
    groups: dict[tuple[str, ...], list[tuple[int, Written]]] = {}
    for pk, before, stored in rows:
        differ = tuple(
            name
            for name, old, new in zip(WRITTEN_FIELDS, before, stored, strict=True)
            if old != new
        )
        groups.setdefault(differ, []).append((pk, before))
    for differ, group in groups.items():
        for start in range(0, len(group), UPDATE_BATCH_SIZE):
            batch = []
            for pk, written in group[start : start + UPDATE_BATCH_SIZE]:
                observation = Observation(pk=pk, updated_at=now)
                for name, value in zip(WRITTEN_FIELDS, written, strict=True):
                    setattr(observation, name, value)
                batch.append(observation)
            Observation.objects.bulk_update(batch, [*differ, "updated_at"])


def _refusal(record: ImportRecord, changed_since: list[int], deleted_since: int) -> str:
    """Why the undo is refused: how many observations, which later imports, a few examples."""
    parts = [_("Not undone: nothing was changed.")]
    if changed_since:
        parts.append(
            ngettext(
                "%(count)d observation this import wrote has been changed since.",
                "%(count)d observations this import wrote have been changed since.",
                len(changed_since),
            )
            % {"count": len(changed_since)}
        )
        later = _later_imports(record, changed_since)
        if later:
            parts.append(
                _("Later imports changed them: %(imports)s. Undo those first, newest first.")
                % {"imports": "; ".join(later)}
            )
        examples = Observation.objects.filter(pk__in=changed_since[:NAMED]).select_related(
            "indicator", "country", "region"
        )
        parts.append(
            _("For example: %(observations)s.")
            % {"observations": "; ".join(str(observation) for observation in examples)}
        )
    if deleted_since:
        parts.append(
            ngettext(
                "%(count)d observation this import changed has been deleted since.",
                "%(count)d observations this import changed have been deleted since.",
                deleted_since,
            )
            % {"count": deleted_since}
        )
    parts.append(_("Undoing this import now would replace that later work."))
    return " ".join(parts)


def _later_changes(record: ImportRecord, observation_ids: Sequence[int]) -> QuerySet:
    """What later written imports, not undone, changed of these observations."""
    return ImportedChange.objects.filter(
        observation_id__in=observation_ids,
        record__pk__gt=record.pk,
        record__committed=True,
        record__undone_at__isnull=True,
    )


def _later_imports(record: ImportRecord, observation_ids: list[int]) -> list[str]:
    """The later written, not undone imports that changed any of these observations."""
    later: dict[int, str] = {}
    for chunk in chunks(observation_ids):
        found = (
            _later_changes(record, chunk)
            .exclude(record__pk__in=list(later))
            .values_list(
                "record__pk", "record__file_name", "record__user__username", "record__created_at"
            )
            .distinct()
        )
        for pk, file_name, username, created_at in found:
            later[pk] = _("“%(file)s” by %(user)s, %(when)s (import record %(pk)d)") % {
                "file": file_name or "-",
                "user": username or _("the command line"),
                "when": format_datetime(created_at),
                "pk": pk,
            }
    return [later[pk] for pk in sorted(later, reverse=True)]
