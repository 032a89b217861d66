"""The indicator page's chart files in Chromium: each chart block offers its own SVG and PNG
files, reachable at phone and desktop width (nothing off-screen), with axe at 0; the files
themselves are checked in tests/statistics/charts/."""

import pytest

from .conftest import ROOT
from .test_accessibility import check_axe

SHOTS = ROOT / "test-artifacts" / "chart-files"


@pytest.mark.parametrize("width", [375, 1280])
def test_each_chart_block_links_its_own_files(make_context, width):
    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    assert page.goto("/statistics/population/", wait_until="load").status == 200
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    blocks = page.locator(".chart-block")
    hrefs = []
    for n in range(blocks.count()):
        links = blocks.nth(n).locator(".chart-actions a[download]")
        assert links.count() == 3
        for k in range(3):
            box = links.nth(k).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
            hrefs.append(links.nth(k).get_attribute("href"))
    assert {"/statistics/population/chart.svg", "/statistics/population/map.png"} <= set(hrefs)
    for href in hrefs:  # every link answers with its file
        assert page.request.get(href).status == 200
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#chart").screenshot(path=str(SHOTS / f"indicator-chart-{width}.png"))
    check_axe(page, f"/statistics/population/ at {width}px")
    assert context.offsite_requests() == []
