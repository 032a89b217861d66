"""ATTACK (issue 22 review): a live project page prints its contact's office by name and
links to it even when that office is a draft. A draft is the Editor's to change directly,
so an Editor's unreviewed office name reaches a live page without a Publisher."""

import pytest
from django.test import Client

from staff.roles import EDITOR
from tests.admin_forms import change_url
from tests.factories import ContactFactory, OfficeFactory, ProjectFactory, RegionFactory
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


def test_attack_a_draft_offices_name_never_reaches_a_live_project_page(staff_with_role):
    region = RegionFactory()
    office = OfficeFactory(region=region, name="Reviewed office", is_published=False)
    contact = ContactFactory(region=region, office=office, name="Ana Reviewed")
    project = ProjectFactory(contact=contact)
    client = Client()
    client.force_login(staff_with_role(EDITOR))
    url = change_url(office)
    response = client.post(url, form_data(client, url, name="Unreviewed office name"))
    assert response.status_code == 302  # a draft: saved directly, as designed
    html = Client().get(project.get_absolute_url()).content.decode()
    assert "Ana Reviewed" in html  # the live contact is shown
    assert "Unreviewed office name" not in html
