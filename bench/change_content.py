"""Change content every BENCH_CHANGE_EVERY seconds (default 2) until stopped (`make bench`).

A real ORM save of the region, in one transaction as an admin POST is
(pagecache.middleware.AdminWriteMiddleware), so the page cache's signals bump the
generation exactly as an editor's change does: every cached page goes cold each time.
Prints one line per change. Environment: as bench/run.py (DATABASE_URL, REDIS_URL, ...).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbportal.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from regions.models import Region  # noqa: E402


def main():
    slug = sys.argv[1] if len(sys.argv) > 1 else "western-balkans"
    every = float(os.environ.get("BENCH_CHANGE_EVERY", "2"))
    count = 0
    while True:
        with transaction.atomic():
            region = Region.objects.select_for_update().get(slug=slug)
            base = region.summary.split(" [change ")[0]
            region.summary = f"{base} [change {count}]"
            region.save()
        count += 1
        print(f"change {count}", flush=True)
        time.sleep(every)


if __name__ == "__main__":
    main()
