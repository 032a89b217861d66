"""The demo content: left out as it stands (the seeds give no IATI identifiers, sectors or
dates, and nothing is made up), and a valid file once staff fill in what IATI needs."""

import datetime

import pytest

from iati import validation
from projects.models import Organisation, Project

from .conftest import PUBLISHER, assert_valid, set_publisher

pytestmark = pytest.mark.django_db


def test_demo_as_loaded_has_no_file_and_says_why(client, admin_client, demo):
    set_publisher()
    assert client.get("/iati/activities.xml").status_code == 404
    html = admin_client.get("/admin/projects/project/iati/").content.decode()
    assert "0 projects are in the file." in html
    for project in Project.objects.published():
        assert project.title in html
    assert html.count("<li>IATI identifier</li>") == Project.objects.count()
    assert "<li>DAC sectors</li>" in html


def test_demo_filled_in_is_valid_iati(client, demo):
    set_publisher()
    projects = list(Project.objects.published().order_by("slug"))
    assert projects
    for number, project in enumerate(projects, start=1):
        project.iati_identifier = f"{PUBLISHER}-DEMO-{number}"
        project.iati_sectors = "15190"
        project.planned_start = datetime.date(2024, 1, 1)
        project.save()
    Organisation.objects.filter(slug="european-union").update(iati_identifier="XI-IATI-EC_NEAR")
    response = client.get("/iati/activities.xml")
    root = assert_valid(response.content)
    identifiers = {a.findtext("iati-identifier") for a in root.iter("iati-activity")}
    assert identifiers == {p.iati_identifier for p in projects}
    # The demo's projects name Kosovo: its narrative carries the footnote.
    kosovo = root.find(".//recipient-country[@code='XK']/narrative")
    assert kosovo.text.startswith("Kosovo* (* ")
    for project in projects:
        single = client.get(f"/iati/activities/{project.slug}.xml")
        assert validation.errors(single.content) == []
