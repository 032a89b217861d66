"""`make bench`: large dataset on PostgreSQL, gunicorn + Redis, wrk at 32 connections.

Steps: recreate the bench database, migrate, collectstatic, build the dataset
(bench/build_dataset.py); start two gunicorns with the same production settings, one with
the page cache off (PAGE_CACHE=0) and one with it on (Redis); load each page on both, and a
static file of the pages' size through the same gunicorn + WhiteNoise as the limit; print the
table and write it, with the profile of the uncached pages (bench/profile_pages.py), to
bench/results.md.

Environment (set by the Makefile): DATABASE_URL, REDIS_URL, BENCH_DB, BENCH_PORT, and the
production settings (DEBUG=0, SECRET_KEY, SITE_URL, ...).
"""

import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DURATION = os.environ.get("BENCH_DURATION", "10s")
# Cached pages: ROUNDS alternations of static twin and page (see paired()).
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ROUND_DURATION = os.environ.get("BENCH_ROUND_DURATION", "5s")
CONNECTIONS = 32
RESULTS = ROOT / "bench" / "results.md"
# The run under changes: content saved every CHANGE_EVERY seconds while the page is loaded.
CHANGE_EVERY = os.environ.get("BENCH_CHANGE_EVERY", "2")
# Each loaded in turn while bench/change_content.py saves the region (every page goes cold).
CHANGING_PAGES = [
    ("Region page, content changed every {every} s", "/regions/western-balkans/"),
    ("Indicator page, content changed every {every} s", "/statistics/bench-indicator-001/"),
]
CHANGED_REGION = "western-balkans"

PAGES = [
    ("Home page", "/"),
    ("Region page", "/regions/western-balkans/"),
    ("Project list, filtered", "/projects/?region=western-balkans&status=implementation"),
    ("Project page", "/projects/bench-project-0001/"),
    ("Indicator page", "/statistics/bench-indicator-001/"),
    # The read API: one indicator's observations of all areas since 2010 (about 1,800 of
    # them), newest first, a page of 100.
    (
        "API observations, filtered, page of 100",
        "/api/v1/observations?indicator=bench-indicator-001&period_from=2010&sort=-period&limit=100",
    ),
]
# BENCH_ONLY=<text>: only the pages whose path contains it (e.g. BENCH_ONLY=/api/), without
# the references and the runs under changes: a quick look at one page.
ONLY = os.environ.get("BENCH_ONLY", "")
if ONLY:
    PAGES = [(name, path) for name, path in PAGES if ONLY in path]
# References, no target: how much an uncached Django response of a given amount of work
# reaches of its static twin here, measured the same way, from nothing upwards: no query and
# no template (robots.txt); two queries (the lookup, the site settings) and the base template
# only (a project that does not exist: 404 by design); the smallest content page (offices and
# contacts, 5 queries).
REFERENCES = [
    ("Trivial Django view (reference: no query, no template)", "/robots.txt", 200),
    (
        "Not-found page (reference: 2 queries, base template only)",
        "/projects/no-such-project/",
        404,
    ),
    ("Offices and contacts (reference: smallest content page)", "/contacts/", 200),
]


def run(*command, env=None):
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT, env=env)


def recreate_database():
    import dj_database_url

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if not config["ENGINE"].endswith("postgresql"):
        sys.exit("make bench runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://...")
    args = ["-h", config["HOST"] or "127.0.0.1", "-p", str(config["PORT"] or 5432)]
    args += ["-U", config["USER"] or "postgres"]
    run("dropdb", *args, "--if-exists", config["NAME"])
    run("createdb", *args, config["NAME"])


def flush_redis():
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


def start_gunicorn(port, page_cache):
    env = dict(os.environ, PAGE_CACHE="1" if page_cache else "0", GUNICORN_ACCESS_LOG="")
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    # The address the pages' absolute links (canonical, Open Graph) name: this server's.
    env["SITE_URL"] = f"http://127.0.0.1:{port}"
    env["GUNICORN_LOG_LEVEL"] = "warning"
    # wrk is one client: the API's rate limit stays on (its counter costs what it costs in
    # production) but never refuses it.
    env["API_RATE_LIMIT"] = "1000000000"
    # Like the access log: the not-found reference would log a "Not Found" line a request.
    env.setdefault("LOG_LEVEL", "ERROR")
    process = subprocess.Popen(
        [BIN / "gunicorn", "-c", "wbportal/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit(f"gunicorn did not answer on port {port} within 30 s.")


def start_changes():
    """bench/change_content.py in the background: a region saved every CHANGE_EVERY s."""
    env = dict(os.environ, BENCH_CHANGE_EVERY=CHANGE_EVERY, LOG_LEVEL="ERROR")
    return subprocess.Popen(
        [PYTHON, "bench/change_content.py", CHANGED_REGION],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:  # a 4xx/5xx still has a status and a body
        return error.code, error.headers, error.read()


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(url, duration=None, expected_status=200):
    time.sleep(1)  # let the previous run's queued requests drain
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration or DURATION}", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(p):
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = int(errors.group(1)) if errors else 0
    if expected_status != 200:
        # Every response should be the expected error status: count those that were not.
        requests = int(re.search(r"(\d+) requests in", output).group(1))
        errors = requests - errors
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50": percentile(50),
        "p99": percentile(99),
        "errors": errors,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def paired(static_url, page_url):
    """The static twin and the page, alternately, ROUNDS times (ROUND_DURATION each).

    The machine's speed drifts from one ten-second window to the next (shared CPUs), so one
    run of each, one after the other, can put a ratio off by 10 points either way.
    Alternating and taking each one's median cancels most of that drift. Each one's p99 is
    the worst of its rounds.
    """
    statics, pages = [], []
    for _ in range(ROUNDS):
        statics.append(wrk(static_url, ROUND_DURATION))
        pages.append(wrk(page_url, ROUND_DURATION))
    static = median_result(statics)
    page = median_result(pages)
    # Worst round for both, so a stall of the whole machine shows on the static twin too.
    static["p99"] = max(r["p99"] for r in statics)
    page["p99"] = max(r["p99"] for r in pages)
    page["rounds"] = sorted(p["rps"] / s["rps"] for s, p in zip(statics, pages, strict=True))
    page["ratio"] = page["rounds"][len(page["rounds"]) // 2]
    return static, page


def median_result(results):
    ordered = sorted(results, key=lambda r: r["rps"])
    middle = dict(ordered[len(ordered) // 2])
    middle["errors"] = sum(r["errors"] for r in results)
    middle["socket_errors"] = "; ".join(r["socket_errors"] for r in results if r["socket_errors"])
    return middle


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_commit():
    try:
        return subprocess.run(
            ["git", "log", "-1", "--format=%h %s"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"


def load_average():
    try:
        return Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        return ["?"]


def main():
    os.environ["BENCH_LOAD_BEFORE"] = " ".join(load_average())
    port = int(os.environ.get("BENCH_PORT", "8601"))
    recreate_database()
    run(PYTHON, "manage.py", "migrate", "--no-input", "--verbosity", "0")
    run(PYTHON, "manage.py", "collectstatic", "--no-input", "--clear", "--verbosity", "0")
    run(PYTHON, "bench/build_dataset.py")
    flush_redis()

    uncached = start_gunicorn(port, page_cache=False)
    cached = start_gunicorn(port + 1, page_cache=True)
    rows = []
    try:
        sizes = []
        for name, path in PAGES:
            for server_port in (port, port + 1):
                status, headers, body = fetch(f"http://127.0.0.1:{server_port}{path}")
                if status != 200:
                    sys.exit(f"{name} {path} answered {status}.")
            sizes.append(len(body))
            # The cached server's second fetch must be a hit, or the numbers mean nothing.
            _, headers, _ = fetch(f"http://127.0.0.1:{port + 1}{path}")
            if headers.get("X-Page-Cache") != "hit":
                sys.exit(f"{name}: the page cache did not serve {path} ({headers}).")
        # The limit: for each page, a static file of the same size served by the same
        # gunicorn + WhiteNoise. WhiteNoise indexes STATIC_ROOT at start-up, so the server is
        # restarted after writing them.
        references = [] if ONLY else REFERENCES
        reference_sizes = []
        for _, path, expected_status in references:
            status, _, body = fetch(f"http://127.0.0.1:{port}{path}")
            if status != expected_status:
                sys.exit(f"{path} answered {status}, not {expected_status}.")
            reference_sizes.append(len(body))
        static_dir = ROOT / "staticfiles" / "bench"
        static_dir.mkdir(exist_ok=True)
        for index, size in enumerate([*sizes, *reference_sizes]):
            (static_dir / f"page-{index}.html").write_bytes(b"x" * size)
        stop(cached)
        cached = start_gunicorn(port + 1, page_cache=True)
        for _, path in PAGES:
            fetch(f"http://127.0.0.1:{port + 1}{path}")  # warm the cache again

        # Cached pages and their static twins first, the uncached pages last: an uncached
        # run leaves a backlog of slow requests that would otherwise weigh on the next run.
        static_rps = {}
        for index, ((name, path), size) in enumerate(zip(PAGES, sizes, strict=True)):
            static_path = f"/static/bench/page-{index}.html"
            if fetch(f"http://127.0.0.1:{port + 1}{static_path}")[0] != 200:
                sys.exit(f"{static_path} is not served.")
            static, result = paired(
                f"http://127.0.0.1:{port + 1}{static_path}", f"http://127.0.0.1:{port + 1}{path}"
            )
            static_rps[path] = static["rps"]
            rows.append((name, static_path, size, "static twin", static, static["rps"]))
            rows.append((name, path, size, "cached", result, static["rps"]))
        # The same page while content changes every CHANGE_EVERY s: each change makes every
        # page cold; one request renders it again while the others wait (single flight).
        for name, path in [] if ONLY else CHANGING_PAGES:
            index = [p for _, p in PAGES].index(path)
            changes = start_changes()
            try:
                static, result = paired(
                    f"http://127.0.0.1:{port + 1}/static/bench/page-{index}.html",
                    f"http://127.0.0.1:{port + 1}{path}",
                )
            finally:
                stop(changes)
            name = name.format(every=CHANGE_EVERY)
            rows.append((name, path, sizes[index], "cached, changing", result, static["rps"]))
        for (name, path), size in zip(PAGES, sizes, strict=True):
            result = wrk(f"http://127.0.0.1:{port}{path}")
            rows.append((name, path, size, "uncached", result, static_rps[path]))
        for index, ((name, path, expected_status), size) in enumerate(
            zip(references, reference_sizes, strict=True), start=len(PAGES)
        ):
            static_path = f"/static/bench/page-{index}.html"
            static = wrk(f"http://127.0.0.1:{port + 1}{static_path}")
            rows.append((name, static_path, size, "static twin", static, static["rps"]))
            result = wrk(f"http://127.0.0.1:{port}{path}", expected_status=expected_status)
            rows.append((name, path, size, "uncached, reference", result, static["rps"]))
    finally:
        for process in (uncached, cached):
            try:
                stop(process)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(ROOT / "staticfiles" / "bench", ignore_errors=True)

    table = render_table(rows)
    print()
    print(table)
    profile = subprocess.run(
        [PYTHON, "bench/profile_pages.py"],
        cwd=ROOT,
        env=dict(os.environ, PAGE_CACHE="0", ALLOWED_HOSTS="testserver"),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print(profile)
    write_results(table, profile)


def render_table(rows):
    lines = [
        "| Page | Path | Bytes | Cache | req/s | p50 ms | p99 ms | vs static | Target | Errors |",
        "|---|---|---:|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, path, size, mode, r, static_rps in rows:
        errors = str(r["errors"]) + (f" ({r['socket_errors']})" if r["socket_errors"] else "")
        ratio = r.get("ratio", r["rps"] / static_rps)
        if mode.startswith("cached"):
            limit = 150 if mode == "cached, changing" else 100
            met = ratio >= 0.5 and r["p99"] < limit
            target = f">=50%, p99<{limit}ms: " + ("met" if met else "MISSED")
            target += " (rounds: " + ", ".join(f"{x:.0%}" for x in r["rounds"]) + ")"
        elif mode == "uncached":
            target = ">=10%: " + ("met" if ratio >= 0.1 else "MISSED")
        else:
            target = "-"
        lines.append(
            f"| {name} | `{path}` | {size} | {mode} | {r['rps']:.0f} | {r['p50']:.1f} | "
            f"{r['p99']:.1f} | {ratio:.0%} | {target} | {errors} |"
        )
    return "\n".join(lines)


def write_results(table, profile):
    workers = os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() * 2 + 1))
    header = f"""# Benchmark results (`make bench`)

- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC
- Machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, {platform.platform()}
- Commit benchmarked: {git_commit()}
- Stack: gunicorn ({workers} sync workers), PostgreSQL, Redis cache, DEBUG off, WhiteNoise;
  wrk -t2 -c{CONNECTIONS} -d{DURATION} --latency on the same machine (it competes for the
  same CPUs, as the server would with its neighbours).
- Load average just before the run (1/5/15 min): {os.environ.get("BENCH_LOAD_BEFORE", "?")};
  after: {" ".join(load_average())}. Other processes on the machine share its CPUs, so
  absolute numbers drift between runs; the ratios are measured within one run.
- Dataset: 7 countries, 2 regions, 1,000 projects, 300 contacts, 200 indicators,
  500,000 observations (bench/build_dataset.py).
- "uncached": a gunicorn with PAGE_CACHE=0 (every request renders the page);
  "cached": the same settings with the page cache on (Redis); "static twin": a static file
  of exactly the page's size served by the same gunicorn + WhiteNoise (the limit); "vs
  static": requests/s relative to that twin, measured in the same run. Cached pages: the
  static twin and the page alternately, {ROUNDS} rounds of wrk -d{ROUND_DURATION} each; the
  table shows each one's median round, the median of the rounds' ratios ("vs static", each
  round's ratio in the Target column) and each one's worst p99 (a stall of the whole
  machine shows on the static twin as well). Then all uncached pages (against their twin's
  median), then the references, each uncached with its static twin: a trivial Django view
  (robots.txt: no query, no template, same middleware), the not-found page (one query, the
  base template only; it answers 404 by design, so Errors counts any other answer) and the
  smallest content page (offices and contacts). "cached, changing": the region page and the
  indicator page again, each paired with its twin the same way, while bench/change_content.py
  saves the region every {CHANGE_EVERY} s (a real ORM save in a transaction, as the admin
  does), so every page goes cold every {CHANGE_EVERY} s; the indicator page's charts and
  tables are not drawn again (they are kept under the data generation, which a region's text
  does not move: bench/NOTES.md has the run with a figure changed instead).
- Targets (2 cores): cached >= 50% of static, uncached >= 10%, cached p99 < 100 ms (the
  API's filtered page of 100 too);
  cached while content changes every 2 s: >= 50% of static, p99 < 150 ms.

{table}

"""
    notes = ROOT / "bench" / "NOTES.md"
    extra = notes.read_text() if notes.exists() else ""
    RESULTS.write_text(header + profile + "\n" + extra)
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
