"""Two people on the same live region at once, in two browser contexts: neither change
disappears. Two Editors each keep their own proposal; two Publishers editing the live item
directly: the second save is refused with a message naming the first, the input kept; the
review page then shows both the proposal and what changed on the live page since, and a
returned change reopens in its author's form with the comment.
Screenshots in /work/wt/shots/core/ (or test-artifacts/screenshots/)."""

import os
from pathlib import Path

import pytest

from publishing.revisions import Revision
from regions.models import Region
from staff.roles import EDITOR, PUBLISHER
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import AXE_TAGS, axe_source, format_violations
from tests.browser.test_editing_workflow import _browser_tools, log_in, make_staff

__all__ = ["_browser_tools"]  # the module's skip-or-fail check, shared

SHOTS = Path(os.environ.get("CORE_SHOTS", SCREENSHOTS))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"concurrent-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def check_axe(page, include, exclude=()):
    """axe on the parts this workflow adds (the rest of the admin form is Django's; its
    split date/time widget has no label per input, left to the admin forms' work)."""
    page.evaluate(axe_source())
    results = page.evaluate(
        """async ([include, exclude, tags]) => {
            const r = await axe.run({include: include, exclude: exclude},
                                    {runOnly: {type: 'tag', values: tags}});
            return {passes: r.passes.length, violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          summary: n.failureSummary}))}))};
        }""",
        [[[selector] for selector in include], [[selector] for selector in exclude], AXE_TAGS],
    )
    assert results["passes"] > 0
    assert results["violations"] == [], format_violations(page.url, results["violations"])


def open_form(context, username, region):
    page = context.new_page()
    log_in(page, username)
    page.goto(f"/admin/regions/region/{region.pk}/change/")
    return page


@pytest.mark.django_db(transaction=True)
def test_two_people_on_one_region_lose_nothing(make_context, site):
    make_staff("edna", EDITOR)
    make_staff("elena", EDITOR)
    make_staff("pablo", PUBLISHER)
    make_staff("petar", PUBLISHER)
    region = Region.objects.get(slug="western-balkans")
    contexts = [make_context(viewport={"width": 1280, "height": 900}) for _n in range(4)]

    # Two Editors: each keeps a proposal of their own; the second sees the first's.
    edna = open_form(contexts[0], "edna", region)
    elena = open_form(contexts[1], "elena", region)
    edna.fill("#id_summary", "Edna's proposed lead.")
    edna.click("input[name=_submit]")
    edna.wait_for_url("**/revision/**")
    elena.click("details:has(#id_body) > summary")  # the Overview section opens on demand
    elena.fill("#id_body", "Elena's proposed overview.")
    elena.click("input[name=_save]")
    elena.wait_for_url("**/revision/**")
    assert Revision.objects.for_item(region).open().count() == 2
    elena.goto(f"/admin/regions/region/{region.pk}/change/")
    assert "edna’s change is pending" in elena.content()
    assert elena.input_value("#id_body") == "Elena's proposed overview."  # her own draft
    shot(elena, "editor-reopened")
    check_axe(elena, [".publishing-notice", ".publishing-submit"])

    # Two Publishers editing the live item: the second save is refused, nothing is lost.
    pablo = open_form(contexts[2], "pablo", region)
    petar = open_form(contexts[3], "petar", region)
    assert "edna’s change is pending" in pablo.content()
    petar.fill("#id_name", "Western Balkans (renamed by Petar)")
    petar.click("input[name=_continue]")
    petar.wait_for_load_state()
    pablo.fill("#id_code", "WBX")
    pablo.click("input[name=_continue]")
    pablo.wait_for_load_state()
    html = pablo.content()
    assert "Not saved: someone changed this item after you opened it" in html
    assert "petar" in html
    assert pablo.input_value("#id_code") == "WBX"  # the input stays in the form
    shot(pablo, "refused")
    pablo.locator(".publishing-notice details").first.evaluate("d => d.open = true")
    check_axe(pablo, [".errornote", ".errorlist", ".publishing-notice"])
    region.refresh_from_db()
    assert region.name == "Western Balkans (renamed by Petar)" and region.code != "WBX"

    # Edna's proposal stays in the queue, marked, with both comparisons.
    revision = Revision.objects.for_item(region).get(author__username="edna")
    assert revision.status == Revision.Status.PENDING and revision.live_changed_at
    pablo.goto(revision.admin_url())
    assert "The live page changed since" in pablo.content()
    assert pablo.locator("table.revision-diff").count() == 2
    shot(pablo, "review-both-diffs")
    check_axe(pablo, ["#content-main"])

    # Returned with a comment, it reopens in Edna's form with the comment on top.
    pablo.fill("#id_comment", "Please add the source of the figure.")
    pablo.click("button[value=return]")
    pablo.wait_for_url("**/revision/**")
    edna.goto(f"/admin/regions/region/{region.pk}/change/")
    assert "Your change, returned by pablo on" in edna.content()
    assert edna.input_value("#id_summary") == "Edna's proposed lead."
    shot(edna, "returned-reopened")
    check_axe(edna, [".publishing-notice"])
    assert [error for context in contexts for error in context.errors] == []
