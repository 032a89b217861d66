"""Links to the site's own pages: a missing or unpublished page is flagged in the admin form
(a notice on a draft; on a text that is public once saved, an error until confirmed)."""

import pytest

from links.internal import MISSING, RELATIVE, UNPUBLISHED, check_site_path, link_problems
from pages.models import Page
from staff.roles import EDITOR
from tests.admin_forms import add_url, change_url
from tests.factories import IndicatorFactory, ProjectFactory, RegionFactory

pytestmark = pytest.mark.django_db


def page_form(**overrides):
    data = {"title": "About", "slug": "about", "summary": "", "body": "", "review_note": ""}
    data.update(overrides)
    return data


def test_paths_are_resolved_and_objects_checked_as_the_public_sees_them():
    published = ProjectFactory(slug="live")
    ProjectFactory(slug="draft", is_published=False)
    RegionFactory(slug="hidden", is_published=False)
    IndicatorFactory(code="arrivals")
    assert check_site_path(published.get_absolute_url()) is None
    assert check_site_path("/projects/live") is None  # CommonMiddleware adds the slash
    assert check_site_path("/projects/") is None
    assert check_site_path("/statistics/arrivals/") is None
    assert check_site_path("/projects/draft/") == UNPUBLISHED
    assert check_site_path("/regions/hidden/") == UNPUBLISHED
    assert check_site_path("/projects/nothing-here/") == MISSING
    assert check_site_path("/no/such/path/") == MISSING
    assert check_site_path("/statistics/no-such-indicator/") == MISSING
    assert check_site_path("projects/live/") == RELATIVE


def test_external_in_page_and_mail_links_are_not_site_links(settings):
    settings.SITE_URL = "https://wb.example.org"
    problems = link_problems(
        [
            "https://example.org/x",
            "#approach",
            "mailto:a@example.org",
            "https://wb.example.org/projects/nothing/",
        ]
    )
    assert [(problem.url, problem.reason) for problem in problems] == [
        ("https://wb.example.org/projects/nothing/", MISSING)
    ]


def test_an_editor_saves_a_draft_with_a_broken_link_and_is_told(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    ProjectFactory(slug="draft", is_published=False)
    body = "See [the draft](/projects/draft/) and [nothing](/projects/none/)."
    response = client.post(add_url(Page), page_form(body=body), follow=True)
    assert response.status_code == 200
    page = Page.objects.get()
    assert not page.is_published
    messages = [str(message) for message in response.context["messages"]]
    assert "Link to /projects/draft/: that page is not published, so readers cannot open it." in (
        messages
    )
    assert "Link to /projects/none/: there is no such page on this site." in messages
    # The change form keeps saying so next to the text.
    html = client.get(change_url(page)).content.decode()
    assert html.count('class="markdown-link-problem"') == 2


def test_publishing_with_a_broken_link_needs_a_confirmation(admin_client):
    ProjectFactory(slug="draft", is_published=False)
    data = page_form(body="See [the draft](/projects/draft/).", is_published="on")
    response = admin_client.post(add_url(Page), data)
    assert response.status_code == 200
    assert not Page.objects.exists()
    errors = response.context["adminform"].form.errors["body"]
    assert errors[0] == "Once saved, this is public, and it links to pages readers cannot open:"
    assert "Link to /projects/draft/" in errors[1]
    html = response.content.decode()
    assert 'name="body-publish-with-broken-links"' in html
    assert "See [the draft](/projects/draft/)." in html  # the text is not lost

    data["body-publish-with-broken-links"] = "on"
    response = admin_client.post(add_url(Page), data)
    assert response.status_code == 302
    assert Page.objects.get().is_published


def test_a_link_to_a_published_page_passes_without_a_word(admin_client):
    project = ProjectFactory()
    data = page_form(body=f"See [it]({project.get_absolute_url()}).", is_published="on")
    response = admin_client.post(add_url(Page), data, follow=True)
    assert response.status_code == 200
    assert Page.objects.get().is_published
    assert not [m for m in response.context["messages"] if "Link to" in str(m)]


def test_a_published_country_profile_is_public_on_saving_so_it_needs_the_confirmation(
    admin_client,
):
    from tests.factories import CountryFactory

    country = CountryFactory(is_published=True)
    data = {
        "name": country.name,
        "local_name": country.local_name,
        "slug": country.slug,
        "iso_code": country.iso_code,
        "footnote": "",
        "member_state_since": "",
        "profile": "See [nothing](/projects/nothing/).",
        "is_published": "on",  # a Publisher saving a live country: public at once
    }
    response = admin_client.post(change_url(country), data)
    assert response.status_code == 200
    assert "profile" in response.context["adminform"].form.errors
