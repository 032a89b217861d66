"""What signed-in staff see on public pages: the "Edit this page" link and staged figures
(a scheduled data release) marked on the region preview. axe, the Nu HTML Checker, the
phone width and screenshots, as for the public pages."""

from datetime import timedelta
from statistics.models import DataRelease, Indicator, Observation

import pytest
from django.test import Client
from django.utils import timezone

from regions.models import Region
from staff.roles import PUBLISHER
from tests.factories import UserFactory

from .conftest import SCREENSHOTS
from .test_accessibility import check_axe
from .test_html_validity import CANARY_HTML, CANARY_NAME, format_errors, run_vnu

REGION = "/regions/western-balkans/"
STAFF_PAGES = [REGION, "/countries/serbia/", "/projects/psmm/", "/contacts/", "/pages/about/"]


def publisher():
    from django.contrib.auth.models import Group

    user = UserFactory(username="publisher", is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHER))
    return user


def stage_a_figure():
    """A featured indicator's later figure for the region, held in a data release."""
    indicator = Indicator.objects.filter(is_featured=True).first()
    release = DataRelease.objects.create(
        name="Next figures", release_at=timezone.now() + timedelta(days=7)
    )
    Observation.objects.create(
        indicator=indicator,
        region=Region.objects.get(slug="western-balkans"),
        period="2029",
        period_start="2029-01-01",
        period_end="2029-12-31",
        value=4242,
        release=release,
    )


def signed_in_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)  # stages a figure, signs in: the demo to itself
@pytest.mark.parametrize("width", [375, 1280])
def test_staff_region_page_with_edit_link_and_staged_figure(make_context, site, width):
    stage_a_figure()
    session = signed_in_client(publisher()).cookies["sessionid"].value
    context = make_context(viewport={"width": width, "height": 800})
    context.context.add_cookies([{"name": "sessionid", "value": session, "url": site.url}])
    page = context.new_page()
    assert page.goto(REGION, wait_until="load").status == 200
    assert page.get_by_role("link", name="Edit this page").is_visible()
    assert page.get_by_text("staged: not public yet").count() >= 1
    check_axe(page, f"{REGION} (signed in)")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"staff-region-{width}.png"), full_page=True)
    assert context.offsite_requests() == [] and context.errors == []


def test_staff_pages_are_valid_html(demo, tmp_path):
    stage_a_figure()
    client = signed_in_client(publisher())
    files, paths = [], {}
    for number, path in enumerate(STAFF_PAGES):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Edit this page" in response.content.decode(), path
        file = tmp_path / f"staff-{number}.html"
        file.write_bytes(response.content)
        files.append(file)
        paths[file.stem] = path
    canary = tmp_path / f"{CANARY_NAME}.html"
    canary.write_text(CANARY_HTML, encoding="utf-8")
    errors = run_vnu([*files, canary])
    assert errors.pop(CANARY_NAME, None), "vnu did not report the canary's error: did it run?"
    assert errors == {}, "Nu HTML Checker errors:\n" + format_errors(paths, errors)
