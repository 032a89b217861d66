"""Lighthouse (npm `lighthouse`, pinned in package-lock.json) on the live server: 100 in
performance, accessibility, best practices and SEO on the home page, a region, a country and
the project list. Reports go to test-artifacts/lighthouse/ for a person to read.

Lighthouse launches its own headless Chromium (CHROME_PATH, the browser tests' Chromium).
"""

import json
import os
import subprocess

import pytest

from .conftest import CHROMIUM_PATH, LIGHTHOUSE, ROOT

REPORTS = ROOT / "test-artifacts" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LIGHTHOUSE_PAGES = [
    ("home", "/"),
    ("region", "/regions/western-balkans/"),
    ("country", "/countries/serbia/"),
    ("projects", "/projects/"),
]
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"


def run_lighthouse(url, name):
    """Run Lighthouse on `url`; returns the parsed JSON report (also kept as a file)."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{name}.json"
    report.unlink(missing_ok=True)
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        check=True,
        timeout=240,
        env={**os.environ, "CHROME_PATH": CHROMIUM_PATH},
    )
    return json.loads(report.read_text(encoding="utf-8"))


def shortfalls(report):
    """'category: audit (score)' for every scored audit below 1."""
    found = []
    for key, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{key}: {ref['id']} ({audit['score']}) {audit.get('title', '')}")
    return found


@pytest.mark.parametrize("name,path", LIGHTHOUSE_PAGES, ids=[n for n, _ in LIGHTHOUSE_PAGES])
def test_lighthouse_scores_100_in_every_category(site, name, path):
    report = run_lighthouse(site.url + path, name)
    scores = {key: report["categories"][key]["score"] for key in CATEGORIES}
    assert scores == dict.fromkeys(CATEGORIES, 1), f"{path}: {scores}\n" + "\n".join(
        shortfalls(report)
    )
