"""Indicator charts in Chromium: each chart type at phone and desktop width, screenshotted
for a person to look at (test-artifacts/charts/), with text that stays legible and a map
that a keyboard user can walk country by country, hearing each value."""

import pytest

from .conftest import ROOT

CHARTS = ROOT / "test-artifacts" / "charts"
PHONE, DESKTOP = 375, 1280

# (name, indicator page, what the page's first chart block must hold)
CHART_PAGES = [
    ("line", "/statistics/population/", "svg.chart"),
    ("map", "/statistics/population/", ".region-map"),
    ("bars", "/statistics/arrivals-top-nationalities/", "svg.chart"),
    ("number", "/statistics/returns-avr-cumulative/", ".number-tile"),
    ("line-one-area", "/statistics/population/?area=XK", "svg.chart"),
]

# Rendered size of every text of the visible chart drawings: font size times the drawing's
# scale on screen.
TEXT_SIZES = """() => [...document.querySelectorAll('svg.chart')]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .flatMap(svg => {
        const scale = svg.getScreenCTM().a;
        return [...svg.querySelectorAll('text')].map(text => ({
            text: text.textContent,
            px: parseFloat(getComputedStyle(text).fontSize) * scale,
        }));
    })"""


@pytest.mark.parametrize(("name", "path", "selector"), CHART_PAGES, ids=[c[0] for c in CHART_PAGES])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_chart_screenshot_and_legible_text(make_context, name, path, selector, width):
    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    assert page.goto(path, wait_until="load").status == 200
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    block = page.locator(".chart-block", has=page.locator(selector)).first
    assert block.is_visible()
    CHARTS.mkdir(parents=True, exist_ok=True)
    shot = CHARTS / f"{name}-{width}.png"
    shot.unlink(missing_ok=True)
    block.screenshot(path=str(shot))
    assert shot.stat().st_size > 5_000
    sizes = page.evaluate(TEXT_SIZES)
    if selector == "svg.chart":
        assert sizes, "no chart text found"
    too_small = [s for s in sizes if s["px"] < 11.9]
    assert too_small == [], f"chart text below 12 px at {width}px: {too_small[:5]}"
    assert context.offsite_requests() == []


def test_map_countries_are_reached_by_keyboard_with_their_values(make_context):
    context = make_context(viewport={"width": DESKTOP, "height": 900})
    page = context.new_page()
    page.goto("/statistics/population/")
    names = page.locator(".region-map .map-link").evaluate_all(
        "links => links.map(link => link.getAttribute('aria-label'))"
    )
    assert "Serbia: 6,586,476 (2024, estimated)" in names
    page.locator(".region-map .map-link").first.focus()
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == names[0]
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == names[1]
