"""CPU time of uncached page renders: the median of N renders through Django's test client.

`time.process_time()` around each `client.get` (this process's CPU: Python, templates, the
database driver; SQLite's work too, PostgreSQL's not), with the page cache off, so every
render is a full one. Run against the database DATABASE_URL names (the demo: `load_demo`):

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 PAGE_CACHE=0 python bench/cpu_pages.py [N]

`--cold` empties Django's cache before each render (outside the timing): the cost of a
render just after a change of the data or content, when the pages' fragments are rendered anew
(statistics/fragments.py). `--profile` prints cProfile's top functions (cumulative) for
each page instead.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbportal.settings")
os.environ["PAGE_CACHE"] = "0"
# One process: its local-memory cache holds the generation every render here reads, so the
# fragments are kept as they are in production with Redis.
os.environ.setdefault("PAGE_CACHE_GENERATION_SHARED", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = [
    ("Region page", "/regions/western-balkans/"),
    ("Country page (Kosovo*)", "/countries/kosovo/"),
    ("Indicator page (population)", "/statistics/population/"),
    ("Embed (population)", "/statistics/population/embed/"),
]


def cpu_times(path, repeat, cold=False):
    client = Client()
    assert client.get(path).status_code == 200, path  # warm-up
    times = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        started = time.process_time()
        response = client.get(path)
        times.append(time.process_time() - started)
        assert response.status_code == 200
    return times


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    repeat = int(args[0]) if args else 200
    if "--profile" in sys.argv:
        for name, path in PAGES:
            client = Client()
            client.get(path)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                client.get(path)
            profiler.disable()
            print(f"### {name}")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return
    print(f"| Page | CPU median ms | min | p90 | ({repeat} renders) |")
    print("|---|---:|---:|---:|---|")
    for name, path in PAGES:
        times = sorted(cpu_times(path, repeat, cold="--cold" in sys.argv))
        print(
            f"| {name} | {times[len(times) // 2] * 1000:.1f} | {times[0] * 1000:.1f} | "
            f"{times[int(len(times) * 0.9)] * 1000:.1f} | |"
        )


if __name__ == "__main__":
    main()
