"""Comparing places on the population indicator (seven places, Türkiye dwarfing the rest) in
Chromium at phone and desktop width: the form works without script, each view (one chart,
logarithmic axis, small multiples on their own or one scale) fits the screen with axe at 0,
and the wide table keeps its header row and first column in view while it scrolls.
Screenshots of each view go to test-artifacts/screenshots/ (compare-<view>-<width>.png) to be
looked at."""

import pytest

from .conftest import SCREENSHOTS
from .test_accessibility import check_axe
from .test_html_validity import format_errors, run_vnu

SHOTS = SCREENSHOTS
PHONE, DESKTOP = 375, 1280
BASE = "/statistics/population/"

VIEWS = [
    ("lines", ""),
    ("log", "?axis=log"),
    ("multiples", "?view=multiples"),
    ("multiples-shared", "?view=multiples-shared"),
    ("places", "?places=AL,BA,ME"),
    ("places-log", "?places=AL,BA,RS,TR&axis=log"),
]


@pytest.mark.parametrize(("name", "query"), VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_each_view_fits_and_passes_axe(make_context, name, query, width):
    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    assert page.goto(BASE + query, wait_until="load").status == 200
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert page.locator(".compare-form").is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#chart").screenshot(path=str(SHOTS / f"compare-{name}-{width}.png"))
    check_axe(page, f"{BASE}{query} at {width}px")
    assert context.offsite_requests() == []


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_wide_table_scrolls_with_its_headers_in_view(make_context, width):
    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(BASE + "#wide-table", wait_until="load")
    box = page.locator(".wide-table-scroll")
    assert box.is_visible()
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # many periods: it scrolls
    # The line above says so whenever it scrolls (static/js/tables.js), as every table's does.
    assert page.locator("#wide-table + .scroll-cue").is_visible()
    first_header = page.locator(".wide-table tbody th").first
    corner = page.locator(".wide-table thead th").first
    before = first_header.bounding_box()
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    after = first_header.bounding_box()
    assert abs(after["x"] - before["x"]) < 1  # the place names stay in view
    assert corner.bounding_box()["x"] == pytest.approx(before["x"], abs=1)
    # The header row sticks to the top of its box when the box scrolls down (a long table).
    assert corner.evaluate("el => getComputedStyle(el).position") == "sticky"
    assert (
        page.locator(".wide-table tbody th").first.evaluate("el => getComputedStyle(el).position")
        == "sticky"
    )
    page.locator(".wide-table-scroll").screenshot(path=str(SHOTS / f"compare-wide-{width}.png"))
    check_axe(page, f"{BASE} wide table at {width}px")


def test_form_without_script_reaches_the_canonical_address(make_context):
    context = make_context(viewport={"width": DESKTOP, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(BASE, wait_until="load")
    boxes = page.locator(".compare-places input[type=checkbox]")
    assert all(boxes.nth(n).is_checked() for n in range(boxes.count()))  # all shown
    for n in range(boxes.count()):
        boxes.nth(n).uncheck()
    for code in ("TR", "RS"):
        page.locator(f'.compare-places input[value="{code}"]').check()
    page.locator('input[name="view"][value="multiples"]').check()
    page.locator(".compare-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.split("/statistics/population/")[1] == "?places=RS,TR&view=multiples#chart"
    assert page.locator(".multiple").count() == 2


def test_all_and_none_buttons_with_script(make_context):
    context = make_context(viewport={"width": DESKTOP, "height": 900})
    page = context.new_page()
    page.goto(BASE + "?places=AL,BA", wait_until="load")
    page.get_by_role("button", name="All places").click()
    boxes = page.locator(".compare-places input[type=checkbox]")
    assert all(boxes.nth(n).is_checked() for n in range(boxes.count()))
    page.get_by_role("button", name="No place").click()
    assert not any(boxes.nth(n).is_checked() for n in range(boxes.count()))


def test_compare_views_are_valid_html(client, demo, tmp_path):
    files, paths = [], {}
    for name, query in [*VIEWS, ("sorted", "?sort=2020"), ("ignored", "?ignored=1")]:
        response = client.get(BASE + query)
        assert response.status_code == 200, query
        path = tmp_path / f"compare-{name}.html"
        path.write_bytes(response.content)
        files.append(path)
        paths[path.stem] = BASE + query
    errors = run_vnu(files)
    assert errors == {}, format_errors(paths, errors)
