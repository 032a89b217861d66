"""The review queue's warning that the scheduler is not running, in a real browser: valid
HTML, no axe violations in it, at 375 and 1280 px (screenshots in
test-artifacts/screenshots/scheduler-overdue-*.png)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from regions.models import Region
from staff.roles import PUBLISHER
from tests.scheduler.revisions import scheduled_change

from .conftest import SCREENSHOTS
from .test_accessibility import AXE_TAGS, axe_source, format_violations
from .test_editing_workflow import _browser_tools, log_in, make_staff  # noqa: F401
from .test_html_validity import CANARY_HTML, CANARY_NAME, format_errors, run_vnu

# axe on the warning alone: the rest of the admin index is checked elsewhere.
RUN_AXE_ON_WARNING = """async (tags) => {
    const results = await axe.run(
        {include: [['.scheduler-status']]}, {runOnly: {type: 'tag', values: tags}});
    return {
        passes: results.passes.length,
        violations: results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
        })),
    };
}"""


@pytest.mark.django_db(transaction=True)  # writes a revision: the demo to itself
def test_the_overdue_warning_is_valid_and_accessible(make_context, site, tmp_path):
    publisher = make_staff("pablo", PUBLISHER)
    region = Region.objects.get(slug="western-balkans")
    scheduled_change(region, timezone.now() - timedelta(minutes=10), summary="Overdue lead.")

    client = Client()
    client.force_login(publisher)
    html = client.get("/admin/").content
    assert b"1 scheduled change is overdue" in html
    page_file, canary = tmp_path / "admin-index.html", tmp_path / f"{CANARY_NAME}.html"
    page_file.write_bytes(html)
    canary.write_text(CANARY_HTML, encoding="utf-8")
    errors = run_vnu([page_file, canary])
    assert errors.pop(CANARY_NAME, None), "vnu did not report the canary's error: did it run?"
    assert errors == {}, format_errors({"admin-index": "/admin/"}, errors)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        context = make_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, "pablo")
        warning = page.locator(".scheduler-status")
        assert "the scheduler is not running" in warning.inner_text()
        page.evaluate(axe_source())
        results = page.evaluate(RUN_AXE_ON_WARNING, AXE_TAGS)
        assert results["passes"] > 0
        assert results["violations"] == [], format_violations("/admin/", results["violations"])
        page.screenshot(path=str(SCREENSHOTS / f"scheduler-overdue-{width}.png"))
        assert context.errors == []
