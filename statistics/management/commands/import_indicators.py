import os
from statistics.imports.pipeline import import_observations
from statistics.imports.release import ReleasePlan
from statistics.imports.rows import ERROR, NEW, UNCHANGED, UPDATED
from statistics.profiles.format import ProfileError
from statistics.profiles.load import load_profile
from statistics.profiles.reshape import ProfileReader

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from formatting.display import format_number
from pagecache import PageCacheUnavailable


class Command(BaseCommand):
    help = (
        "Import observations from a CSV or XLSX file in the contract format "
        "(indicator,area,period,category,value,status,source,note,qualifier,area_label), or "
        "as a source publishes it with --profile. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--profile",
            metavar="PROFILE",
            help="Read the file with an import profile: a saved profile's name or the path of "
            "a profile file (JSON, see docs/staff/import-profiles.md).",
        )
        staging = parser.add_argument_group(
            "staging",
            "Stage the new observations as a scheduled data release (an embargo): staff-only "
            "until the time, or until a Publisher or Data manager releases them in the admin. "
            "A staged import may only add observations.",
        )
        staging.add_argument(
            "--release-at",
            metavar="TIME",
            help='When the staged observations become public, e.g. "2026-12-01 10:00" (in '
            "TIME_ZONE unless an offset is given).",
        )
        staging.add_argument(
            "--staged",
            action="store_true",
            help="Stage without a time: held until someone releases them.",
        )
        staging.add_argument(
            "--release-name", help="Name of the data release (default: the file name)."
        )

    def handle(self, *args, path, dry_run, **options):
        release = self.release_plan(path, options)
        reader, label = None, ""
        if options.get("profile"):
            try:
                profile, label = load_profile(options["profile"])
            except ProfileError as error:
                raise CommandError(
                    "The import profile cannot be used:\n- " + "\n- ".join(error.problems)
                ) from None
            reader = ProfileReader(profile, label=label)
        try:
            size = os.path.getsize(path)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if size > limit:
            data = b"x" * (limit + 1)  # let the pipeline word (and record) the size error
        else:
            with open(path, "rb") as handle:
                data = handle.read()

        def progress(stage, count):
            # Rows are written inside one transaction: until it commits, nothing is kept.
            pending = (
                " (kept only once the whole import is committed)" if stage == "written" else ""
            )
            self.stderr.write(f"... {count:,} rows {stage}{pending}")

        try:
            report = import_observations(
                data,
                file_name=os.path.basename(path),
                dry_run=dry_run,
                progress=progress if options["verbosity"] >= 1 else None,
                max_rows=settings.IMPORT_COMMAND_MAX_ROWS,
                release=release,
                reader=reader,
                profile=label,
            )
        except PageCacheUnavailable as error:
            raise CommandError(str(error)) from None
        counts = report.counts
        if report.kind:
            self.stdout.write(f"File: {os.path.basename(path)} ({report.kind})")
        self.stdout.write(
            f"{format_number(counts[NEW])} new, {format_number(counts[UPDATED])} updated, "
            f"{format_number(counts[UNCHANGED])} unchanged, "
            f"{format_number(counts[ERROR] + len(report.file_errors))} errors"
        )
        if report.changes:
            changed = format_number(report.changes.observations)
            self.stdout.write(f"Changes to {changed} existing observations:")
            for line in report.changes.lines():
                self.stdout.write(f"  {line}")
        for line in report.problem_lines():
            self.stdout.write(line)
        for line in report.error_lines():
            self.stdout.write(line)
        if report.has_errors:
            raise CommandError(
                "Rejected: nothing was written. Correct the errors and import again."
            )
        if release is not None:
            if report.release is not None or dry_run:
                self.stdout.write(release.describe())
            else:
                self.stdout.write("Nothing new to stage: no data release was made.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif not (counts[NEW] or counts[UPDATED]):
            self.stdout.write(
                "Nothing was written: every row is already stored exactly as in the file."
            )
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))

    @staticmethod
    def release_plan(path, options):
        """The ReleasePlan asked for by --release-at / --staged, or None (public at once)."""
        text, held = options["release_at"], options["staged"]
        if text is None and not held:
            if options["release_name"]:
                raise CommandError("--release-name needs --release-at or --staged.")
            return None
        if text is not None and held:
            raise CommandError("Give --release-at or --staged, not both.")
        release_at = None
        if text is not None:
            try:
                release_at = parse_datetime(text.strip())
            except ValueError:
                release_at = None
            if release_at is None:
                raise CommandError(
                    f'--release-at "{text}" is not a date and time; write it as "2026-12-01 10:00".'
                )
            if timezone.is_naive(release_at):
                release_at = timezone.make_aware(release_at)
        try:
            return ReleasePlan.checked(
                options["release_name"] or os.path.basename(path), release_at
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
