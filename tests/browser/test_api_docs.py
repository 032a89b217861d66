"""The API's documentation page in a real browser: Swagger UI runs under the site's strict
Content-Security-Policy (no refusal, no uncaught error), loads nothing from elsewhere, lists
every endpoint, and its "Try it out" reads the API on the same origin. axe, once Swagger UI
has drawn the page, at phone and desktop widths.

Known and not asserted: once an operation is opened and "Try it out" run, Swagger UI's own
markup there fails axe (copy buttons without a name: button-name; the response and curl
boxes scroll without being focusable: scrollable-region-focusable; syntax colours below 4.5:1).
That part is third-party UI for programmers; the page as it opens is checked in full.
"""

import pytest

from .test_accessibility import check_axe


@pytest.mark.parametrize("width", [375, 1280])
def test_api_docs_page_passes_axe_once_drawn(make_context, width):
    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    assert page.goto("/api/v1/docs", wait_until="load").status == 200
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    page.wait_for_selector(".models", timeout=15_000)
    check_axe(page, f"/api/v1/docs at {width} px")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert context.errors == []


def test_api_docs_page_works_under_the_csp(make_context):
    context = make_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    assert page.goto("/api/v1/docs", wait_until="load").status == 200
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(path.endswith("/observations") for path in paths), paths
    assert len(paths) >= 9
    page.locator(".opblock-summary-path", has_text="/api/v1/areas").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    status = page.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for(timeout=15_000)
    assert "200" in status.inner_text()
    assert context.errors == []
    assert context.offsite_requests() == []
