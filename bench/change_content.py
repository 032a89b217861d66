"""Change content every BENCH_CHANGE_EVERY seconds (default 2) until stopped (`make bench`).

A real ORM save of the region's summary, in one transaction as an admin POST is
(pagecache.middleware.AdminWriteMiddleware), so the page cache's signals bump the
generation exactly as an editor's change does: every cached page goes cold each time (the
indicator pages' charts stay drawn: a region's text is not in them). With BENCH_CHANGE=data,
a figure of another indicator is saved instead, which moves the data generation too: every
chart of the site is drawn again. Prints one line per change. Environment: as bench/run.py
(DATABASE_URL, REDIS_URL, ...).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbportal.settings")

import django  # noqa: E402

django.setup()

from statistics.models import Observation  # noqa: E402

from django.db import transaction  # noqa: E402

from regions.models import Region  # noqa: E402

# The figure saved with BENCH_CHANGE=data: not of the indicator page that is loaded.
DATA_INDICATOR = "bench-indicator-002"


def change_region(slug, count):
    region = Region.objects.select_for_update().get(slug=slug)
    base = region.summary.split(" [change ")[0]
    region.summary = f"{base} [change {count}]"
    region.save()


def change_figure(count):
    observation = (
        Observation.objects.select_for_update()
        .filter(indicator__code=DATA_INDICATOR, category="")
        .order_by("-period_end", "pk")
        .first()
    )
    observation.value = observation.value + (1 if count % 2 == 0 else -1)
    observation.save()


def main():
    slug = sys.argv[1] if len(sys.argv) > 1 else "western-balkans"
    every = float(os.environ.get("BENCH_CHANGE_EVERY", "2"))
    data = os.environ.get("BENCH_CHANGE") == "data"
    count = 0
    while True:
        with transaction.atomic():
            if data:
                change_figure(count)
            else:
                change_region(slug, count)
        count += 1
        print(f"change {count}", flush=True)
        time.sleep(every)


if __name__ == "__main__":
    main()
