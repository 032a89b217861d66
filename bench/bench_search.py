"""Site search timings on PostgreSQL: the results page (`/search/?q=...`) rendered through
Django's test client with the page cache off, so every request searches and renders.

Each query is searched once to warm up (connections, templates, the memoised Markdown), then
REPEAT times; prints a Markdown table (results; the page's min, median, p95 and max wall time;
this process's CPU time; search() alone: on PostgreSQL the one statement that finds the
results, without reading their rows or making snippets) for bench/NOTES.md. On a shared,
loaded machine the wall times measure the load: read the min and the CPU time beside them.
The target (issue 24): p95 under 50 ms on the large dataset (bench/build_dataset.py;
`make bench-search` builds it in BENCH_SEARCH_DB and runs this).

Usage (environment as for manage.py, DATABASE_URL=postgres://...):
    python bench/bench_search.py [--build]
`--build` first drops and recreates DATABASE_URL's database, migrates it and builds the
dataset (as `make bench` does; about 20 s).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbportal.settings")
os.environ["PAGE_CACHE"] = "0"


def build():
    import dj_database_url

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if not config["ENGINE"].endswith("postgresql"):
        sys.exit("Search is measured on PostgreSQL (DATABASE_URL=postgres://...).")
    args = ["-h", config["HOST"] or "127.0.0.1", "-p", str(config["PORT"] or 5432)]
    args += ["-U", config["USER"] or "postgres"]
    for command in (
        ["dropdb", *args, "--if-exists", config["NAME"]],
        ["createdb", *args, config["NAME"]],
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
        [sys.executable, "bench/build_dataset.py"],
    ):
        subprocess.run(command, check=True, cwd=ROOT)


if "--build" in sys.argv:
    build()

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from projects.models import Project  # noqa: E402
from search.engine import search  # noqa: E402

REPEAT = int(os.environ.get("SEARCH_REPEAT", "50"))
QUERIES = [
    "Adrian",  # a contact's name (the demo's)
    "Sarajevo",  # an office's city and its country's page
    "project manager",  # a role
    "Prishtina",  # an office, a region text; close spellings
    "Pristina",  # only close spellings (trigram similarity)
    "migration governance",  # 900 published bench projects match: the per-kind cap
    "bench contact 150",  # 300 contacts share two of the words
    "returning",  # stemming
    "population",  # an indicator
    "xqzvt",  # nothing
    "(.*) <script> 5%",  # markup and pattern characters
    "one two three four five six seven eight nine ten eleven twelve",  # over MAX_TERMS
]


# Not the standard library's `statistics`: the project's statistics app has that name.
def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    if connection.vendor != "postgresql":
        sys.exit("Search is measured on PostgreSQL (DATABASE_URL=postgres://...).")
    projects = Project.objects.count()
    client = Client()
    rows, every, engine_every, cpu_every = [], [], [], []
    for query in QUERIES:
        url_params = {"q": query}
        response = client.get("/search/", url_params)  # warm-up
        assert response.status_code == 200, (query, response.status_code)
        times, cpu = [], []
        for _ in range(REPEAT):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get("/search/", url_params)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        every += times
        cpu_every += cpu
        engine = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            found = len(search(query))
            engine.append((time.perf_counter() - started) * 1000)
        engine_every += engine
        rows.append((query, found, min(times), percentile(times, 0.5), percentile(times, 0.95)))
        rows[-1] += (max(times), percentile(cpu, 0.5), percentile(engine, 0.95))
    print(
        f"Search page on PostgreSQL, {projects:,} projects, page cache off, "
        f"{REPEAT} requests a query after one warm-up (ms):\n"
    )
    print("| query | results | page: min | median | p95 | max | CPU median | search() p95 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for query, found, least, median, p95, worst, cpu_median, engine_p95 in rows:
        shown = query.replace("|", "\\|")
        print(
            f"| `{shown}` | {found} | {least:.1f} | {median:.1f} | {p95:.1f} | {worst:.1f} "
            f"| {cpu_median:.1f} | {engine_p95:.1f} |"
        )
    print(
        f"\nAll {len(every):,} page requests: median {percentile(every, 0.5):.1f} ms, "
        f"p95 {percentile(every, 0.95):.1f} ms, max {max(every):.1f} ms. "
        f"search() alone: median {percentile(engine_every, 0.5):.1f} ms, "
        f"p95 {percentile(engine_every, 0.95):.1f} ms. This process's CPU time a page: "
        f"median {percentile(cpu_every, 0.5):.1f} ms, p95 {percentile(cpu_every, 0.95):.1f} ms "
        f"(PostgreSQL's own time not included). Load average: "
        f"{' / '.join(f'{load:.1f}' for load in os.getloadavg())} at the end."
    )


if __name__ == "__main__":
    main()
