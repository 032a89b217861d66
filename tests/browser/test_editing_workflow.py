"""The main editing path in a real browser: an Editor edits a live region (its text and an
approach section), previews it, asks for review; a Publisher compares and approves; the
public page changes only then. Screenshots in test-artifacts/screenshots/workflow-*.png."""

import os

import pytest
from django.contrib.auth.models import Group

from regions.models import Region
from staff.roles import EDITOR, PUBLISHER
from tests.browser.conftest import CHROMIUM_PATH, SCREENSHOTS

PASSWORD = "a-long-test-password-42"


@pytest.fixture(scope="module", autouse=True)
def _browser_tools():
    """This path needs only Chromium (no axe-core, vnu or Lighthouse): skipped only when
    asked to, like the other browser checks."""
    if os.environ.get("SKIP_BROWSER_TESTS") == "1":
        pytest.skip("SKIP_BROWSER_TESTS=1: browser checks not run")
    if not os.access(CHROMIUM_PATH, os.X_OK):
        pytest.fail(f"Chromium is needed at {CHROMIUM_PATH}.", pytrace=False)


def make_staff(username, role):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def shot(page, name, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / f"workflow-{name}-{width}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_edit_preview_request_review_and_approve(make_context, site):
    make_staff("edna", EDITOR)
    make_staff("pablo", PUBLISHER)
    region = Region.objects.get(slug="western-balkans")
    public_url = region.get_absolute_url()
    new_summary = "A proposed lead, written in the browser test."

    editor = make_context(viewport={"width": 1280, "height": 900})
    page = editor.new_page()
    log_in(page, "edna")
    page.goto(f"/admin/regions/region/{region.pk}/change/")
    assert page.locator("text=This item is public.").count() == 1
    page.fill("#id_summary", new_summary)

    # Preview before saving opens the real public page in a new tab, marked.
    with editor.context.expect_page() as preview_info:
        page.click("input[name=_preview]")
    preview = preview_info.value
    preview.wait_for_load_state()
    assert preview.locator(".preview-banner").count() == 1
    assert new_summary in preview.content()
    for width in (375, 1280):
        shot(preview, "preview", width)
    preview.close()

    page.click("input[name=_submit]")
    page.wait_for_url("**/revision/**")
    assert "Awaiting review" in page.content()
    for width in (375, 1280):
        shot(page, "revision-editor", width)

    anonymous = make_context().new_page()
    anonymous.goto(public_url)
    assert new_summary not in anonymous.content()

    publisher = make_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(publisher, "pablo")
    assert "Awaiting review" in publisher.content()
    for width in (375, 1280):
        shot(publisher, "queue-publisher", width)
    publisher.locator(f"text=Region: {region.name}").first.click()
    publisher.wait_for_url("**/revision/**")
    assert publisher.locator("table.revision-diff ins").count() >= 1
    for width in (375, 1280):
        shot(publisher, "revision-publisher", width)
    publisher.click("button[value=approve]")
    publisher.wait_for_url("**/revision/**")
    assert "Approved: the change is live." in publisher.content()

    anonymous.goto(public_url)
    assert new_summary in anonymous.content()
    assert editor.errors == []
