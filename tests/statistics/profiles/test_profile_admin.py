"""Import profiles and area names in the admin: list, search, add from a file, validation,
download as a file."""

import json
from pathlib import Path
from statistics.models import AreaName, ImportProfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent.parent / "data" / "profiles"


def test_area_names_list_search_and_filter(admin_client, demo):
    url = reverse("admin:statistics_areaname_changelist")
    page = admin_client.get(url, {"q": "Makedonija"}).content.decode()
    assert "Severna Makedonija" in page and "Srbija" not in page
    serbia = AreaName.objects.get(name="SRB").country
    page = admin_client.get(url, {"country__id__exact": serbia.pk}).content.decode()
    assert "Србија" in page and "Crna Gora" not in page
    name = AreaName.objects.get(name="XKX")
    assert (
        admin_client.get(reverse("admin:statistics_areaname_change", args=[name.pk])).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:statistics_areaname_add")).status_code == 200


def test_the_shared_table_seeds_codes_and_old_names(demo):
    codes = dict(AreaName.objects.values_list("name", "country__iso_code"))
    assert codes["XKX"] == "XK" and codes["SRB"] == "RS" and codes["MKD"] == "MK"
    assert codes["The former Yugoslav Rep. of Macedonia"] == "MK"
    assert codes["Turkey"] == "TR" and codes["Črna gora"] == "ME"
    assert not any("1244" in name for name in codes)  # never mapped silently


def test_profile_added_from_a_file(admin_client, demo):
    upload = SimpleUploadedFile("p.json", (DATA / "d_sistat_wide.json").read_bytes())
    response = admin_client.post(
        reverse("admin:statistics_importprofile_add"),
        {"name": "", "definition": "", "profile_file": upload},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = ImportProfile.objects.get()
    assert saved.name == "SiStat PX-Web: residence permits by citizenship"
    assert saved.definition["value_columns"] == "^(?P<period>\\d{4}) (?P<category>.+)$"
    assert saved.updated_by.username == "root"
    page = admin_client.get(reverse("admin:statistics_importprofile_changelist")).content.decode()
    assert "Windows-1250, semicolons" in page


def test_invalid_profile_is_refused_with_every_problem_listed(admin_client, demo):
    bad = {"format": "wbportal-import-profile", "version": 2, "name": "x", "layout": "wide"}
    response = admin_client.post(
        reverse("admin:statistics_importprofile_add"),
        {"name": "x", "definition": json.dumps(bad)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“version” must be 1" in page
    assert "A wide table needs “Value columns (wide)”" in page
    assert not ImportProfile.objects.exists()


def test_profile_downloaded_as_a_file_loads_again(admin_client, demo):
    definition = json.loads((DATA / "c_world_bank_wide.json").read_text())
    profile = ImportProfile.objects.create(name="WDI", definition=definition)
    response = admin_client.post(
        reverse("admin:statistics_importprofile_changelist"),
        {"action": "download_profile", "_selected_action": [profile.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="wdi.json"'
    downloaded = json.loads(response.content)
    assert downloaded == {**definition, "name": "WDI"}
    upload = SimpleUploadedFile("wdi.json", response.content)
    admin_client.post(
        reverse("admin:statistics_importprofile_add"),
        {"name": "WDI copy", "definition": "", "profile_file": upload},
    )
    assert ImportProfile.objects.get(name="WDI copy").definition["layout"] == "wide"


def test_profile_pages_open(admin_client, demo):
    profile = ImportProfile.objects.create(
        name="WDI", definition=json.loads((DATA / "c_world_bank_wide.json").read_text())
    )
    for url in (
        reverse("admin:statistics_importprofile_changelist"),
        reverse("admin:statistics_importprofile_add"),
        reverse("admin:statistics_importprofile_change", args=[profile.pk]),
    ):
        assert admin_client.get(url).status_code == 200


def test_the_contract_import_page_points_to_profiles(admin_client, demo):
    page = admin_client.get(reverse("admin:statistics_observation_import")).content.decode()
    assert (
        f'<a href="{reverse("admin:statistics_importprofile_changelist")}">import profile</a>'
        in page
    )
