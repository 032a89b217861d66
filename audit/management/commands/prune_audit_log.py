import datetime

from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from audit.log import record
from audit.models import AuditAction, AuditEntry

# Below this the log could not answer "who changed this last quarter?".
MINIMUM_DAYS = 90


class Command(BaseCommand):
    help = (
        "Delete audit log entries older than the given number of days (the retention period "
        "your organisation has set). The pruning itself is recorded in the log."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            required=True,
            metavar="DAYS",
            help=f"Delete entries older than this many days (at least {MINIMUM_DAYS}).",
        )

    def handle(self, *args, older_than, **options):
        if older_than < MINIMUM_DAYS:
            raise CommandError(f"Keep at least {MINIMUM_DAYS} days of the audit log.")
        cutoff = timezone.now() - datetime.timedelta(days=older_than)
        with transaction.atomic():
            deleted, _by_model = AuditEntry.objects.filter(at__lt=cutoff).delete()
            record(
                AuditAction.PRUNE,
                model=AuditEntry,
                actor_name="manage.py prune_audit_log",
                summary=f"Deleted {deleted} entries older than {older_than} days.",
                detail={"deleted": deleted, "older_than_days": older_than},
            )
        self.stdout.write(f"Deleted {deleted} audit log entries older than {older_than} days.")
