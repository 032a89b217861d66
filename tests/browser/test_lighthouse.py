"""Lighthouse (npm `lighthouse`, pinned in package-lock.json) on the live server, on the home
page, a region, a country, the project list, an indicator page with its wide table, places
compared (a choice on a log axis, small multiples), search results and a chart embed: 100 in
accessibility, best practices and SEO. The embed is the one page search engines are asked not
to list (`noindex`: its indicator page is what they should list), so Lighthouse's
"is-crawlable" audit is the one it may fail. Lighthouse emulates a phone (412 px wide).

Performance is scored too and written with the others to test-artifacts/lighthouse/ (a JSON
report per page and scores.md) for a person to read, but it does not decide the test: it is a
timing measurement (Total Blocking Time and the paint metrics move with the load of a shared
machine), and timings are benchmarks, not tests.

Lighthouse launches its own headless Chromium (CHROME_PATH, the browser tests' Chromium).
"""

import fcntl
import json
import os
import subprocess

import pytest

from .conftest import CHROMIUM_PATH, LIGHTHOUSE, ROOT

REPORTS = ROOT / "test-artifacts" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Scores that do not depend on the machine's speed: these must be 100.
ASSERTED = ["accessibility", "best-practices", "seo"]
LIGHTHOUSE_PAGES = [
    ("home", "/"),
    ("region", "/regions/western-balkans/"),
    ("country", "/countries/serbia/"),
    ("projects", "/projects/"),
    ("project", "/projects/psmm/"),
    ("api-docs", "/api/v1/docs"),
    ("indicator-wide-table", "/statistics/population/"),
    ("indicator-places-log", "/statistics/population/?places=AL,BA,RS,TR&axis=log"),
    ("indicator-multiples", "/statistics/population/?view=multiples"),
    ("search-office", "/search/?q=Sarajevo"),
    ("search-person", "/search/?q=Adrian"),
    ("embed", "/statistics/population/embed/?area=XK"),
]
# Audits a page fails on purpose: the embed asks search engines not to list it.
EXPECTED_SHORTFALLS = {"embed": {"is-crawlable"}}
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"


# Lighthouse's own runtime errors (e.g. NO_NAVSTART: "Something went wrong with recording
# the trace over your page load. Please run Lighthouse again.") happen on a busy machine
# and say nothing about the page: such a run is tried again, up to this many times.
ATTEMPTS = 3


def run_lighthouse(url, name):
    """Run Lighthouse on `url`; returns the parsed JSON report (also kept as a file)."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{name}.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    for attempt in range(1, ATTEMPTS + 1):
        report.unlink(missing_ok=True)
        run = subprocess.run(
            command,
            timeout=240,
            capture_output=True,
            text=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM_PATH},
        )
        if run.returncode == 0:
            return json.loads(report.read_text(encoding="utf-8"))
        if "Runtime error encountered" not in run.stderr or attempt == ATTEMPTS:
            raise AssertionError(f"Lighthouse failed on {url}:\n{run.stderr[-2000:]}")


def shortfalls(report, categories):
    """'category: audit (score)' for every scored audit below 1 in `categories`."""
    found = []
    for key in categories:
        category = report["categories"][key]
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{key}: {ref['id']} ({audit['score']}) {audit.get('title', '')}")
    return found


@pytest.fixture(scope="module", autouse=True)
def _fresh_scores(testrun_uid):
    """scores.md starts afresh once per test run: the pytest-xdist workers that share the runs
    each set this module up, and the first to come (by the run's id, under a lock) empties it."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    run = REPORTS / "scores.run"
    with (REPORTS / "scores.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not run.is_file() or run.read_text(encoding="utf-8") != testrun_uid:
            header = "# Lighthouse scores of the last run\n\n"
            (REPORTS / "scores.md").write_text(header, encoding="utf-8")
            run.write_text(testrun_uid, encoding="utf-8")


@pytest.mark.parametrize("name,path", LIGHTHOUSE_PAGES, ids=[n for n, _ in LIGHTHOUSE_PAGES])
def test_lighthouse_scores_100(site, name, path):
    report = run_lighthouse(site.url + path, name)
    scores = {key: report["categories"][key]["score"] for key in CATEGORIES}
    with (REPORTS / "scores.md").open("a", encoding="utf-8") as notes:
        shown = ", ".join(f"{key} {round(score * 100)}" for key, score in scores.items())
        notes.write(f"- `{path}`: {shown}\n")
        notes.writelines(f"  - {line}\n" for line in shortfalls(report, ["performance"]))
    expected = EXPECTED_SHORTFALLS.get(name, set())
    found = shortfalls(report, ASSERTED)
    if expected:
        assert {line.split()[1] for line in found} == expected, f"{path}:\n" + "\n".join(found)
        return
    asserted = {key: scores[key] for key in ASSERTED}
    assert asserted == dict.fromkeys(ASSERTED, 1), f"{path}: {asserted}\n" + "\n".join(found)
