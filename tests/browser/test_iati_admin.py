"""The admin's "IATI: what is missing" page and a project's IATI fields in a real browser, as
staff read them: axe, no horizontal scrolling at 375 px, screenshots at 375 and 1280 px
(test-artifacts/screenshots/iati-*.png)."""

import pytest
from django.test import Client

from projects.models import Project
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import check_axe
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)  # signs in (a session row): the demo to itself
@pytest.mark.parametrize("width", [375, 1280])
def test_the_iati_page_reads_well(make_context, site, width):
    admin = UserFactory(username="iati-admin", is_staff=True, is_superuser=True)
    session = Client()
    session.force_login(admin)
    context = make_context(viewport={"width": width, "height": 900})
    context.context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": site.url}]
    )
    page = context.new_page()
    path = "/admin/projects/project/iati/"
    assert page.goto(path, wait_until="load").status == 200
    # The demo's site settings lack the reporting organisation: the page says what is missing.
    assert page.locator(".messagelist .warning li").count() >= 1
    assert page.locator("#iati-missing tbody tr").count() == Project.objects.for_iati().count()
    check_axe(page, f"{path} at {width} px")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, path
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"iati-missing-{width}.png"), full_page=True)
    assert context.errors == [] and context.offsite_requests() == []
