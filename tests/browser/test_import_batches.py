"""A Data manager in a real browser: the World Bank file through a saved import profile, whose
preview lists the 70 status changes with examples (and a revision's preview through
Observations -> Import); Import; the import record's page with what
it did and Undo; the old statuses back. Checked with axe at 375 and 1280 px, screenshots in
test-artifacts/screenshots/imports-*.png (and SHOTS_DIR, if set, for a reviewer)."""

import json
import os
import shutil
from pathlib import Path
from statistics.models import ImportProfile, ImportRecord, Observation

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from staff.roles import DATA_MANAGER
from tests.browser.conftest import SCREENSHOTS

from .test_accessibility import AXE_TAGS, axe_source, format_violations

DATA = Path(__file__).resolve().parents[1] / "data"
PASSWORD = "a-long-test-password-42"


def check_axe(page, label):
    """axe on the page but Django's own breadcrumbs: the builder's long last crumb makes axe
    read its white links as links in a block of text (link-in-text-block), a matter of the
    admin's colours for every page with a long title, not of these pages."""
    page.evaluate(axe_source())
    results = page.evaluate(
        """async (tags) => {
            const r = await axe.run({exclude: [['.breadcrumbs']]},
                                    {runOnly: {type: 'tag', values: tags}});
            return {passes: r.passes.length, violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          summary: n.failureSummary}))}))};
        }""",
        AXE_TAGS,
    )
    assert results["passes"] > 0, f"axe reported no passing rules on {label}"
    assert results["violations"] == [], format_violations(label, results["violations"])


def shot(page, name, width, element=None):
    """The whole page, or only `element` (a locator)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"imports-{name}-{width}.png"
    if element is None:
        page.screenshot(path=str(path), full_page=True)
    else:
        element.screenshot(path=str(path))
    if os.environ.get("SHOTS_DIR"):
        Path(os.environ["SHOTS_DIR"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(os.environ["SHOTS_DIR"]) / path.name)


@pytest.mark.django_db(transaction=True)  # imports and undoes: the demo to itself
@pytest.mark.parametrize("width", [375, 1280])
def test_preview_of_changes_and_undo_in_the_browser(make_context, site, width):
    user = get_user_model().objects.create_user("elena", "elena@example.org", PASSWORD)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=DATA_MANAGER))
    definition = json.loads((DATA / "world_bank_population_profile.json").read_text())
    profile = ImportProfile.objects.create(name=definition["name"], definition=definition)

    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", "elena")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")

    # The contract import (Observations -> Import): a revision of two of the figures.
    page.goto("/admin/statistics/observation/import/")
    page.set_input_files("#id_import_file", str(DATA / "population_revision.csv"))
    page.get_by_role("button", name="Preview").click()
    changes = page.locator(".import-changes")
    changes.wait_for()
    assert "status Estimated → Final" in changes.inner_text()
    check_axe(page, "the contract import's preview with its changes")
    shot(page, "contract-preview", width)
    shot(page, "contract-preview-changes", width, element=changes)

    page.goto(f"/admin/statistics/importprofile/build/?profile={profile.pk}")
    page.set_input_files("input[type=file]", str(DATA / "world_bank_population.csv"))
    page.get_by_role("button", name="Upload").click()
    changes = page.locator(".import-changes")
    changes.wait_for()
    assert "70 observations" in changes.inner_text()
    assert "Population, Albania, 2015: Estimated → As published" in changes.inner_text()
    check_axe(page, "the import preview with its changes")
    shot(page, "preview", width)
    shot(page, "preview-changes", width, element=changes)

    page.get_by_role("button", name="Import the file").click()
    page.wait_for_url("**/statistics/observation/")
    record = ImportRecord.objects.written().get()
    page.goto(f"/admin/statistics/importrecord/{record.pk}/change/")
    assert "70 observations" in page.locator(".import-record-changes").inner_text()
    check_axe(page, "an import record with Undo")
    shot(page, "record", width)

    page.get_by_role("button", name="Undo this import").click()
    page.wait_for_load_state("load")
    assert "was undone" in page.locator(".messagelist").inner_text()
    statuses = Observation.objects.filter(indicator__code="population").values_list(
        "status", flat=True
    )
    assert set(statuses) == {"estimated"}
    shot(page, "undone", width)
    assert context.offsite_requests() == [] and context.errors == []
