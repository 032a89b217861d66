"""The admin's import (upload -> preview -> confirm) and export, through the admin URLs."""

import re
from pathlib import Path
from statistics.models import ImportRecord, Indicator, Observation, PendingUpload

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regions.models import Region
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
IMPORT_URL = reverse("admin:statistics_observation_import")
PROCESS_URL = reverse("admin:statistics_observation_process_import")


def upload(client, name):
    data = (DATA / name).read_bytes()
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, data), "format": "0", "resource": "0"},
    )


def confirm_data(html):
    """What the confirm form posts: the pending upload's id, nothing else."""
    return dict(re.findall(r'name="(upload)" value="([^"]*)"', html))


def test_import_page_opens_and_explains_the_contract(admin_client):
    html = admin_client.get(IMPORT_URL).content.decode()
    assert "indicator, area, period, category, value, status, source, note" in html
    assert "CSV or XLSX" in html


def test_preview_then_confirm_writes_and_records_who(admin_client, superuser, demo):
    before = Observation.objects.count()
    response = upload(admin_client, "utf8_bom_comma.csv")
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 new, 1 updated, 0 unchanged, 0 with errors." in html
    for label in ("New", "Updated", "Türkiye", "Србија", "Changes: value, source, note"):
        assert label in html
    assert Observation.objects.count() == before  # the preview wrote nothing
    preview = ImportRecord.objects.get()
    assert preview.dry_run and preview.user == superuser and preview.via == "admin"

    data = confirm_data(html)
    response = admin_client.post(PROCESS_URL, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:statistics_observation_changelist")
    assert "3 new, 1 updated, 0 unchanged observations" in response.content.decode()
    assert Observation.objects.count() == before + 3
    record = ImportRecord.objects.filter(committed=True).get()
    assert (record.user, record.file_name, record.new, record.updated) == (
        superuser,
        "utf8_bom_comma.csv",
        3,
        1,
    )

    # The same file again: every row unchanged.
    html = upload(admin_client, "utf8_bom_comma.csv").content.decode()
    assert "0 new, 0 updated, 4 unchanged, 0 with errors." in html
    assert "Unchanged" in html


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("cp1250_semicolon.csv", ["Priština", "Đakovica, Čačak, Šabac, Žabljak, Ćuprija"]),
        ("cp1251_comma.csv", ["Северна Македонија", "Београд и Ниш"]),
        ("observations.xlsx", ["2024-Q2", "Скопје"]),
        ("utf8_semicolon_decimal_comma.csv", ["1.200,5", "4 new"]),
    ],
)
def test_preview_reads_every_encoding_and_format(admin_client, demo, name, shown):
    html = upload(admin_client, name).content.decode()
    for text in shown:
        assert text in html
    assert 'name="upload"' in html


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("error_unknown_area.csv", "Unknown area &#x27;XX&#x27;. Known country codes: AL, BA"),
        ("error_duplicate_key.csv", "The same indicator, area, period and category as row 4."),
        ("error_not_csv.csv", "This is not a CSV or XLSX file."),
        ("error_missing_column.csv", "missing column(s): value. Expected columns:"),
    ],
)
def test_errors_are_shown_and_there_is_no_confirm_step(admin_client, demo, name, message):
    before = Observation.objects.count()
    html = upload(admin_client, name).content.decode()
    assert "Rejected: nothing will be written" in html
    assert message in html
    assert 'name="upload"' not in html
    assert Observation.objects.count() == before


def test_empty_upload_is_refused_by_the_form(admin_client, demo):
    html = upload(admin_client, "error_empty.csv").content.decode()
    assert "The submitted file is empty." in html
    assert 'name="upload"' not in html


def test_formula_and_markup_in_preview_are_inert(admin_client, demo):
    html = upload(admin_client, "formula_text.csv").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "=HYPERLINK(&quot;http://x.test&quot;)" in html


def test_upload_over_the_limit_is_refused_before_reading(admin_client, demo, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 50
    html = upload(admin_client, "utf8_bom_comma.csv").content.decode()
    assert "the limit is 0.0 MB" in html
    assert not ImportRecord.objects.exists()


def test_confirm_rejects_when_the_data_changed_in_between(admin_client, demo):
    html = upload(admin_client, "cp1251_comma.csv").content.decode()
    data = confirm_data(html)
    # Between preview and confirm, someone renames the indicator the file refers to.
    Indicator.objects.filter(code="arrivals-top-nationalities").update(code="renamed")
    response = admin_client.post(PROCESS_URL, data)
    assert response.status_code == 200
    assert "Unknown indicator" in response.content.decode()
    assert not Observation.objects.filter(category="Србија").exists()
    assert not PendingUpload.objects.exists()  # rejected at confirm: nothing left to confirm


def test_import_needs_add_and_change_permission(client, demo):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_observation"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="change_observation"))
    user = type(user).objects.get(pk=user.pk)
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 200


def test_changelist_offers_import_and_export_by_permission(client, demo):
    changelist = reverse("admin:statistics_observation_changelist")
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_observation"))
    client.force_login(user)
    html = client.get(changelist).content.decode()
    assert reverse("admin:statistics_observation_export") in html
    assert IMPORT_URL not in html
    for codename in ("add_observation", "change_observation"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(type(user).objects.get(pk=user.pk))
    assert f'href="{IMPORT_URL}"' in client.get(changelist).content.decode()


def test_export_respects_the_changelist_filters(admin_client, demo):
    region = Region.objects.get(code="WB")
    url = reverse("admin:statistics_observation_export") + f"?region__id__exact={region.pk}"
    response = admin_client.post(url, {"format": "0", "resource": "0"})  # the standard CSV
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "indicator,area,period,category,value,status,source,note,qualifier,area_label"
    )
    assert len(lines) - 1 == Observation.objects.filter(region=region).count() > 0
    assert all(line.split(",")[1] == "WB" for line in lines[1:])


def test_import_records_are_read_only(admin_client, demo):
    upload(admin_client, "utf8_bom_comma.csv")
    record = ImportRecord.objects.get()
    changelist = reverse("admin:statistics_importrecord_changelist")
    assert "utf8_bom_comma.csv" in admin_client.get(changelist).content.decode()
    assert admin_client.get(reverse("admin:statistics_importrecord_add")).status_code == 403
    change = reverse("admin:statistics_importrecord_change", args=[record.pk])
    html = admin_client.get(change).content.decode()
    assert 'name="_save"' not in html and "utf8_bom_comma.csv" in html


def test_counts_of_thousands_are_written_with_separators(admin_client, demo):
    lines = ["indicator,area,period,category,value,status,source,note"]
    lines += [f"arrivals-top-nationalities,WB,2024,Origin {n},{n},,rs-kirs," for n in range(1234)]
    data = "\n".join(lines).encode()
    response = admin_client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile("many.csv", data), "format": "0", "resource": "0"},
    )
    html = response.content.decode()
    assert "1,234 new, 0 updated, 0 unchanged, 0 with errors." in html
    response = admin_client.post(PROCESS_URL, confirm_data(html), follow=True)
    assert "1,234 new, 0 updated, 0 unchanged observations" in response.content.decode()
