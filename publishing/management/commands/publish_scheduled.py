from django.core.management import BaseCommand, CommandError
from django.db import transaction

from pagecache import PageCacheUnavailable
from publishing.actions import publish_due


class Command(BaseCommand):
    help = (
        "Apply approved changes whose go-live time has come, record scheduled publications "
        "that went live, and mail their authors. Run it every minute from a scheduler "
        "(cron, a systemd timer); safe to run at any time and more than once."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            with transaction.atomic():
                published = publish_due()
        except PageCacheUnavailable as error:
            raise CommandError(str(error)) from None
        for revision in published:
            self.stdout.write(f"Live: {revision.object_repr} ({revision.get_kind_display()})")
        self.stdout.write(self.style.SUCCESS(f"{len(published)} scheduled item(s) went live."))
