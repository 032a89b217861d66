"""Where an uncached page's time goes: cProfile over the benchmark dataset.

Renders each page REPEAT times through Django's test client (PAGE_CACHE=0, DEBUG off) under
cProfile and splits the time by where the code lives: database (Django ORM + psycopg,
including waiting for PostgreSQL), templates (Django templates, Markdown, nh3), and the rest
(views, middleware, URL resolving, Python). Prints a Markdown section; `make bench` appends it
to bench/results.md.
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

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

REPEAT = int(os.environ.get("PROFILE_REPEAT", "20"))
PAGES = [
    ("Region page", "/regions/western-balkans/"),
    ("Project list, filtered", "/projects/?region=western-balkans&status=implementation"),
    ("Home page", "/"),
    ("Project page", "/projects/bench-project-0001/"),
    ("Indicator page", "/statistics/bench-indicator-001/"),
]
CATEGORIES = [
    ("database (ORM + driver)", ("/django/db/", "/psycopg/", "/psycopg_binary/")),
    (
        "templates (incl. Markdown, nh3)",
        ("/django/template/", "/django/templatetags/", "/templatetags/", "/markdown/", "nh3"),
    ),
]


def category(filename):
    for name, needles in CATEGORIES:
        if any(needle in filename for needle in needles):
            return name
    return "other Python (views, middleware, URLs, i18n)"


class QueryTimer:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def profile(path):
    client = Client()
    assert client.get(path).status_code == 200, path  # warm-up: connections, templates
    timer = QueryTimer()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        profiler.enable()
        for _ in range(REPEAT):
            client.get(path)
        profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    by_category = {}
    for (filename, _line, _function), (_, _, tottime, _cumtime, _) in stats.stats.items():
        key = category(filename)
        by_category[key] = by_category.get(key, 0.0) + tottime
    total = sum(by_category.values())
    return wall / REPEAT, timer, by_category, total, stats


def main():
    print(f"## Profile of the uncached pages ({REPEAT} renders each, cProfile)\n")
    print(
        "Time per render under the profiler (which slows Python down, so the shares matter, "
        "not the absolute numbers). SQL: the query count and the time spent executing them "
        "(wall clock, PostgreSQL plus driver).\n"
    )
    print("| Page | ms/render | queries | SQL ms | database | templates | other Python |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    details = []  # (ms per render, name, stats)
    for name, path in PAGES:
        per_render, timer, by_category, total, stats = profile(path)
        shares = [by_category.get(label, 0.0) / total for label, _ in CATEGORIES]
        other = 1 - sum(shares)
        print(
            f"| {name} | {per_render * 1000:.1f} | {timer.count // REPEAT} | "
            f"{timer.seconds / REPEAT * 1000:.1f} | {shares[0]:.0%} | {shares[1]:.0%} | "
            f"{other:.0%} |"
        )
        details.append((per_render, name, stats))
    # The two slowest uncached pages.
    for _per_render, name, stats in sorted(details, key=lambda item: item[0], reverse=True)[:2]:
        print(f"\n### {name}: functions with the most self time, per render\n")
        print("```")
        rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)
        for (filename, line, function), (_, calls, tottime, cumtime, _) in rows[:20]:
            short = filename.split("site-packages/")[-1].split(str(ROOT) + "/")[-1]
            print(
                f"self {tottime / REPEAT * 1000:6.2f} ms  cum {cumtime / REPEAT * 1000:6.2f} ms"
                f"  {calls // REPEAT:6d} calls  {short}:{line} {function}"
            )
        print("```")


if __name__ == "__main__":
    main()
