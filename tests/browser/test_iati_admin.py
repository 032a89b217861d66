"""IATI in a real browser. The admin's "IATI: what is missing" page as staff read it: axe, no
horizontal scrolling at 375 px, screenshots at 375 and 1280 px
(test-artifacts/screenshots/iati-*.png). The public Open data sections with their IATI links."""

import datetime

import pytest
from django.test import Client

from projects.models import Project
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import check_axe
from tests.browser.test_html_validity import format_errors, run_vnu
from tests.factories import UserFactory
from tests.iati.conftest import set_publisher


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


@pytest.mark.django_db(transaction=True)  # fills in the IATI fields: the demo to itself
def test_a_project_with_its_iati_file_passes_axe_and_nu(make_context, site, tmp_path):
    """The Open data sections with their IATI links, which the shared demo (no reporting
    organisation) never shows: the project page and the project list, axe at 375 px and the
    Nu HTML Checker."""
    set_publisher()
    project = Project.objects.get(slug="psmm")
    project.iati_identifier = "XM-DAC-47066-PSMM"
    project.iati_sectors = "15190"
    if project.start_date is None:
        project.planned_start = datetime.date(2024, 1, 1)
    project.save()
    pages = {"project-iati": project.get_absolute_url(), "projects-iati": "/projects/"}
    context = make_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    client = Client()
    files = []
    for name, path in pages.items():
        assert page.goto(path, wait_until="load").status == 200
        assert page.locator(".open-data a[type='application/xml']").count() == 1, path
        check_axe(page, f"{path} with its IATI link")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, path
        file = tmp_path / f"{name}.html"
        file.write_bytes(client.get(path).content)
        files.append(file)
    errors = run_vnu(files)
    assert errors == {}, "Nu HTML Checker errors:\n" + format_errors(pages, errors)
    assert context.errors == [] and context.offsite_requests() == []
