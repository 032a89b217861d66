"""The "Open data" links on the project pages: shown only where the file exists."""

import pytest

from tests.factories import ProjectFactory
from tests.pagecache.conftest import get_twice, page_cache_on  # noqa: F401 - used as a fixture

from .conftest import complete_project

pytestmark = pytest.mark.django_db


def test_project_page_links_its_file_only_when_complete(client, publisher, places):
    complete = complete_project([places["serbia"]])
    incomplete = ProjectFactory(countries=[places["serbia"]])
    html = client.get(complete.get_absolute_url()).content.decode()
    assert f'href="/iati/activities/{complete.slug}.xml"' in html
    assert "This project as IATI XML" in html
    assert client.get(f"/iati/activities/{complete.slug}.xml").status_code == 200
    html = client.get(incomplete.get_absolute_url()).content.decode()
    assert "IATI XML" not in html


def test_no_links_without_the_publisher(client, places):
    project = complete_project([places["serbia"]])
    assert "IATI XML" not in client.get(project.get_absolute_url()).content.decode()
    assert "IATI XML" not in client.get("/projects/").content.decode()


def test_list_links_the_whole_file_once_a_project_is_in_it(client, publisher, places):
    ProjectFactory(countries=[places["serbia"]])
    assert "IATI XML" not in client.get("/projects/").content.decode()
    complete_project([places["serbia"]])
    html = client.get("/projects/").content.decode()
    assert 'href="/iati/activities.xml"' in html


class TestCachedFile:
    """The files are served through the page cache like every public download; a change of
    a project, an organisation or the site settings is in the next response."""

    @pytest.fixture(autouse=True)
    def cache_on(self, page_cache_on):  # noqa: F811
        pass

    def test_an_edit_reaches_the_cached_file(self, client, publisher, places):
        project = complete_project([places["serbia"]], title="First title")
        for url in ("/iati/activities.xml", f"/iati/activities/{project.slug}.xml"):
            assert b"First title" in get_twice(client, url).content
        project.title = "Second title"
        project.save()
        for url in ("/iati/activities.xml", f"/iati/activities/{project.slug}.xml"):
            response = client.get(url)
            assert response["X-Page-Cache"] == "miss"
            assert b"Second title" in response.content

    def test_an_organisation_identifier_reaches_the_cached_file(self, client, publisher, places):
        project = complete_project([places["serbia"]])
        get_twice(client, "/iati/activities.xml")
        donor = project.donors.get()
        donor.iati_identifier = "XM-DAC-918"
        donor.save()
        assert b'ref="XM-DAC-918"' in client.get("/iati/activities.xml").content

    def test_withdrawing_the_publisher_removes_the_file(self, client, publisher, places):
        complete_project([places["serbia"]])
        get_twice(client, "/iati/activities.xml")
        publisher.iati_organisation_identifier = ""
        publisher.save()
        assert client.get("/iati/activities.xml").status_code == 404


def test_the_list_finds_a_complete_project_behind_many_incomplete(
    client, publisher, places, monkeypatch
):
    from iati import building

    monkeypatch.setattr(building, "CHECK_BATCH", 2)
    for number in range(5):
        # Pass the query's pre-filter, fail the check (no country).
        complete_project([], title=f"A{number}")
    assert "IATI XML" not in client.get("/projects/").content.decode()
    complete_project([places["serbia"]], title="Z last")
    assert 'href="/iati/activities.xml"' in client.get("/projects/").content.decode()
