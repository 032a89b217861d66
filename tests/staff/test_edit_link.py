"""The "Edit this page" link: on each public page type, for signed-in staff whom the admin
lets change the object, pointing to its change page; never for the public or for staff
without that permission. (The page cache side: tests/pagecache/test_edit_link.py.)"""

import pytest
from django.urls import reverse

from pages.models import Page
from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    OfficeFactory,
    ProjectFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LINK_TEXT = "Edit this page"


@pytest.fixture
def content():
    country = CountryFactory(name="Bridgeland", slug="bridgeland", iso_code="BL")
    region = RegionFactory(name="Open Region", slug="open", code="OPEN", countries=[country])
    OfficeFactory(country=country)
    return {
        "region": region,
        "country": country,
        "project": ProjectFactory(slug="crossing", regions=[region]),
        "page": Page.objects.create(title="About", slug="about", is_published=True),
        "indicator": IndicatorFactory(code="arrivals", name="Arrivals"),
    }


# (page URL, what the link edits: a key of `content` or a changelist, roles who may, who may not)
PAGES = [
    ("/regions/open/", "region", [EDITOR, PUBLISHER], [DATA_MANAGER]),
    ("/countries/bridgeland/", "country", [EDITOR, PUBLISHER], [DATA_MANAGER]),
    ("/projects/crossing/", "project", [EDITOR, PUBLISHER], [DATA_MANAGER]),
    ("/pages/about/", "page", [EDITOR, PUBLISHER], [DATA_MANAGER]),
    ("/statistics/arrivals/", "indicator", [DATA_MANAGER], [EDITOR, PUBLISHER]),
    ("/contacts/", "regions.office", [EDITOR, PUBLISHER], [DATA_MANAGER]),
]


def admin_url(content, target):
    if target in content:
        obj = content[target]
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    app_label, model = target.split(".")
    return reverse(f"admin:{app_label}_{model}_changelist")


@pytest.mark.parametrize(("url", "target", "allowed", "refused"), PAGES)
def test_absent_for_anonymous_visitors(client, content, url, target, allowed, refused):
    html = client.get(url).content.decode()
    assert LINK_TEXT not in html and "/admin/" not in html


@pytest.mark.parametrize(("url", "target", "allowed", "refused"), PAGES)
def test_present_for_staff_who_may_change_the_object(
    client, content, staff_with_role, url, target, allowed, refused
):
    expected = f'<a href="{admin_url(content, target)}">{LINK_TEXT}</a>'
    for role in allowed:
        client.force_login(staff_with_role(role))
        response = client.get(url)
        assert expected in response.content.decode(), role
        assert "no-store" in response["Cache-Control"]
        assert client.get(admin_url(content, target)).status_code == 200, role


@pytest.mark.parametrize(("url", "target", "allowed", "refused"), PAGES)
def test_absent_for_staff_without_permission(
    client, content, staff_with_role, url, target, allowed, refused
):
    for role in refused:
        client.force_login(staff_with_role(role))
        response = client.get(url)
        assert response.status_code == 200
        assert LINK_TEXT not in response.content.decode(), role


def test_absent_for_a_signed_in_user_who_is_not_staff(client, content):
    client.force_login(UserFactory(username="reader", is_staff=False, is_superuser=True))
    assert LINK_TEXT not in client.get("/regions/open/").content.decode()


def test_absent_on_pages_of_no_single_object(client, content, staff_with_role):
    client.force_login(staff_with_role(PUBLISHER))
    for url in ("/", "/projects/", "/statistics/", "/search/?q=open"):
        assert LINK_TEXT not in client.get(url).content.decode(), url


def test_anonymous_pages_do_not_open_the_session(client, content):
    """The link costs an anonymous visitor nothing: no session read, so no `Vary: Cookie`
    on pages that never read it before (the indicator page)."""
    response = client.get("/statistics/arrivals/")
    assert "Cookie" not in response.get("Vary", "")
