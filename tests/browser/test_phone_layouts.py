"""Phones (issue 24): pages fit 375 px, wide tables keep their first column in view and say
that they scroll, the statistics list stacks, filter forms fold behind a "Filters" button,
and the home map labels every country; nothing of it changes the 1280 px layout."""

import pytest

from .conftest import SCREENSHOTS
from .test_accessibility import check_axe

PHONE, DESKTOP = 375, 1280

PHONE_PAGES = [
    ("home", "/"),
    ("statistics", "/statistics/"),
    ("indicator", "/statistics/population/"),
    ("indicator-breakdown", "/statistics/arrivals-top-nationalities/"),
    ("projects", "/projects/"),
    ("contacts", "/contacts/"),
    ("documents", "/documents/"),
]

# Elements of <main> reaching past the screen's right edge, other than inside a table box
# that scrolls and shows its scroll cue; and the boxes that scroll without a cue.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const cued = (box) => {
        const cue = box.previousElementSibling;
        return !!cue && cue.classList.contains('scroll-cue') && cue.offsetParent !== null;
    };
    // Drawn inside an <svg> or a box that hides its overflow (a visually hidden header
    // row): clipped there, the box itself is what counts.
    const clipped = (e) => {
        for (let a = e.parentElement; a && a.tagName !== 'MAIN'; a = a.parentElement) {
            if (a.tagName.toLowerCase() === 'svg') return true;
            const overflow = getComputedStyle(a).overflowX;
            if (overflow === 'hidden' || overflow === 'clip') return true;
        }
        return false;
    };
    const outside = [...document.querySelectorAll('main *')]
        .filter((e) => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length)
        .filter((e) => !clipped(e))
        .filter((e) => { const box = e.closest('.table-scroll'); return !box || !cued(box); })
        .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''));
    const silent = [...document.querySelectorAll('.table-scroll')]
        .filter((box) => box.scrollWidth > box.clientWidth + 1 && !cued(box))
        .map((box) => box.getAttribute('aria-labelledby'));
    const scrolling = [...document.querySelectorAll('.table-scroll')]
        .filter((box) => box.scrollWidth > box.clientWidth + 1)
        .map((box) => box.getAttribute('aria-labelledby'));
    return {scrollWidth: document.documentElement.scrollWidth, outside, silent, scrolling};
}"""


@pytest.mark.parametrize(("name", "path"), PHONE_PAGES, ids=[n for n, _ in PHONE_PAGES])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_pages_fit_the_screen(make_context, name, path, width):
    """No sideways scrolling of the page; anything wider scrolls inside a table box that says
    so. Screenshots for a person to look at (test-artifacts/screenshots/phone-*.png)."""
    context = make_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    assert page.goto(path, wait_until="load").status == 200
    page.wait_for_function("() => document.readyState === 'complete'")
    result = page.evaluate(OVERFLOW)
    assert result["scrollWidth"] <= width, f"{path} at {width}px: {result}"
    assert result["outside"] == [], f"{path} at {width}px reaches past the screen: {result}"
    assert result["silent"] == [], f"{path} at {width}px: tables scroll without a cue"
    if width == DESKTOP:  # as before: every table fits the page, but the places x periods
        # grid (one column a period: 65 years of population), which scrolls with its cue
        scrolling = [box for box in result["scrolling"] if box != "wide-table-caption"]
        assert scrolling == [], f"{path} at {width}px: tables scroll"
    check_axe(page, f"{path} at {width}px")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}-{width}.png"), full_page=True)
    assert context.errors == [], context.errors
    assert context.offsite_requests() == []


def in_view(page, locator):
    """Whether the element's box lies within the screen's width."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE


def test_statistics_list_stacks_each_indicator_on_a_phone(make_context):
    """Each indicator is a block with all its facts on screen: periods, sources and the
    downloads, each with its label; the column headers stay for screen readers."""
    context = make_context(viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    page.goto("/statistics/")
    rows = page.locator(".data-table tbody tr")
    assert rows.count() > 1
    for index in range(rows.count()):
        row = rows.nth(index)
        assert row.evaluate("(row) => getComputedStyle(row).display") == "block"
        for label in ("Periods covered", "Sources", "Download"):
            cell = row.locator(f'td[data-label="{label}"]')
            assert cell.is_visible() and in_view(page, cell), (index, label)
            shown = cell.evaluate("(c) => getComputedStyle(c, '::before').content")
            assert label in shown, shown
        downloads = row.locator('td[data-label="Download"] a')
        assert downloads.count() == 5  # CSV, CSV for Excel, XLSX, ZIP, JSON
        for link in range(downloads.count()):
            assert in_view(page, downloads.nth(link)), (index, downloads.nth(link).inner_text())
    headers = page.locator(".data-table thead th")
    assert headers.count() == 8 and headers.first.text_content() == "Indicator"
    # A table again where there is room.
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    assert rows.first.evaluate("(row) => getComputedStyle(row).display") == "table-row"
    assert page.locator(".data-table thead").is_visible()


def test_data_tables_keep_first_column_and_status_in_view(make_context):
    """On the indicator pages the Status column shows without scrolling, a table wider than
    the screen says so above it, and its first column stays when it is scrolled."""
    context = make_context(viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    for path in ("/statistics/population/", "/statistics/arrivals-top-nationalities/"):
        page.goto(path)
        page.wait_for_function("() => document.readyState === 'complete'")
        statuses = page.locator(".table-scroll thead th", has_text="Status")
        assert statuses.count() >= 1, path
        for index in range(statuses.count()):
            assert in_view(page, statuses.nth(index)), path
        boxes = page.locator(".table-scroll")
        for index in range(boxes.count()):
            box = boxes.nth(index)
            if not box.evaluate("(b) => b.scrollWidth > b.clientWidth + 1"):
                continue
            cue = page.locator(".scroll-cue").nth(index)
            assert cue.is_visible() and "scroll" in cue.inner_text().lower()
            caption = box.locator("caption")
            assert in_view(page, caption), f"{path}: the caption runs off the screen"
            first = box.locator("tbody tr").first.locator("th, td").first
            before = first.bounding_box()["x"]
            box.evaluate("(b) => { b.scrollLeft = b.scrollWidth; }")
            assert box.evaluate("(b) => b.scrollLeft") > 0
            assert abs(first.bounding_box()["x"] - before) < 1, f"{path}: first column moved"
            assert in_view(page, first)


@pytest.mark.parametrize("path", ["/projects/", "/documents/"])
def test_filters_fold_behind_a_button_on_a_phone(make_context, path):
    """Results first on a phone; the "Filters" button opens the form by keyboard, and says
    whether it is open. Open as before on a wide screen."""
    context = make_context(viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    page.goto(path)
    summary = page.locator("details.filter-disclosure > summary")
    form = page.locator(".filter-form")
    assert summary.is_visible() and summary.inner_text().strip() == "Filters"
    assert not form.is_visible()
    results = page.locator("#results-heading")
    assert results.bounding_box()["y"] < 400, "the results start on the first screen"
    tree = page.locator("details.filter-disclosure").aria_snapshot()
    assert "Filters" in tree
    summary.focus()
    assert summary.evaluate("(s) => getComputedStyle(s).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert form.is_visible()
    assert form.locator("select, input").first.is_visible()
    assert page.locator("details.filter-disclosure").get_attribute("open") is not None
    check_axe(page, f"{path} with the filters open")

    # Open as before where there is room, its fields in the accessibility tree.
    wide = make_context(viewport={"width": DESKTOP, "height": 800}).new_page()
    wide.goto(path)
    assert wide.locator(".filter-form").is_visible()
    assert not wide.locator("details.filter-disclosure > summary").is_visible()
    label = wide.locator(".filter-form label").first.inner_text()
    assert wide.locator(".filter-form").get_by_label(label, exact=True).is_visible()
    assert label in wide.locator(".filter-form").aria_snapshot()
    check_axe(wide, f"{path} at {DESKTOP}px")


def test_filters_without_javascript(make_context):
    """Without JavaScript the button still opens the form (a plain <details>)."""
    context = make_context(viewport={"width": PHONE, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto("/projects/")
    form = page.locator(".filter-form")
    assert not form.is_visible()
    page.locator("details.filter-disclosure > summary").click()
    assert form.is_visible()


def test_filters_open_where_a_value_needs_correcting(make_context):
    context = make_context(viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    page.goto("/projects/?status=no-such-status")
    assert page.locator(".filter-form").is_visible()


MAP_LABELS = """() => {
    const map = document.querySelector('figure.region-map');
    const group = [...map.querySelectorAll('.map-labels')]
        .find((g) => getComputedStyle(g).display !== 'none');
    const boxes = [...group.querySelectorAll('text')].map((t) => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    });
    const svg = map.querySelector('.region-map-svg').getBoundingClientRect();
    const key = [...map.querySelectorAll('.map-key li')].map((li) => {
        const code = li.querySelector('.map-code');
        const name = li.textContent.replace(code ? code.textContent : '', '').trim();
        return [code ? code.textContent.trim() : '', name.replace(/\\*$/, '').trim()];
    });
    return {boxes, key, svg: {left: svg.left, right: svg.right, top: svg.top, bottom: svg.bottom},
            leaders: group.querySelectorAll('line.map-leader').length};
}"""


def overlap(a, b):
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize(
    ("name", "path"), [("home", "/"), ("choropleth", "/statistics/population/")]
)
def test_maps_label_every_country(make_context, name, path, width):
    """Every country of the key is named or coded on the map as drawn at this width (a
    small country's code beside it with a leader line), no label over another, all inside
    the map: the home map with its offices, and an indicator's map."""
    context = make_context(viewport={"width": width, "height": 800}, device_scale_factor=2)
    page = context.new_page()
    page.goto(path)
    found = page.evaluate(MAP_LABELS)
    shown = {box["text"] for box in found["boxes"]}
    missing = [name for code, name in found["key"] if code not in shown and name not in shown]
    assert missing == [], f"not on the map at {width}px: {missing}"
    assert {"ME", "MK", "XK*"} <= shown
    boxes = found["boxes"]
    for index, box in enumerate(boxes):
        for other in boxes[index + 1 :]:
            assert not overlap(box, other), (box["text"], other["text"])
        svg = found["svg"]
        assert svg["left"] <= box["left"] and box["right"] <= svg["right"], box["text"]
        assert svg["top"] <= box["top"] and box["bottom"] <= svg["bottom"], box["text"]
    if width == PHONE:
        assert found["leaders"] >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("figure.region-map").first.screenshot(
        path=str(SCREENSHOTS / f"phone-map-{name}-{width}.png")
    )
