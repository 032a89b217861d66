import os
from statistics.importing import ERROR, NEW, UNCHANGED, UPDATED, import_observations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wbportal.pagecache import PageCacheUnavailable


class Command(BaseCommand):
    help = (
        "Import observations from a CSV or XLSX file in the contract format "
        "(indicator,area,period,category,value,status,source,note). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, path, dry_run, **options):
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
            )
        except PageCacheUnavailable as error:
            raise CommandError(str(error)) from None
        counts = report.counts
        if report.kind:
            self.stdout.write(f"File: {os.path.basename(path)} ({report.kind})")
        self.stdout.write(
            f"{counts[NEW]} new, {counts[UPDATED]} updated, {counts[UNCHANGED]} unchanged, "
            f"{counts[ERROR] + len(report.file_errors)} errors"
        )
        for line in report.error_lines():
            self.stdout.write(line)
        if report.has_errors:
            raise CommandError(
                "Rejected: nothing was written. Correct the errors and import again."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))
