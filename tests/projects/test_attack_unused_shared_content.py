"""ATTACK (issue 22 review): shared content that no approved page uses is the Editor's to
add and change at once (staff/shared_content.py), yet the public project list offers every
thematic area and facility as a filter choice. An Editor's new (or renamed, unused) thematic
area or facility reaches the live project list without a Publisher."""

import pytest
from django.test import Client
from django.urls import reverse

from staff.roles import EDITOR
from tests.factories import FacilityFactory, ProjectFactory, ThematicAreaFactory
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["thematicarea", "facility"])
def test_attack_an_editors_unused_shared_object_is_not_on_the_live_project_list(
    staff_with_role, model
):
    used_theme, used_facility = ThematicAreaFactory(), FacilityFactory()
    project = ProjectFactory(facility=used_facility)
    project.thematic_areas.add(used_theme)
    client = Client()
    client.force_login(staff_with_role(EDITOR))
    url = reverse(f"admin:projects_{model}_add")
    data = form_data(client, url, name="Unreviewed name", slug="unreviewed-name")
    assert client.post(url, data).status_code == 302
    html = Client().get(reverse("projects:project-list")).content.decode()
    assert used_theme.name in html and used_facility.name in html  # the choices are shown
    assert "Unreviewed name" not in html
