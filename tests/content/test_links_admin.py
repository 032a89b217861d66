"""The admin's list of links in the content: where each is, filterable by status."""

import pytest

from links.models import LinkStatus, LinkUse
from pages.models import Page
from staff.roles import EDITOR
from tests.admin_forms import change_url, changelist_url
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_content():
    project = ProjectFactory(description="See [the missing page](/pages/nothing/).")
    page = Page.objects.create(
        title="About",
        slug="about",
        body="[Projects](/projects/) and [a site](https://example.org/).",
        is_published=True,
    )
    return project, page


def test_broken_links_are_listed_with_their_place_and_an_admin_link(admin_client, linked_content):
    project, _page = linked_content
    response = admin_client.get(changelist_url(LinkUse), {"status": LinkStatus.BROKEN})
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [(use.link.url, use.object_id, use.field) for use in rows] == [
        ("/pages/nothing/", project.pk, "description")
    ]
    html = response.content.decode()
    assert f'<a href="{change_url(project)}">{project}</a>' in html
    assert "No such page" in html


def test_the_list_filters_by_status_and_by_where_the_link_points(admin_client, linked_content):
    url = changelist_url(LinkUse)
    everything = admin_client.get(url).context["cl"].result_list
    assert len(everything) == 3
    working = admin_client.get(url, {"status": LinkStatus.OK}).context["cl"].result_list
    assert [use.link.url for use in working] == ["/projects/"]
    unchecked = admin_client.get(url, {"status": LinkStatus.UNCHECKED}).context["cl"].result_list
    assert [use.link.url for use in unchecked] == ["https://example.org/"]
    external = admin_client.get(url, {"to": "external"}).context["cl"].result_list
    assert [use.link.url for use in external] == ["https://example.org/"]


def test_editors_see_the_list_but_cannot_change_it(client, staff_with_role, linked_content):
    client.force_login(staff_with_role(EDITOR))
    assert client.get(changelist_url(LinkUse)).status_code == 200
    use = LinkUse.objects.first()
    response = client.post(change_url(use), {})
    assert response.status_code == 403


def test_editing_the_text_updates_the_list(admin_client, linked_content):
    project, _page = linked_content
    project.description = "Nothing linked."
    project.save()
    assert not LinkUse.objects.filter(object_id=project.pk, field="description").exists()
