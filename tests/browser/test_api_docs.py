"""The API's documentation page in a real browser: Swagger UI runs under the site's strict
Content-Security-Policy (no refusal, no uncaught error), loads nothing from elsewhere, lists
every endpoint, and its "Try it out" reads the API on the same origin."""


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
