"""Lists, and with --delete removes, stored files under MEDIA_ROOT's library/ and documents/
that nothing refers to any more (library.orphans). Run daily from cron
(docs/operators/deploy.md)."""

import datetime

from django.core.management.base import BaseCommand

from library.orphans import delete_orphans, find_orphans


class Command(BaseCommand):
    help = (
        "List stored files under library/ and documents/ that no row refers to; "
        "--delete removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Remove the files (default: only list them)."
        )
        parser.add_argument(
            "--min-age",
            type=int,
            default=3600,
            metavar="SECONDS",
            help="Leave files younger than this alone (an upload is stored before its row "
            "is committed). Default: 3600.",
        )

    def handle(self, *args, delete=False, min_age=3600, **options):
        orphans = find_orphans(datetime.timedelta(seconds=max(0, min_age)))
        for orphan in orphans:
            self.stdout.write(f"{orphan.name} ({orphan.size} bytes)")
        total = f"{sum(orphan.size for orphan in orphans)} bytes"
        if not orphans:
            self.stdout.write("No orphan files.")
        elif delete:
            delete_orphans(orphans)
            self.stdout.write(f"Deleted {len(orphans)} orphan files ({total}).")
        else:
            self.stdout.write(
                f"{len(orphans)} orphan files ({total}); run with --delete to remove them."
            )
