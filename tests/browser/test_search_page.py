"""The search results page in a real browser, on the demo content: offices, contacts and a
country page found by a city, the match marked, axe 0 and no horizontal scrolling at 375 and
1280 px; screenshots in test-artifacts/screenshots/search-*.png for a person to look at."""

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import check_axe
from tests.browser.test_layout import DESKTOP, PHONE, SCROLL_WIDTH

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Sarajevo", "ICMPD Office in Sarajevo"),
        ("Adrian", "Adrian Cooper"),
        ("role", "Western Balkans"),  # its text: "## ICMPD's role ..."
    ],
)
def test_search_results_read_well(make_context, site, width, query, first):
    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    response = page.goto(f"/search/?q={query}", wait_until="load")
    assert response.status == 200
    assert page.locator(".search-title a").first.inner_text() == first
    if query != "Adrian":  # a contact is found by name; the snippet is the role
        mark = page.locator(".search-snippet mark").first.inner_text()
        assert mark.casefold() == query.casefold()
    assert "##" not in page.locator("main").inner_text()
    check_axe(page, f"/search/?q={query} at {width} px")
    assert page.evaluate(SCROLL_WIDTH) <= width
    # The documents list is one tap away from every page.
    assert page.locator('.site-nav a[href="/documents/"]').count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"search-{query.lower()}-{width}.png"), full_page=True)
    assert context.errors == []
