"""The import of observations, shared by the admin, the command and import profiles.

    open a Table (tables) -> check its rows (validation, against lookups)
    -> compare with what is stored and write, in one transaction (writing) -> ImportReport

All or nothing: nothing is written unless every row is valid. Every error names its row (in
the original file) and column. Every run is recorded as an ImportRecord. A file already
imported imports again as "unchanged", writing nothing.

The seam for rows read elsewhere (import profiles reshape a source's own file): build a
`tables.Table` whose `columns` are contract column names (`rows.COLUMNS`: indicator, area,
period, category, value, status, source, note, and optionally qualifier; any order) and whose
`rows` iterate `rows.SourceRow(number, cells)`: `number` the row's number in the ORIGINAL file,
`cells` strings in the order of `columns` (a wide table gives one SourceRow per cell, each with
the number of the row it came from; optional `labels` name the original columns in errors).
Then `import_table(table, ...)` (or `import_observations(table=table, ...)`) imports it with
every guarantee above. The table's producer reads its file within `readers.Limits`; the
pipeline checks the column names, every row and the natural keys.
"""

from collections.abc import Callable
from dataclasses import replace
from typing import TypedDict, Unpack

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from audit.log import record as audit
from audit.models import AuditAction
from formatting.display import format_number as human_number
from pagecache.signals import content_changed

from ..models import ImportRecord, Observation
from . import validation, writing
from .lookups import Lookups
from .readers import FileError, Limits
from .release import ImportUser, ReleasePlan, known_user
from .report import ImportReport, Progress, RowResult, display_warnings, stored_values
from .rows import ERROR, NEW, UNCHANGED, UPDATED
from .tables import ImportableTable, check_header, open_table

# Reads a file's bytes into rows within the limits: open_table, or an import profile's reader.
Reader = Callable[[bytes, Limits], ImportableTable]


class RunOptions(TypedDict, total=False):
    """How import_observations() runs and records an import: its keyword arguments besides
    `table`, `reader` and `profile`, for those that pass them on."""

    file_name: str
    user: ImportUser
    dry_run: bool
    via: str
    progress: Progress | None
    preview_limit: int
    max_rows: int | None
    release: ReleasePlan | None


class ImportOptions(RunOptions, total=False):
    """import_observations()'s keyword arguments besides `table`."""

    reader: Reader | None
    profile: str


STAGED_CHANGE = gettext_noop(
    "This row would change an existing observation (%(changes)s). A staged data release "
    "only adds new observations; import changes without staging, or edit the observation."
)


def import_observations(
    data: bytes | None = None,
    *,
    table: ImportableTable | None = None,
    file_name: str = "",
    user: ImportUser = None,
    dry_run: bool = False,
    via: str = ImportRecord.Via.COMMAND,
    progress: Progress | None = None,
    preview_limit: int = 0,
    max_rows: int | None = None,
    release: ReleasePlan | None = None,
    reader: Reader | None = None,
    profile: str = "",
) -> ImportReport:
    """Validate and (unless dry_run or rejected) write the observations of a file's bytes
    (`data`) or of a Table of rows read elsewhere (`table`): give one of them.

    Returns an ImportReport. Nothing is written unless every row is valid. `max_rows`: the
    file's row limit when not IMPORT_MAX_ROWS (the command's own, IMPORT_COMMAND_MAX_ROWS).
    `release`: a ReleasePlan to stage the new observations instead of publishing them.
    `progress(step, count)`: called every report.PROGRESS_EVERY rows checked and written.
    `reader`: a callable (data, limits) -> Table that reads `data` instead of open_table (an
    import profile's, statistics.profiles); `profile` names it in the import record.
    """
    if (data is None) == (table is None):
        raise TypeError("import_observations() takes either data or table")

    def open_() -> ImportableTable:
        if table is not None:
            check_header(table.columns)
            return table
        limits = Limits.from_settings()
        if max_rows is not None:
            limits = replace(limits, rows=max_rows)
        assert data is not None  # given when `table` is not
        return (reader or open_table)(data, limits)

    report = ImportReport(
        file_name=file_name, dry_run=dry_run, release_plan=release, profile=profile
    )
    try:
        if dry_run:
            _run(open_, report, progress, preview_limit, user)
        else:
            with transaction.atomic():
                _run(open_, report, progress, preview_limit, user)
                if report.has_errors:
                    transaction.set_rollback(True)
                else:
                    report.committed = True
                    report.record = writing.record(report, user, via)
                    if report.written is not None:
                        writing.record_changes(report.written, report.record)
                    _audit(report, user)
                    if report.release is not None:
                        report.release.import_record = report.record
                        report.release.save(update_fields=["import_record"])
    except FileError as error:
        report.file_errors.append(str(error))
    except IntegrityError:
        report.committed = False
        report.release = None
        report.file_errors.append(
            _(
                "The observations changed while the file was being imported; nothing was "
                "written. Import the file again."
            )
        )
    if report.record is None:
        report.record = writing.record(report, user, via)
    return report


def _audit(report: ImportReport, user: ImportUser) -> None:
    """The audit log's entry for a written import (inside its transaction)."""
    counts = report.counts
    audit(
        AuditAction.IMPORT,
        actor=user,
        obj=report.record,
        actor_name="" if known_user(user) else "import_indicators",
        summary=_("%(file)s: %(new)d new, %(updated)d updated, %(unchanged)d unchanged.")
        % {"file": report.file_name or "-", **counts},
        detail={
            "file": report.file_name,
            "profile": report.profile,
            "new": counts[NEW],
            "updated": counts[UPDATED],
            "unchanged": counts[UNCHANGED],
            "release": report.release.pk if report.release is not None else None,
        },
    )


def import_table(table: ImportableTable, **options: Unpack[ImportOptions]) -> ImportReport:
    """import_observations() for a Table of rows read elsewhere (an import profile's)."""
    return import_observations(table=table, **options)


def _run(
    open_: Callable[[], ImportableTable],
    report: ImportReport,
    progress: Progress | None,
    preview_limit: int,
    user: ImportUser,
) -> None:
    table = open_()
    report.kind = table.kind
    lookups = Lookups()
    checked = validation.check_rows(
        table.rows,
        table.columns,
        lookups,
        decimal_comma=table.decimal_comma,
        preview_limit=preview_limit,
        max_errors=settings.IMPORT_MAX_ERRORS,
        progress=progress,
    )
    if checked.seen == 0:
        raise FileError(_("The file has a header row but no data rows."))
    errors = checked.errors
    existing = writing.existing_observations(
        {observation.indicator_id for observation in checked.valid}
    )
    changes = writing.Changes()
    preview: list[RowResult] = []
    counts = report.counts
    for position, observation in enumerate(checked.valid):
        if position in checked.duplicated:
            continue  # the first row of a duplicated key: listed with the errors
        number = observation.number
        values = checked.values.get(position)
        change = writing.compare(observation, existing)
        if change.action == UPDATED and report.release_plan is not None:
            message = _(STAGED_CHANGE) % {"changes": ", ".join(change.changed_names)}
            errors.add(number, values or {}, [("", message)])
            continue
        if change.action == UPDATED:
            assert change.before is not None  # compare() gives an update what is stored
            report.changes.add(observation.key, change.before, observation.written)
        changes.add(change)
        counts[change.action] += 1
        warnings = display_warnings(
            observation, lookups.indicator_display.get(observation.indicator_id)
        )
        if warnings:
            report.rounded += 1
        if len(preview) < preview_limit and values is not None:
            preview.append(
                RowResult(
                    number,
                    change.action,
                    values,
                    changed=change.changed_names,
                    stored=stored_values(values, observation),
                    warnings=warnings,
                )
            )
    counts[ERROR] = errors.count
    report.error_groups = errors.sorted_groups()
    report.other_problems = errors.other_problems
    report.error_cells = errors.cells
    report.rows_with_errors = errors.rows_counted
    # Complete now that every row has been read: what an import profile skipped on purpose.
    report.skipped = getattr(table, "skipped", None) or {}
    if errors.count > len(errors.listed):
        # Every row was checked (the row limit bounds the cost); only the listing is capped.
        # Not an error itself: it says where the listing stops.
        listed = len({row.number for row in errors.listed})
        report.listing_note = ngettext(
            "%(count)s rows have errors; the first is listed. Correct them and import the "
            "file again to see the rest.",
            "%(count)s rows have errors; the first %(listed)s are listed. Correct them "
            "and import the file again to see the rest.",
            listed,
        ) % {"count": human_number(errors.rows_counted), "listed": human_number(listed)}
    report.error_rows = errors.rows()
    report.changes.finish()
    if preview_limit:
        shown = preview + report.error_rows[:preview_limit]
        report.preview = sorted(shown, key=lambda row: row.number)
    if report.has_errors or report.dry_run:
        return
    plan = report.release_plan
    if plan is not None and changes.to_create:
        report.release = plan.create_release(user)
    writing.write(changes, progress, report.release)
    report.written = changes
    written = counts[NEW] + counts[UPDATED]
    if written:
        # In the same transaction: a derived figure never disagrees with its inputs.
        # (Imported here: statistics.derived may build on this package.)
        from .. import derived

        derived.recompute_for(changes.indicator_ids())
        # Inside the transaction, before the commit: a page cache that cannot be told of the
        # change makes the import roll back (pagecache.generation).
        content_changed.send(sender=Observation, count=written)
