"""Build the large benchmark dataset in the database of DATABASE_URL (PostgreSQL).

7 countries and 2 regions (the demo content), 1,000 projects, 300 contacts, 200 indicators
and 500,000 observations. Bulk inserts: bulk_create for the small tables, COPY for the
observations (about 10 s in all). Meant for an empty, freshly migrated database: `make bench`
drops and recreates its own database before calling it.

Usage (from the project root, environment as for manage.py):  python bench/build_dataset.py
"""

import calendar
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbportal.settings")

import django  # noqa: E402

django.setup()

from statistics.models import Indicator, Observation, Source  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from pagecache.signals import content_changed  # noqa: E402
from projects.models import Facility, Organisation, Project, ThematicArea  # noqa: E402
from regions.models import Contact, Country, Region  # noqa: E402

PROJECTS = 1000
CONTACTS = 300
INDICATORS = 200
OBSERVATIONS = 500_000
STATUSES = ["implementation", "implementation", "pipeline", "finalisation", "closed"]


def months(count, first_year=2000):
    """`count` consecutive months as (period, start, end), from January of first_year."""
    for index in range(count):
        year, month = first_year + index // 12, index % 12 + 1
        last_day = calendar.monthrange(year, month)[1]
        yield f"{year:04d}-{month:02d}", date(year, month, 1), date(year, month, last_day)


def build():
    if connection.vendor != "postgresql":
        sys.exit("The benchmark dataset is built on PostgreSQL (DATABASE_URL=postgres://...).")
    started = time.monotonic()
    call_command("load_demo", verbosity=0)
    countries = list(Country.objects.order_by("iso_code"))
    regions = list(Region.objects.order_by("code"))
    if len(countries) != 7 or len(regions) != 2:
        sys.exit(f"Expected the demo's 7 countries and 2 regions, found {countries}, {regions}.")
    themes = list(ThematicArea.objects.all())
    facilities = list(Facility.objects.all())
    organisations = list(Organisation.objects.all())
    sources = list(Source.objects.all())

    with transaction.atomic():
        contacts = Contact.objects.bulk_create(
            Contact(
                region=regions[n % 2],
                name=f"Bench Contact {n:03d}",
                role=f"Programme officer {n}",
                email=f"contact{n}@example.org",
                display_order=n,
            )
            for n in range(CONTACTS - Contact.objects.count())
        )
        projects = Project.objects.bulk_create(
            Project(
                title=f"Bench project {n:04d}: migration governance and protection",
                acronym=f"BP{n}",
                slug=f"bench-project-{n:04d}",
                summary="A benchmark project supporting migration governance in the region. " * 3,
                description="## Objectives\n\n- Strengthen capacity\n- Protect people\n\n"
                + "Details of the project's work. " * 20,
                status=STATUSES[n % len(STATUSES)],
                planned_start=date(2020 + n % 5, 1 + n % 12, 1),
                planned_end=date(2026 + n % 3, 1 + n % 12, 1),
                facility=facilities[n % len(facilities)] if facilities else None,
                budget=Decimal(100_000 + n * 1000),
                currency="EUR",
                contact=contacts[n % len(contacts)],
                is_published=n % 10 != 0,
            )
            for n in range(PROJECTS - Project.objects.count())
        )
        through = Project.regions.through
        through.objects.bulk_create(
            through(project=p, region=regions[n % 2]) for n, p in enumerate(projects)
        )
        through = Project.countries.through
        through.objects.bulk_create(
            through(project=p, country=countries[(n + k) % 7])
            for n, p in enumerate(projects)
            for k in range(1 + n % 3)
        )
        through = Project.thematic_areas.through
        through.objects.bulk_create(
            through(project=p, thematicarea=themes[(n + k) % len(themes)])
            for n, p in enumerate(projects)
            for k in range(1 + n % 3)
        )
        through = Project.donors.through
        through.objects.bulk_create(
            through(project=p, organisation=organisations[n % len(organisations)])
            for n, p in enumerate(projects)
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(
                code=f"bench-indicator-{n:03d}",
                name=f"Bench indicator {n:03d}",
                description="What this indicator counts, and how.",
                unit="people",
                order=100 + n,
                is_featured=n < 12,
            )
            for n in range(INDICATORS - Indicator.objects.count())
        )

        # Observations: monthly totals, each bench indicator spread round-robin over the 9
        # areas (7 countries, 2 regions), so every (indicator, area, period) is unique.
        areas = [(c.pk, None) for c in countries] + [(None, r.pk) for r in regions]
        remaining = OBSERVATIONS - Observation.objects.count()
        per_indicator, extra = divmod(remaining, len(indicators))
        table = Observation._meta.db_table
        columns = (
            "indicator_id, country_id, region_id, period, period_start, period_end, "
            "category, value, status, source_id, note, qualifier, area_label, is_derived"
        )
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for i, indicator in enumerate(indicators):
                    count = per_indicator + (1 if i < extra else 0)
                    month_list = list(months(count // len(areas) + 1))
                    for n in range(count):
                        country_id, region_id = areas[n % len(areas)]
                        period, start, end = month_list[n // len(areas)]
                        copy.write_row(
                            (
                                indicator.pk,
                                country_id,
                                region_id,
                                period,
                                start,
                                end,
                                "",
                                Decimal(1000 + (n * 37 + i * 11) % 5000),
                                "final" if n % 7 else "provisional",
                                sources[n % len(sources)].pk if sources else None,
                                "",
                                "",
                                "",
                                False,
                            )
                        )
    # VACUUM as well as ANALYZE: after 500,000 inserts autovacuum would otherwise start on its
    # own during the first load runs and take CPU from them (the first round of every page
    # was the slowest before this).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    content_changed.send(sender=Observation, count=OBSERVATIONS)
    print(
        f"Dataset: {Country.objects.count()} countries, {Region.objects.count()} regions, "
        f"{Project.objects.count()} projects, {Contact.objects.count()} contacts, "
        f"{Indicator.objects.count()} indicators, {Observation.objects.count()} observations "
        f"({time.monotonic() - started:.1f} s)."
    )


if __name__ == "__main__":
    build()
