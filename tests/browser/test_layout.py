"""Responsive layout, screenshots, off-site requests, no-JavaScript use and print in Chromium."""

import struct

import pytest

from projects.models import Project
from regions.models import Region

from .conftest import PAGES, SCREENSHOTS

PHONE, DESKTOP = 375, 1280
REGION_SLUGS = ["western-balkans", "western-balkans-turkiye"]

SCROLL_WIDTH = "() => document.documentElement.scrollWidth"


def png_size(path):
    """(width, height) from a PNG file's IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    return struct.unpack(">II", header[16:24])


# Pages screenshotted for a person to look at: (file name, path).
SCREENSHOT_PAGES = [
    ("home", "/"),
    *[(f"region-{slug}", f"/regions/{slug}/") for slug in REGION_SLUGS],
    ("country-kosovo", "/countries/kosovo/"),
    ("country-serbia", "/countries/serbia/"),
    ("search-results", "/search/?q=Pristina"),
    ("indicator-breakdown", "/statistics/arrivals-top-nationalities/"),
    ("indicator-series", "/statistics/population/"),
    ("indicator-embed", "/statistics/population/embed/?area=XK"),
]


@pytest.mark.parametrize(("name", "path"), SCREENSHOT_PAGES, ids=[n for n, _ in SCREENSHOT_PAGES])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_page_screenshot(make_context, name, path, width):
    """Full-page screenshots for a person to look at (test-artifacts/screenshots/), taken at
    phone and desktop width; the page must fit the width and load nothing from elsewhere."""
    context = make_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    response = page.goto(path, wait_until="load")
    assert response.status == 200

    scroll_width = page.evaluate(SCROLL_WIDTH)
    assert scroll_width <= width, f"horizontal overflow at {width}px: scrollWidth {scroll_width}"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{name}-{width}.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.is_file()
    assert shot.stat().st_size > 10_000, f"{shot} is suspiciously small"
    shot_width, shot_height = png_size(shot)
    assert shot_width == width
    # The whole page, not only the first screen (at least one viewport high).
    assert shot_height >= 800
    assert shot_height == page.evaluate("() => document.documentElement.scrollHeight")

    assert context.offsite_requests() == [], "requests left the site"


# The editable pages, and the header and footer every page shares (site settings).
SITE_PAGES = ["about", "data-licence"]


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_site_pages_header_and_footer_screenshots(make_context, width):
    """Screenshots for a person to look at: the About and Data licence pages in full, and the
    header and footer alone (test-artifacts/screenshots/)."""
    context = make_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for slug in SITE_PAGES:
        response = page.goto(f"/pages/{slug}/", wait_until="load")
        assert response.status == 200
        assert page.evaluate(SCROLL_WIDTH) <= width
        path = SCREENSHOTS / f"page-{slug}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        assert png_size(path)[0] == width
    page.goto("/countries/kosovo/", wait_until="load")  # a footer with the territory note
    for part in ("header", "footer"):
        path = SCREENSHOTS / f"site-{part}-{width}.png"
        page.locator(f"body > {part}").screenshot(path=str(path))
        assert png_size(path)[0] <= width
    assert context.offsite_requests() == [], "requests left the site"
    assert context.errors == [], context.errors


def test_icons_are_served(make_context):
    """The favicon (asked for by browsers whatever the page says), the SVG icon and the touch
    icon the pages link to all answer."""
    context = make_context()
    page = context.new_page()
    assert page.goto("/favicon.ico").status == 200
    page.goto("/")
    for selector in ('link[rel="icon"][type="image/svg+xml"]', 'link[rel="apple-touch-icon"]'):
        href = page.locator(selector).get_attribute("href")
        assert page.request.get(href).status == 200, href


def test_no_horizontal_overflow_at_phone_width(make_context):
    """Every page type fits a 375px-wide screen without sideways scrolling."""
    context = make_context(viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    overflowing = []
    for _, path, status in PAGES:
        response = page.goto(path, wait_until="load")
        assert response.status == status, f"{path} answered {response.status}"
        scroll_width = page.evaluate(SCROLL_WIDTH)
        if scroll_width > PHONE:
            overflowing.append(f"{path}: scrollWidth {scroll_width}")
    assert overflowing == [], f"horizontal overflow at {PHONE}px:\n" + "\n".join(overflowing)
    assert context.offsite_requests() == [], "requests left the site"


def test_region_page_without_javascript(make_context):
    context = make_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/regions/western-balkans/")
    region = Region.objects.get(slug="western-balkans")
    main = page.locator("main")
    assert main.locator("h1").inner_text().strip() == region.name
    assert main.get_by_role("heading", name="Where we work", exact=True).is_visible()
    for country in region.countries.all():
        assert main.get_by_role("link", name=country.name, exact=False).first.is_visible()


def test_indicator_sections_work_without_javascript(make_context):
    """The in-page links reach their sections, and the BibTeX entry is there to select."""
    context = make_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/statistics/arrivals-top-nationalities/")
    nav = page.get_by_role("navigation", name="On this page")
    for name, anchor in (("Table", "table"), ("Download and reuse", "download")):
        nav.get_by_role("link", name=name).click()
        assert page.url.endswith(f"#{anchor}")
        assert page.locator(f"#{anchor}").is_visible()
    assert page.locator("#bibtex").inner_text().startswith("@misc{")
    assert page.get_by_role("button", name="Copy the BibTeX entry").count() == 0


def test_copy_buttons_copy_the_bibtex_entry(make_context):
    context = make_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto("/statistics/arrivals-top-nationalities/")
    page.get_by_role("button", name="Copy the BibTeX entry").click()
    # The clipboard write is asynchronous: wait for the announcement rather than read it at once.
    page.get_by_role("status").filter(has_text="Copied.").wait_for(timeout=10_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#bibtex").inner_text()


def test_project_filters_work_without_javascript(make_context):
    context = make_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/projects/")
    main = page.locator("main")
    assert main.locator("h1").is_visible()
    form = main.locator('form[method="get" i]')
    assert form.count() == 1, "the project list has no GET filter form"
    form.locator('input[name="q"]').fill("return")
    form.locator('button[type="submit"], input[type="submit"]').first.click()
    page.wait_for_load_state("load")
    assert "q=return" in page.url
    assert page.locator("main h1").is_visible()
    assert page.locator('main form[method="get" i] input[name="q"]').input_value() == "return"
    # The results are the matching projects: links to their pages (not the list's own links).
    hrefs = page.locator('main a[href^="/projects/"]').evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    shown = {href for href in hrefs if href != "/projects/" and "?" not in href}
    expected = {p.get_absolute_url() for p in Project.objects.published().search("return")}
    assert expected, "the demo content has no project matching 'return'"
    assert shown == expected


def test_region_page_prints_without_navigation(make_context):
    context = make_context()
    page = context.new_page()
    page.goto("/regions/western-balkans/")
    on_screen_only = ["header nav", ".breadcrumbs", "main nav"]  # site nav, trail, contents
    for selector in on_screen_only:
        assert page.locator(selector).first.is_visible(), f"{selector} missing on screen"
    page.emulate_media(media="print")
    for selector in on_screen_only:
        assert page.locator(selector).first.is_hidden(), f"{selector} is printed"
    assert page.locator(".skip-link").is_hidden()
    assert page.locator("main h1").is_visible()
    assert page.get_by_role("heading", name="Where we work", exact=True).is_visible()


def test_map_without_javascript_and_in_print(make_context):
    """The map is plain SVG in the page: its country links work without JavaScript, its
    labels are big enough to read on a phone, and it prints."""
    context = make_context(java_script_enabled=False, viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    page.goto("/regions/western-balkans/")
    the_map = page.locator("main .region-map-svg")
    assert the_map.is_visible()
    box = the_map.bounding_box()
    assert box["width"] >= PHONE - 40  # uses the phone's width
    # Shown labels render at 10 px or more on a 375 px screen.
    sizes = page.locator("main .map-labels text").evaluate_all(
        "texts => texts.filter(t => t.getClientRects().length)"
        ".map(t => t.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= 10, sizes
    # Each country shape is a link a finger can hit: at least 24 px each way.
    for link in page.locator("main .region-map-svg a.map-link").all():
        shape = link.bounding_box()
        assert shape["width"] >= 24 and shape["height"] >= 24, link.get_attribute("aria-label")
    page.locator('main .region-map-svg a[aria-label="Serbia"]').click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/countries/serbia/")
    page.goto("/regions/western-balkans/")
    collapsed = page.get_by_role("heading", name="Research and Analysis")
    assert collapsed.is_hidden()  # inside the closed overview on screen
    page.emulate_media(media="print")
    assert page.locator("main .region-map-svg").is_visible()
    assert page.locator("main .map-attribution").is_visible()
    assert collapsed.is_visible()  # collapsed prose prints in full
