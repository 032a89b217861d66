"""The home page's map at phone and desktop width: every country carries a label on the map
and a linked name in the key beside it, and every office dot's place is listed beside it as
a link to the office's card (on a phone the dots lie too close together to label). The map
and its key are screenshotted to test-artifacts/screenshots/home-map-<width>.png."""

import pytest

from .conftest import SCREENSHOTS
from .test_accessibility import check_axe
from .test_layout import DESKTOP, PHONE, SCROLL_WIDTH

VISIBLE_LABELS = """map => [...map.querySelectorAll('.map-labels text')]
    .filter(t => t.getBoundingClientRect().width > 0)
    .map(t => t.textContent.trim())"""


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_place_on_the_home_map_is_labelled_or_listed(make_context, width):
    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto("/", wait_until="load")
    figure = page.locator("figure.region-map")
    assert figure.is_visible()

    labels = set(figure.evaluate(VISIBLE_LABELS))
    key = figure.locator(".map-key li")
    assert key.count() == 7  # the six of the Western Balkans and Türkiye
    for index in range(key.count()):
        item = key.nth(index)
        name = item.locator("a").first
        assert name.is_visible()
        code = item.locator(".map-code")
        # The map shows the code the key explains or the country's full name (a label may
        # be one at phone width and the other at desktop width).
        shown = {name.inner_text().strip()}
        if code.count():
            shown.add(code.inner_text().strip())
        assert shown & labels, f"{shown} is not labelled on the map at {width} px: {labels}"

    dots = figure.locator("circle.map-office").count()
    offices = figure.locator(".map-office-list a")
    assert dots >= 6 and offices.count() == dots
    for index in range(offices.count()):
        link = offices.nth(index)
        assert link.is_visible()
        assert link.get_attribute("href").startswith("/contacts/#office-")
        assert link.bounding_box()["height"] >= 24  # a target a finger can hit

    assert page.evaluate(SCROLL_WIDTH) <= width
    check_axe(page, f"/ at {width} px")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    figure.screenshot(path=str(SCREENSHOTS / f"home-map-{width}.png"))

    # The link leads to the office's card.
    first = offices.first
    city = first.inner_text()
    first.click()
    page.wait_for_load_state("load")
    card = page.locator("#" + page.url.split("#", 1)[1])
    assert card.is_visible() and city in card.inner_text()
    assert context.errors == []
