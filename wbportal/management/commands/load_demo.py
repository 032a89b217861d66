import time
from statistics.models import Observation
from statistics.profiles.shipped import SOURCE_FILES, SourceFileRefused, load_source_files

from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction
from django.db.models import Q

from pagecache import PageCacheUnavailable
from wbportal.demo_history import DemoLoad

# Dependency order. Every object in these files is keyed by a natural key (slug, code,
# ISO code), so loading them again updates rows in place instead of duplicating them.
DEMO_FIXTURES = [
    "regions.json",
    "area_names.json",
    "offices_contacts.json",
    "projects.json",
    "statistics.json",
    "population.json",
    "unhcr.json",
    "pages.json",
    "documents.json",
]

# The catalogue of the source files (fixtures/data/): left out with them by
# --without-source-files.
SOURCE_FILE_FIXTURES = {"unhcr.json"}


# Demo rows whose natural key changed since an earlier version of the demo content, so that
# loading it again leaves no stale copy beside the new one: (indicator, region, old period).
# The AVR and reintegration figures were presented on 14 May 2025: their period ends in May
# 2025 ("2016/2025-05"), not with the year ("2016/2025", which ran to 31 December 2025).
SUPERSEDED_DEMO_ROWS = [
    ("returns-avr-cumulative", "WB", "2016/2025"),
    ("reintegration-assistance-cumulative", "WB", "2016/2025"),
]


def remove_superseded_demo_rows():
    wanted = Q()
    for indicator, region, period in SUPERSEDED_DEMO_ROWS:
        wanted |= Q(indicator__code=indicator, region__code=region, period=period, category="")
    return Observation.objects.filter(wanted).delete()[0]


class Command(BaseCommand):
    help = "Load the demo content transcribed from the seed texts (safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-source-files",
            action="store_true",
            help="Load the fixtures only: not the UNHCR and World Bank files of fixtures/data/ "
            "nor their catalogue (fixtures/unhcr.json). Quicker; the tests' shared demo.",
        )

    def handle(self, *args, without_source_files=False, **options):
        fixtures = [
            fixture
            for fixture in DEMO_FIXTURES
            if not (without_source_files and fixture in SOURCE_FILE_FIXTURES)
        ]
        started = time.monotonic()
        reports = []
        try:
            with transaction.atomic():
                # The versions of what the fixtures load read "Loaded with the demo content".
                with DemoLoad():
                    for fixture in fixtures:
                        call_command("loaddata", fixture, verbosity=0)
                    if not without_source_files:
                        # Through the shipped import profiles, as a Data manager would import
                        # them; the profiles and derived indicators saved are demo content.
                        reports = load_source_files()
                removed = remove_superseded_demo_rows()
        except PageCacheUnavailable as error:
            raise CommandError(str(error)) from None
        except SourceFileRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({len(fixtures)} files)."))
        for source, report in zip(SOURCE_FILES, reports, strict=False):
            counts = report.counts
            self.stdout.write(
                f"{source.data}: {counts['new']:,} new, {counts['updated']:,} updated, "
                f"{counts['unchanged']:,} unchanged observations."
            )
        if reports:
            self.stdout.write(f"Loaded in {time.monotonic() - started:.1f} s.")
        if removed:
            self.stdout.write(f"Removed {removed} demo rows of an earlier version (old periods).")
