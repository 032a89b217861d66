"""axe-core (WCAG 2.0/2.1 A and AA rules) in a real Chromium on every public page type."""

import functools

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from .conftest import AXE_JS, PAGES

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return {
        passes: results.passes.length,
        violations: results.violations.map(v => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
        })),
    };
}"""


@functools.cache
def axe_source():
    return AXE_JS.read_text(encoding="utf-8")


def format_violations(path, violations):
    lines = [f"axe found {len(violations)} violation(s) on {path}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def check_axe(page, label):
    # Evaluated through the DevTools protocol rather than added as a <script> element: the
    # site's Content-Security-Policy (no inline script) would rightly refuse the latter.
    page.evaluate(axe_source())
    results = page.evaluate(RUN_AXE, AXE_TAGS)
    # axe really ran its rules on this page (a broken injection would report nothing at all).
    assert results["passes"] > 0, f"axe reported no passing rules on {label}"
    assert results["violations"] == [], format_violations(label, results["violations"])


@pytest.mark.parametrize(
    ("path", "status"), [(p, s) for _, p, s in PAGES], ids=[n for n, _, _ in PAGES]
)
def test_no_axe_violations(make_context, path, status):
    context = make_context()
    page = context.new_page()
    response = page.goto(path, wait_until="load")
    assert response.status == status, f"{path} answered {response.status}"
    check_axe(page, path)
    assert context.offsite_requests() == []
    # A 404 page logs its own status as a failed load; nothing else may go wrong.
    own_404 = f"status of 404 (Not Found) ({page.url})"
    errors = [e for e in context.errors if not (status == 404 and e.endswith(own_404))]
    assert errors == [], f"errors in the browser on {path}:\n" + "\n".join(errors)


def test_no_axe_violations_on_server_error_page(make_context):
    """The 500 page, as Django's handler renders it, shown at a URL of the live site so its
    stylesheet loads from there."""
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    context = make_context()
    page = context.new_page()
    page.goto("/")
    page.set_content(response.content.decode(), wait_until="load")
    assert page.locator("link[rel=stylesheet]").count() == 1
    assert page.evaluate("() => document.styleSheets[0].cssRules.length") > 0, "no CSS loaded"
    check_axe(page, "the 500 page")
    assert context.offsite_requests() == []
    assert context.errors == [], "errors in the browser on the 500 page:\n" + "\n".join(
        context.errors
    )
