from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from wbportal.pagecache import PageCacheUnavailable

# Dependency order. Every object in these files is keyed by a natural key (slug, code,
# ISO code), so loading them again updates rows in place instead of duplicating them.
DEMO_FIXTURES = [
    "regions.json",
    "offices_contacts.json",
    "projects.json",
    "statistics.json",
    "population.json",
    "pages.json",
]


class Command(BaseCommand):
    help = "Load the demo content transcribed from the seed texts (safe to run repeatedly)."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                for fixture in DEMO_FIXTURES:
                    call_command("loaddata", fixture, verbosity=0)
        except PageCacheUnavailable as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({len(DEMO_FIXTURES)} files)."))
