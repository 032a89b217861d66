from statistics.models import PendingUpload

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Delete admin import uploads that were never confirmed within IMPORT_PENDING_SECONDS. "
        "Each new upload does this too; the command is for a scheduler if you want one."
    )

    def handle(self, *args, **options):
        removed = PendingUpload.objects.expired().remove()
        self.stdout.write(f"Deleted {removed} expired pending upload(s).")
