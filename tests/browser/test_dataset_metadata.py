"""The indicator page's dataset record (<script type="application/ld+json">) in a real Chromium:
the browser reads it as data under the site's Content-Security-Policy (no inline script
allowed), logs no refusal, and it parses as the schema.org Dataset; the catalogue it links
to answers as JSON-LD."""

import json

# Records every Content-Security-Policy refusal, from before the page's first byte (an init
# script runs outside the page's policy).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def test_the_dataset_record_is_read_as_data_under_the_csp(make_context):
    context = make_context()
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    response = page.goto("/statistics/population/", wait_until="load")
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    records = page.evaluate(
        """() => [...document.querySelectorAll('script[type="application/ld+json"]')]
            .map((element) => JSON.parse(element.textContent))"""
    )
    assert [record["@type"] for record in records] == ["Dataset"]
    assert records[0]["name"] == "Population"
    assert page.evaluate("window.__cspViolations") == []
    assert context.errors == []
    catalogue = page.request.get(
        page.locator('link[type="application/ld+json"]').get_attribute("href")
    )
    assert catalogue.status == 200
    assert catalogue.headers["content-type"].startswith("application/ld+json")
    assert json.loads(catalogue.body())["@type"] == "dcat:Catalog"


def test_a_refused_inline_script_would_be_seen(make_context):
    """The check above can fail: an inline script the policy refuses is recorded."""
    context = make_context()
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    page.goto("/statistics/population/", wait_until="load")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__ran = true'; document.head.append(s); }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__cspViolations") != []
