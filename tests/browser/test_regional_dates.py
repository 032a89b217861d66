"""A Publisher schedules a change in a real browser with the date typed the region's way, and
the admin's calendar writes dates the same way (day.month.year). Screenshots in
test-artifacts/screenshots/review-date-*.png."""

import datetime
import re

import pytest
from django.utils import timezone

from publishing import actions
from publishing.revisions import Revision
from publishing.snapshots import take_snapshot
from regions.models import Region
from staff.roles import EDITOR, PUBLISHER
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_editing_workflow import _browser_tools, log_in, make_staff  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_a_publisher_schedules_with_a_regional_date_and_the_calendar_agrees(make_context, site):
    editor, _publisher = make_staff("edna", EDITOR), make_staff("pablo", PUBLISHER)
    region = Region.objects.get(slug="western-balkans")
    base = take_snapshot(region)
    snapshot = take_snapshot(region)
    snapshot["object"]["fields"]["summary"] = "A lead for the eighth of December."
    revision = actions.save_draft(
        actions.Actor.of_user(editor), region, snapshot, base, submit=True
    )

    context = make_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, "pablo")
    page.goto(revision.admin_url())
    # The calendar's "Today" writes today as day.month.year, as staff type it.
    page.locator("#id_go_live_at_0 ~ .datetimeshortcuts a", has_text="Today").click()
    today = timezone.localdate()
    assert page.input_value("#id_go_live_at_0") == today.strftime("%d.%m.%Y")

    page.fill("#id_go_live_at_0", "8.12.2099")
    page.fill("#id_go_live_at_1", "09:00")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"review-date-{width}.png"), full_page=True)
    page.click("button[value=approve]")
    page.wait_for_url(re.compile(r".*/revision/.*"))
    revision.refresh_from_db()
    assert revision.status == Revision.Status.SCHEDULED
    assert timezone.localtime(revision.go_live_at).replace(tzinfo=None) == datetime.datetime(
        2099, 12, 8, 9, 0
    )
    assert "8 December 2099, 09:00" in page.content()
    assert context.errors == []
