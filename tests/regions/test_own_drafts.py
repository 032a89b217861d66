"""Editors may delete their own drafts: created by them and never approved. Not others'
drafts, not anything ever published (wbportal/own_drafts.py)."""

import pytest

from projects.models import Project
from regions.models import Region
from staff.roles import EDITOR, PUBLISHER
from tests.admin_forms import add_url, change_url, delete_url, region_form
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def own_draft(client):
    response = client.post(add_url(Region), region_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    return Region.objects.get(slug="test-region")


def test_an_editor_deletes_a_draft_they_created(client, staff_with_role):
    editor = staff_with_role(EDITOR)
    client.force_login(editor)
    region = own_draft(client)
    assert "deletelink" in client.get(change_url(region)).content.decode()
    assert client.get(delete_url(region)).status_code == 200
    assert client.post(delete_url(region), {"post": "yes"}).status_code == 302
    assert not Region.objects.filter(pk=region.pk).exists()
    assert Region.history.filter(id=region.pk).latest().history_user == editor


def test_an_editor_cannot_delete_another_editors_draft(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR, username="writer"))
    region = own_draft(client)
    client.force_login(staff_with_role(EDITOR, username="colleague"))
    assert "deletelink" not in client.get(change_url(region)).content.decode()
    assert client.post(delete_url(region), {"post": "yes"}).status_code == 403
    assert Region.objects.filter(pk=region.pk).exists()


def test_an_editor_cannot_delete_what_was_ever_approved(client, staff_with_role):
    editor = staff_with_role(EDITOR)
    client.force_login(editor)
    region = own_draft(client)
    region.is_published = True
    region.save()  # approved by a publisher ...
    region.is_published = False
    region.save()  # ... and withdrawn again: it was public once
    assert client.post(delete_url(region), {"post": "yes"}).status_code == 403
    assert Region.objects.filter(pk=region.pk).exists()

    published = RegionFactory(is_published=True)
    assert client.post(delete_url(published), {"post": "yes"}).status_code == 403


def test_the_rule_covers_projects_too_and_publishers_keep_deleting(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    data = {
        "title": "Draft project",
        "slug": "draft-project",
        "status": "implementation",
        "summary": "A draft.",
    }
    assert client.post(add_url(Project), data).status_code == 302
    project = Project.objects.get(slug="draft-project")
    assert client.post(delete_url(project), {"post": "yes"}).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()

    client.force_login(staff_with_role(PUBLISHER))
    region = RegionFactory(is_published=True)
    assert client.post(delete_url(region), {"post": "yes"}).status_code == 302
