"""What staff see: the IATI fields in the admin and the page of what is missing."""

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import ProjectFactory

from .conftest import PUBLISHER, complete_project

pytestmark = pytest.mark.django_db

MISSING_URL = "/admin/projects/project/iati/"


def html_of(response):
    html = response.content.decode()
    assert response.status_code == 200
    return html


def test_the_missing_page_lists_each_gap(admin_client, publisher, places):
    complete = complete_project([places["serbia"]], title="Complete one")
    ProjectFactory(title="No identifier one", iati_identifier="", iati_sectors="15190")
    ProjectFactory(title="Draft one", is_published=False, iati_identifier=f"{PUBLISHER}-D")
    html = html_of(admin_client.get(MISSING_URL))
    assert "1 project is in the file." in html
    no_id = html[html.index("No identifier one") :]
    no_id = no_id[: no_id.index("</tr>")]
    assert "IATI identifier" in no_id
    assert "A start date (planned or actual)" in no_id
    assert "A donor or an implementing partner" in no_id
    assert "A country (IATI&#x27;s recipient country)" in no_id
    draft = html[html.index("Draft one") :]
    assert "Not published" in draft[: draft.index("</tr>")]
    assert reverse("admin:projects_project_change", args=[complete.pk]) in html
    searched = html_of(admin_client.get(MISSING_URL, {"q": "Draft"}))
    assert "Draft one" in searched and "Complete one" not in searched


def test_without_the_publisher_the_page_says_so(admin_client, places):
    complete_project([places["serbia"]])
    html = html_of(admin_client.get(MISSING_URL))
    assert "No IATI file is published until the site settings" in html
    assert "0 projects are in the file." in html


def test_identifier_must_start_with_the_publishers(admin_client, publisher, places):
    project = complete_project([places["serbia"]], iati_identifier="XM-DAC-1-OTHER")
    html = html_of(admin_client.get(reverse("admin:projects_project_change", args=[project.pk])))
    assert "begins with the reporting organisation" in html
    assert f"{PUBLISHER}-" in html


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("99999", "not an active DAC 5-digit sector code"),
        ("15190 60, 13010 30", "must add up to 100"),
        ("15190, 13010", "give each one"),
        ("migration", "is not a 5-digit DAC code"),
        ("15190, 15190", "may appear once"),
    ],
)
def test_sector_codes_are_checked_on_save(text, error):
    project = Project(title="P", slug="p", summary="S", iati_sectors=text)
    with pytest.raises(Exception) as raised:
        project.full_clean()
    assert error in str(raised.value)


def test_withdrawn_codes_are_refused():
    from iati import codelists

    withdrawn = [c for c, item in codelists.codelist("Sector").items() if not item.active]
    assert withdrawn
    project = Project(title="P", slug="p", summary="S", iati_sectors=withdrawn[0])
    with pytest.raises(Exception, match="not an active DAC"):
        project.full_clean()
    assert withdrawn[0] not in dict(codelists.choices("Sector"))


def test_an_organisation_identifier_has_the_agency_form():
    from projects.models import Organisation

    for bad in ("ICMPD", "XM DAC 1", "XM-DAC/1"):
        organisation = Organisation(name="O", slug="o", iati_identifier=bad)
        with pytest.raises(Exception, match="identifier"):
            organisation.full_clean()
    Organisation(name="O", slug="o", iati_identifier="XM-DAC-41101").full_clean()


def test_site_settings_offer_active_organisation_types(admin_client):
    html = html_of(admin_client.get(reverse("admin:pages_sitesettings_change", args=[1])))
    assert 'name="iati_organisation_identifier"' in html
    assert '<option value="40">40 – Multilateral</option>' in html


def test_an_editor_may_read_the_page_a_visitor_may_not(client, django_user_model, places):
    from django.core.management import call_command

    from staff.roles import EDITOR

    user = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    call_command("grant_role", "ed", EDITOR, verbosity=0)
    client.force_login(user)
    assert client.get(MISSING_URL).status_code == 200


def test_project_form_offers_sector_codes_and_names_them(admin_client, publisher, places):
    project = complete_project([places["serbia"]], iati_sectors="15190 60, 13010 40")
    html = html_of(admin_client.get(reverse("admin:projects_project_change", args=[project.pk])))
    assert 'list="iati-sector-codes"' in html
    assert '<option value="15190">15190 – Facilitation of orderly' in html
    assert "15190 – Facilitation of orderly, safe, regular and responsible migration and " in html
    assert "13010 – Population policy and administrative management (40 %)" in html
    assert "Nothing: the project is in the IATI file while it is public." in html


def test_the_project_list_links_the_page(admin_client):
    html = html_of(admin_client.get(reverse("admin:projects_project_changelist")))
    assert 'href="/admin/projects/project/iati/"' in html


def test_staff_without_project_rights_may_not_read_it(client, django_user_model):
    user = django_user_model.objects.create_user("other", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(MISSING_URL).status_code == 403
    client.logout()
    assert client.get(MISSING_URL).status_code == 302  # to the login page
