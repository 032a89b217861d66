"""The admin's guided profile builder: upload, first rows as read, pick columns, preview with
every unmapped name and unknown marker, save; and the next file imports in one click."""

import json
import re
from decimal import Decimal
from pathlib import Path
from statistics.models import (
    ImportProfile,
    ImportRecord,
    Indicator,
    Observation,
    PendingUpload,
    Source,
)
from statistics.profiles import admin as profile_admin

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent.parent / "data" / "profiles"
BUILD = reverse("admin:statistics_importprofile_build")


def response_url(profile):
    return reverse("admin:statistics_importprofile_change", args=[profile.pk])


def upload(client, name, profile=None):
    url = f"{BUILD}?profile={profile.pk}" if profile else BUILD
    response = client.post(url, {"file": SimpleUploadedFile(name, (DATA / name).read_bytes())})
    assert response.status_code == 302
    return response["Location"]


SISTAT_FORM = {
    "name": "SiStat permits",
    "header_row": "3",
    "layout": "wide",
    "column_area": "1",
    "value_columns": r"^(?P<period>\d{4}) (?P<category>.+)$",
    "default_indicator": "residence-permits",
    "decimal": ",",
    "thousands": "",
    "dates": "day",
    "markers": "z = suppressed\n- = skip\n... = not_available",
    "areas": "",
    "skip_areas": "^[A-ZČŠŽ ]+$",
}


@pytest.fixture
def permits(demo):
    return IndicatorFactory(code="residence-permits")


def test_upload_shows_the_first_rows_as_read_and_the_header_as_choices(admin_client, permits):
    page = admin_client.get(upload(admin_client, "d_sistat_wide.csv")).content.decode()
    assert "CSV (Windows-1250, semicolon-delimited)" in page
    assert "  Črna gora" in page and "EVROPA" in page  # as read: the indentation kept
    assert '<th scope="row">3</th>' in page  # the file's own row numbers
    # The header row (1 by default) offers its cells; row 3 holds the real header.
    assert "Dovoljenja za prebivanje" in page


def test_preview_lists_every_unmapped_name_and_unknown_marker(admin_client, permits):
    url = upload(admin_client, "d_sistat_wide.csv")
    form = {**SISTAT_FORM, "markers": "- = skip", "skip_areas": "", "action": "preview"}
    page = admin_client.post(url, form).content.decode()
    assert "Rejected: nothing will be written" in page
    assert (
        "Row 4, column &#x27;DRŽAVA DRŽAVLJANSTVA&#x27;: &#x27;EVROPA&#x27; is not a known area"
        in page
    )
    assert "Row 6, column &#x27;2017 Zaposlitev&#x27;: &#x27;z&#x27; is neither a number" in page
    assert "Row 7, column &#x27;2018 Zaposlitev&#x27;: &#x27;...&#x27; is neither" in page
    assert 'value="import"' not in page
    assert not Observation.objects.filter(indicator=permits).exists()


def test_preview_then_save_then_the_next_file_imports_in_one_click(admin_client, permits):
    url = upload(admin_client, "d_sistat_wide.csv")
    page = admin_client.post(url, {**SISTAT_FORM, "action": "preview"}).content.decode()
    assert "15 new, 0 updated, 0 unchanged, 0 with errors." in page
    assert 'value="import"' in page
    response = admin_client.post(url, {**SISTAT_FORM, "action": "save"})
    saved = ImportProfile.objects.get(name="SiStat permits")
    kept = url.split("/build/")[1].split("/")[0]
    change_url = reverse("admin:statistics_importprofile_change", args=[saved.pk])
    assert response["Location"] == f"{change_url}?file={kept}"
    assert saved.definition["columns"] == {"area": "DRŽAVA DRŽAVLJANSTVA"}
    assert saved.definition["markers"] == {"z": "suppressed", "-": "skip", "...": "not_available"}
    assert saved.definition["skip"] == [{"column": "area", "matches": "^[A-ZČŠŽ ]+$"}]
    assert saved.updated_by.username == "root"
    assert not Observation.objects.filter(indicator=permits).exists()

    # The next file from the same source: upload with the profile, preview shown, one click.
    change = admin_client.get(reverse("admin:statistics_importprofile_change", args=[saved.pk]))
    assert f"{BUILD}?profile={saved.pk}" in change.content.decode()
    url = upload(admin_client, "d_sistat_wide.csv", saved)
    page = admin_client.get(url).content.decode()
    assert "15 new, 0 updated, 0 unchanged, 0 with errors." in page
    fields = dict(re.findall(r'name="(column_area|header_row|layout)"[^>]*value="([^"]*)"', page))
    assert fields.get("header_row") == "3"
    response = admin_client.post(url, {**SISTAT_FORM, "action": "import"})
    assert response["Location"] == reverse("admin:statistics_observation_changelist")
    assert Observation.objects.filter(indicator=permits).count() == 15
    assert Observation.objects.get(
        indicator=permits, country__iso_code="BA", period="2017", category="Moški"
    ).value == Decimal("13211.25")
    record = ImportRecord.objects.filter(committed=True).get()
    assert record.via == "admin" and record.profile == "SiStat permits"
    imported = url.split("/build/")[1].split("/")[0]
    assert not PendingUpload.objects.filter(pk=imported).exists()


def test_saving_keeps_the_file_and_offers_to_import_it_with_the_profile(admin_client, permits):
    url = upload(admin_client, "d_sistat_wide.csv")
    response = admin_client.post(url, {**SISTAT_FORM, "action": "save"})
    saved = ImportProfile.objects.get(name="SiStat permits")
    assert PendingUpload.objects.count() == 1  # the file is kept
    change = admin_client.get(response["Location"]).content.decode()
    assert "The profile “SiStat permits” was saved." in change
    assert "The file d_sistat_wide.csv is kept" in change
    link = re.search(
        r'<a href="([^"]+)" class="import-kept">Import this file with the profile', change
    )
    assert link and link[1] == f"{url}?profile={saved.pk}"
    # The import preview for the kept file, at once: no second upload.
    page = admin_client.get(link[1].replace("&amp;", "&")).content.decode()
    assert "15 new, 0 updated, 0 unchanged, 0 with errors." in page
    assert 'value="import"' in page
    response = admin_client.post(link[1], {**SISTAT_FORM, "action": "import"})
    assert response["Location"] == reverse("admin:statistics_observation_changelist")
    assert Observation.objects.filter(indicator=permits).count() == 15
    assert not PendingUpload.objects.exists()
    # Once imported, the profile's page no longer offers the file.
    kept = url.split("/")[-2]
    change = admin_client.get(f"{response_url(saved)}?file={kept}").content.decode()
    assert "Import this file with the profile" not in change


def test_a_second_click_on_import_while_the_first_runs_writes_nothing(
    admin_client, permits, monkeypatch
):
    url = upload(admin_client, "d_sistat_wide.csv")
    import_url = f"{url}?profile={save(admin_client, url).pk}"
    real_import = profile_admin.import_with_profile
    second = []

    def import_and_click_again(*args, **kwargs):
        if not second:  # the other click arrives while this import runs
            second.append(admin_client.post(import_url, {**SISTAT_FORM, "action": "import"}))
        return real_import(*args, **kwargs)

    monkeypatch.setattr(profile_admin, "import_with_profile", import_and_click_again)
    response = admin_client.post(import_url, {**SISTAT_FORM, "action": "import"})
    assert response["Location"] == reverse("admin:statistics_observation_changelist")
    [refused] = second
    assert refused.status_code == 302  # sent away: the file was taken by the first click
    assert ImportRecord.objects.filter(dry_run=False).count() == 1
    assert Observation.objects.filter(indicator=permits).count() == 15
    assert not PendingUpload.objects.exists()


def test_an_import_with_errors_keeps_the_file_to_try_again(admin_client, permits):
    url = upload(admin_client, "d_sistat_wide.csv")
    import_url = f"{url}?profile={save(admin_client, url).pk}"
    permits.delete()  # every row now names an unknown indicator
    page = admin_client.post(import_url, {**SISTAT_FORM, "action": "import"})
    assert page.status_code == 200
    assert PendingUpload.objects.count() == 1


def save(client, url):
    client.post(url, {**SISTAT_FORM, "action": "save"})
    return ImportProfile.objects.get(name="SiStat permits")


def test_a_forged_or_foreign_kept_file_is_not_offered(admin_client, permits, django_user_model):
    saved = ImportProfile.objects.create(
        name="P", definition=json.loads((DATA / "d_sistat_wide.json").read_text())
    )
    other = django_user_model.objects.create_superuser("other", "o@example.org", "pw")
    theirs = PendingUpload.objects.store(other, "x.csv", b"a,b\n1,2\n")
    change = reverse("admin:statistics_importprofile_change", args=[saved.pk])
    for forged in (theirs.pk, "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        page = admin_client.get(f"{change}?file={forged}").content.decode()
        assert "Import this file with the profile" not in page


def test_saving_keeps_what_the_form_does_not_show(admin_client, demo):
    IndicatorFactory(code="asylum-applicants")
    definition = json.loads((DATA / "e_eurostat.json").read_text())
    saved = ImportProfile.objects.create(name="Eurostat", definition=definition)
    url = upload(admin_client, "e_eurostat_quarters.tsv", saved)
    page = admin_client.get(url).content.decode()
    assert "9 new, 0 updated, 0 unchanged, 0 with errors." in page
    form = {
        "name": "Eurostat", "header_row": "1", "layout": "wide", "column_area": "1",
        "value_columns": definition["value_columns"], "default_indicator": "asylum-applicants",
        "decimal": ".", "thousands": "", "dates": "day",
        "markers": ": = not_available\n: c = suppressed", "action": "save",
    }  # fmt: skip
    admin_client.post(url, form)
    saved.refresh_from_db()
    assert saved.definition["flags"] == {"p": "provisional", "e": "estimated"}
    assert saved.definition["delimiter"] == "tab"
    assert saved.definition["columns"] == {"area": "geo\\TIME_PERIOD"}


def test_another_users_upload_is_refused(admin_client, permits, django_user_model):
    other = django_user_model.objects.create_superuser("other", "o@example.org", "pw")
    pending = PendingUpload.objects.store(other, "x.csv", (DATA / "d_sistat_wide.csv").read_bytes())
    url = reverse("admin:statistics_importprofile_build_file", args=[pending.pk])
    response = admin_client.get(url)
    assert response.status_code == 302 and response["Location"] == BUILD


def test_builder_needs_a_staff_user_with_permissions(client, django_user_model, permits):
    client.force_login(django_user_model.objects.create_user("viewer", is_staff=True))
    assert client.get(BUILD).status_code == 403


def test_a_data_manager_builds_and_imports_an_editor_may_not(client, staff_with_role, permits):
    from staff.roles import DATA_MANAGER, EDITOR

    client.force_login(staff_with_role(EDITOR))
    assert client.get(BUILD).status_code == 403
    client.force_login(staff_with_role(DATA_MANAGER))
    url = upload(client, "d_sistat_wide.csv")
    response = client.post(url, {**SISTAT_FORM, "action": "import"})
    assert response["Location"] == reverse("admin:statistics_observation_changelist")
    assert Observation.objects.filter(indicator=permits).count() == 15
    assert client.get(reverse("admin:statistics_areaname_changelist")).status_code == 200


def test_builder_reads_a_workbook(admin_client, demo):
    IndicatorFactory(code="arrivals-quarterly")
    url = upload(admin_client, "h_quarters.xlsx")
    page = admin_client.get(url).content.decode()
    assert "XLSX" in page and "Reference date" in page and "2024-03-31" in page
    form = {
        "name": "Quarterly", "header_row": "3", "layout": "long", "column_area": "1",
        "column_period": "2", "column_value": "3", "default_indicator": "arrivals-quarterly",
        "decimal": ".", "thousands": "", "dates": "quarter", "markers": ".. = not_available",
        "action": "preview",
    }  # fmt: skip
    page = admin_client.post(url, form).content.decode()
    assert "4 new, 0 updated, 0 unchanged, 0 with errors." in page
    assert "&quot;period&quot;: &quot;Reference date&quot;" in page  # by header name


def test_builder_without_a_header_takes_positions(admin_client, demo):
    indicator = IndicatorFactory(code="arrivals-monthly")
    url = upload(admin_client, "b_no_header.csv")
    form = {
        "name": "Monthly", "header_row": "0", "layout": "long", "column_area": "1",
        "column_category": "2", "column_period": "3", "column_month": "4", "column_value": "5",
        "default_indicator": "arrivals-monthly", "decimal": ".", "thousands": "",
        "dates": "day", "action": "save",
    }  # fmt: skip
    admin_client.post(url, form)
    saved = ImportProfile.objects.get(name="Monthly")
    assert saved.definition["header_row"] is None
    assert saved.definition["columns"] == {
        "area": 1, "period": 3, "month": 4, "category": 2, "value": 5,
    }  # fmt: skip
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_builder_splits_eurostats_first_column_and_offers_its_parts(admin_client, demo):
    indicator = IndicatorFactory(code="asylum-applicants")
    url = upload(admin_client, "e_eurostat_dimensions.tsv")
    form = {
        "name": "Eurostat by citizenship", "header_row": "1", "header_rows": "1",
        "split_column": "1", "split_by": ",", "split_into": "freq citizen geo",
        "layout": "wide", "column_area": "part:geo", "column_category": "part:citizen",
        "value_columns": r"^(?P<period>\d{4})$", "default_indicator": "asylum-applicants",
        "decimal": ".", "thousands": "", "dates": "day", "markers": ": = not_available",
        "action": "preview",
    }  # fmt: skip
    page = admin_client.post(url, form).content.decode()
    assert "Part “geo” of the split column" in page
    # ": c" is an unknown flag until the profile (flags are kept from a saved profile) says.
    assert "Row 3, column &#x27;2024&#x27;: &#x27;: c&#x27; is neither" in page
    admin_client.post(url, {**form, "action": "save"})
    saved = ImportProfile.objects.get(name="Eurostat by citizenship")
    assert saved.definition["split_column"] == {
        "column": 1, "by": ",", "into": ["freq", "citizen", "geo"],
    }  # fmt: skip
    assert saved.definition["columns"] == {"area": "geo", "category": "citizen"}
    assert "header_rows" not in saved.definition
    # The saved profile's page offers the next file, with the parts chosen again.
    saved.definition = {
        **saved.definition,
        "flags": {"c": "suppressed", "p": "provisional", "e": "estimated"},
    }
    saved.save()
    page = admin_client.get(upload(admin_client, "e_eurostat_dimensions.tsv", saved))
    page = page.content.decode()
    assert "8 new, 0 updated, 0 unchanged, 0 with errors." in page
    assert re.search(r'<option value="part:geo" selected>', page)
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_builder_reads_two_header_rows(admin_client, demo):
    IndicatorFactory(code="population-test")
    url = upload(admin_client, "d_sistat_two_header_rows.csv")
    form = {
        "name": "SiStat by sex", "header_row": "3", "header_rows": "2", "layout": "wide",
        "column_area": "1", "value_columns": r"^(?P<period>\d{4}) (?P<category>.+)$",
        "default_indicator": "population-test", "decimal": ",", "thousands": "",
        "dates": "day", "markers": "z = suppressed\n- = skip", "action": "save",
    }  # fmt: skip
    admin_client.post(url, form)
    saved = ImportProfile.objects.get(name="SiStat by sex")
    assert saved.definition["header_rows"] == 2
    assert saved.definition["columns"] == {"area": 1}
    page = admin_client.post(url, {**form, "action": "preview"}).content.decode()
    assert "11 new, 0 updated, 0 unchanged, 0 with errors." in page


def test_builder_split_column_needs_its_parts(admin_client, demo):
    url = upload(admin_client, "e_eurostat_dimensions.tsv")
    form = {
        "name": "Eurostat", "header_row": "1", "split_column": "1", "split_by": ",",
        "split_into": "geo", "layout": "wide", "column_area": "1",
        "value_columns": r"^(?P<period>\d{4})$", "default_indicator": "x", "decimal": ".",
        "thousands": "", "dates": "day", "action": "save",
    }  # fmt: skip
    page = admin_client.post(url, form).content.decode()
    assert "A split column needs the character between its parts and at least two" in page
    assert not ImportProfile.objects.exists()


# The header row, detected: the first row as wide as the table whose cells are mostly labels.


def header_of(name, folder=DATA):
    from statistics.profiles.header import detect_header
    from statistics.profiles.reshape import rows_as_read

    return detect_header(rows_as_read((folder / name).read_bytes(), count=40)[2])


def test_header_after_unhcrs_twelve_line_preamble_is_row_13():
    header = header_of("a_unhcr_preamble.csv")
    assert header.row == 13 and header.rows == 1
    assert header.labels[:2] == ["Year", "Country of origin"]


def test_header_of_a_wide_world_bank_file_with_years_as_column_names():
    header = header_of("c_world_bank_wide.csv")
    assert header.row == 5  # the file's own row numbers: blank lines count
    assert header.labels[-1] == "2023"


def test_a_wide_header_without_preamble_is_found_by_its_years_over_figures():
    from statistics.profiles.header import detect_header

    rows = [
        (1, ["Country Name", "Country Code", "2020", "2021"]),
        (2, ["Serbia", "SRB", "7.41", "7.15"]),
        (3, ["Kosovo", "XKX", "18.5", ""]),
    ]
    assert detect_header(rows).row == 1


def test_a_file_without_header_has_none():
    assert header_of("b_no_header.csv") is None


def test_rows_of_numbers_are_never_the_header():
    from statistics.profiles.header import detect_header

    after_a_preamble = [
        (1, ["Population by year", ""]),
        (3, ["2020", "1,234.5", "17"]),
        (4, ["2021", "1,300", "18"]),
        (5, ["Serbia", "total", "x"]),
    ]
    assert detect_header(after_a_preamble) is None
    assert detect_header([(1, ["2020", "5", "6"]), (2, ["2021", "7", "8"])]) is None
    assert detect_header([(1, ["only one column"]), (2, ["12"])]) is None
    assert detect_header([]) is None


def test_px_webs_two_header_rows_start_at_the_row_of_years():
    header = header_of("d_sistat_two_header_rows.csv")
    assert (header.row, header.rows) == (3, 2)
    assert header_of("d_sistat_wide.csv").row == 3
    assert header_of("h_quarters.xlsx").row == 3


@pytest.mark.parametrize(
    "name",
    [
        "unhcr_population_wb7_1951_2025.csv",
        "unhcr_asylum_applications_wb7_2000_2025.csv",
        "unhcr_asylum_decisions_wb7_2000_2025.csv",
        "worldbank_population_wb7_1960_2024.csv",
    ],
)
def test_the_shared_unhcr_and_world_bank_files_have_their_header_in_row_1(name):
    # The project's copy (fixtures/data, with their checksums) or the shared originals.
    root = Path(__file__).resolve().parents[3]
    folder = next(
        (f for f in (root / "fixtures" / "data", Path("/work/shared/data")) if (f / name).exists()),
        None,
    )
    if folder is None:
        pytest.skip("neither fixtures/data nor the shared data folder holds the file")
    header = header_of(name, folder)
    assert header.row == 1 and header.labels[1] in {"coo_name", "Country Code"}


# The builder page: the header row pre-filled, missing indicators and sources added in place.

UNHCR_FORM = {
    "name": "UNHCR asylum-seekers", "header_row": "13", "header_rows": "1", "layout": "long",
    "column_period": "1", "column_area": "4", "column_category": ["2"], "column_value": "6",
    "default_indicator": "asylum-seekers", "default_source": "unhcr", "decimal": ".",
    "thousands": "", "dates": "day",
    "areas": "Serbia and Kosovo: S/RES/1244 (1999) = RS", "action": "preview",
}  # fmt: skip


def header_row_value(page):
    return re.search(r'name="header_row" value="(\d+)"', page)[1]


def test_the_builder_prefills_the_detected_header_row_and_says_so(admin_client, demo):
    page = admin_client.get(upload(admin_client, "a_unhcr_preamble.csv")).content.decode()
    assert header_row_value(page) == "13"
    assert "Row 13 looks like the header: Year, Country of origin, Country of origin (ISO)" in page
    # The column choices name row 13's cells, not the preamble's.
    assert '<option value="6">6 (F): Asylum-seekers</option>' in page
    assert '<th scope="row">16</th>' in page  # the rows under the header are shown

    page = admin_client.get(upload(admin_client, "b_no_header.csv")).content.decode()
    assert header_row_value(page) == "0"
    assert "No row looks like a header" in page


def test_px_webs_two_header_rows_are_prefilled(admin_client, demo):
    page = admin_client.get(upload(admin_client, "d_sistat_two_header_rows.csv")).content.decode()
    assert header_row_value(page) == "3"
    assert re.search(r'<option value="2" selected>Two: periods', page)
    assert "Rows 3 and 4 look like the header" in page


def test_a_missing_indicator_and_source_are_offered_once_each_and_added_in_place(
    admin_client, demo
):
    url = upload(admin_client, "a_unhcr_preamble.csv")
    page = admin_client.post(url, UNHCR_FORM).content.decode()
    assert "Rejected: nothing will be written" in page
    assert page.count("Unknown indicator &#x27;asylum-seekers&#x27;") > 2  # one per row...
    assert page.count("<legend>") == 2  # ...but one offer per code
    assert "Indicator “asylum-seekers”" in page and "Source “unhcr”" in page
    code = 'name="new-indicator-asylum-seekers-code" id="id_new-indicator-asylum-seekers-code"'
    assert f'{code} value="asylum-seekers"' in page
    for field in ("name", "unit", "decimals"):
        assert f'name="new-indicator-asylum-seekers-{field}"' in page
    for field in ("name", "publisher", "licence", "licence_url", "url"):
        assert f'name="new-source-unhcr-{field}"' in page

    indicator = {
        "new-indicator-asylum-seekers-code": "asylum-seekers",
        "new-indicator-asylum-seekers-name": "Asylum-seekers",
        "new-indicator-asylum-seekers-unit": "people",
        "new-indicator-asylum-seekers-decimals": "0",
        "new-source-unhcr-name": "UNHCR Refugee Data Finder",  # typed, not yet posted
    }
    action = {"action": "create-indicator:asylum-seekers"}
    page = admin_client.post(url, {**UNHCR_FORM, **indicator, **action}).content.decode()
    created = Indicator.objects.get(code="asylum-seekers")
    assert (created.name, created.unit, created.decimals) == ("Asylum-seekers", "people", 0)
    # Recorded as any addition through the admin is: the admin's log and the audit log.
    from audit.models import AuditEntry

    assert AuditEntry.objects.for_object(created).get().action == "create"
    assert "The indicator “Asylum-seekers” (asylum-seekers) was added" in page
    # Back to the builder: the same file, the same form values, the preview refreshed.
    assert header_row_value(page) == "13"
    assert "Serbia and Kosovo: S/RES/1244 (1999) = RS</textarea>" in page
    assert "Unknown indicator" not in page and "Indicator “asylum-seekers”" not in page
    assert "Source “unhcr”" in page
    typed = 'id="id_new-source-unhcr-name" value="UNHCR Refugee Data Finder"'
    assert typed in page

    source = {
        "new-source-unhcr-code": "unhcr",
        "new-source-unhcr-name": "UNHCR Refugee Data Finder",
        "new-source-unhcr-publisher": "UNHCR, the UN Refugee Agency",
        "new-source-unhcr-licence": "CC BY 4.0",
        "new-source-unhcr-licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "new-source-unhcr-url": "https://www.unhcr.org/refugee-statistics/download",
    }
    action = {"action": "create-source:unhcr"}
    page = admin_client.post(url, {**UNHCR_FORM, **source, **action}).content.decode()
    unhcr = Source.objects.get(code="unhcr")
    assert (unhcr.publisher, unhcr.licence) == ("UNHCR, the UN Refugee Agency", "CC BY 4.0")
    assert "Missing from the portal" not in page
    assert "Rejected" not in page and 'value="import"' in page
    assert re.search(r"\d+ new, 0 updated, 0 unchanged, 0 with errors\.", page)
    assert not Observation.objects.filter(indicator=created).exists()  # nothing imported


def test_a_forged_code_that_already_exists_is_refused_clearly(admin_client, demo):
    IndicatorFactory(code="asylum-seekers", name="Asylum-seekers (existing)")
    url = upload(admin_client, "a_unhcr_preamble.csv")
    form = {
        **UNHCR_FORM,
        "new-source-unhcr-code": "asylum-seekers",  # a source code that is free: fine
        "new-indicator-x-code": "Asylum-Seekers",
        "new-indicator-x-name": "Forged",
        "new-indicator-x-unit": "people",
        "new-indicator-x-decimals": "0",
        "action": "create-indicator:x",
    }
    page = admin_client.post(url, form).content.decode()
    assert Indicator.objects.filter(code__iexact="asylum-seekers").count() == 1
    assert not Indicator.objects.filter(name="Forged").exists()
    assert "An indicator with the code “Asylum-Seekers” already exists." in page
    assert "Source “unhcr”" in page  # the preview is still shown, with its offers


def test_adding_an_indicator_or_source_needs_the_permission_to_add_one(
    client, demo, django_user_model
):
    from django.contrib.auth.models import Permission

    # May build profiles and view indicators and sources, but not add them.
    user = django_user_model.objects.create_user("builder", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="statistics",
            codename__in=[
                "add_importprofile",
                "view_importprofile",
                "view_indicator",
                "view_source",
            ],
        )
    )
    client.force_login(user)
    url = upload(client, "a_unhcr_preamble.csv")
    page = client.post(url, UNHCR_FORM).content.decode()
    assert "Indicator “asylum-seekers”" in page
    assert "You may not add one" in page and "create-indicator" not in page
    form = {
        **UNHCR_FORM,
        "new-indicator-asylum-seekers-code": "asylum-seekers",
        "new-indicator-asylum-seekers-name": "Asylum-seekers",
        "new-indicator-asylum-seekers-unit": "people",
        "new-indicator-asylum-seekers-decimals": "0",
    }
    assert (
        client.post(url, {**form, "action": "create-indicator:asylum-seekers"}).status_code == 403
    )
    assert client.post(url, {**form, "action": "create-source:unhcr"}).status_code == 403
    assert client.post(url, {**form, "action": "create-observation:x"}).status_code == 403
    assert not Indicator.objects.filter(code="asylum-seekers").exists()
    # With the permission to add indicators, the same post adds it.
    user.user_permissions.add(Permission.objects.get(codename="add_indicator"))
    client.post(url, {**form, "action": "create-indicator:asylum-seekers"})
    assert Indicator.objects.filter(code="asylum-seekers").exists()


def test_a_role_that_may_only_view_gets_403(client, demo, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="statistics", codename__startswith="view_"
        )
    )
    client.force_login(viewer)
    assert client.get(BUILD).status_code == 403
    pending = PendingUpload.objects.store(
        viewer, "a.csv", (DATA / "a_unhcr_preamble.csv").read_bytes()
    )
    url = reverse("admin:statistics_importprofile_build_file", args=[pending.pk])
    response = client.post(
        url,
        {
            **UNHCR_FORM,
            "new-indicator-asylum-seekers-code": "asylum-seekers",
            "new-indicator-asylum-seekers-name": "Asylum-seekers",
            "new-indicator-asylum-seekers-unit": "people",
            "action": "create-indicator:asylum-seekers",
        },
    )
    assert response.status_code == 403
    assert not Indicator.objects.filter(code="asylum-seekers").exists()


def test_the_result_and_import_button_come_first_then_the_errors(admin_client, permits):
    url = upload(admin_client, "d_sistat_wide.csv")
    page = admin_client.post(url, {**SISTAT_FORM, "action": "preview"}).content.decode()
    result, button = page.index("builder-result"), page.index('value="import"')
    assert result < button < page.index('id="rows-as-read"') < page.index('id="builder-form"')
    bad = {**SISTAT_FORM, "markers": "- = skip", "skip_areas": "", "action": "preview"}
    page = admin_client.post(url, bad).content.decode()
    result = page.index("Rejected: nothing will be written")
    errors = page.index('class="errorlist profile-errors"')
    assert result < errors < page.index('id="rows-as-read"') < page.index('id="builder-form"')


# The form's new lines (Contract A): measures, keep and skip rules, only areas we know.

UNHCR_HEADER = [
    "year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso", "procedure_type",
    "app_type", "dec_level", "app_pc", "applied",
]  # fmt: skip
UNHCR_COLUMNS = [(n, name) for n, name in enumerate(UNHCR_HEADER, start=1)]
APPLICATIONS = {
    "name": "UNHCR asylum applications", "header_row": "1", "header_rows": "1",
    "layout": "long", "column_period": "1", "column_area": "7",
    "column_category": ["2", "8", "9", "10"], "decimal": ".", "thousands": "", "dates": "day",
    "default_source": "unhcr",
}  # fmt: skip


def built(data, header=UNHCR_HEADER):
    from statistics.profiles.builder import BuilderForm

    form = BuilderForm(data, columns=[(n, name) for n, name in enumerate(header, start=1)])
    assert form.is_valid(), form.errors
    return form.definition(header)


def form_errors(data):
    from statistics.profiles.builder import BuilderForm

    form = BuilderForm(data, columns=UNHCR_COLUMNS)
    assert not form.is_valid()
    return form.errors


def test_several_category_columns_make_a_list_one_stays_a_name():
    definition = built(APPLICATIONS)
    assert definition["columns"] == {
        "period": "year", "area": "coa_iso",
        "category": ["coo_name", "procedure_type", "app_type", "dec_level"],
    }  # fmt: skip
    assert built({**APPLICATIONS, "column_category": ["2"]})["columns"]["category"] == "coo_name"


def test_measures_lines_become_the_profiles_measures():
    definition = built(
        {
            **APPLICATIONS,
            "column_value": "12",
            "default_indicator": "not-used",
            "measures": (
                "applied = asylum-applications-persons; keep app_pc = P; unit = people\n"
                "\n"
                "applied = asylum-applications-cases; keep app_pc = C; unit = cases; "
                "status = provisional; multiplier = 1\n"
                "12 = asylum-applications-abroad; area = coo_iso; category = coa_name"
            ),
        }
    )
    assert definition["measures"] == [
        {"value": "applied", "indicator": "asylum-applications-persons",
         "keep": [{"column": "app_pc", "equals": "P"}], "unit": "people"},
        {"value": "applied", "indicator": "asylum-applications-cases",
         "keep": [{"column": "app_pc", "equals": "C"}], "unit": "cases",
         "status": "provisional", "multiplier": 1},
        {"value": 12, "indicator": "asylum-applications-abroad", "area": "coo_iso",
         "category": "coa_name"},
    ]  # fmt: skip
    # With measures, each names its indicator and value column: not the form's defaults.
    assert "value" not in definition["columns"]
    assert definition["defaults"] == {"source": "unhcr"}
    assert "indicator" not in definition["defaults"]


def test_a_measure_of_several_category_columns_and_a_wide_measure():
    definition = built(
        {**APPLICATIONS, "measures": "applied = x; category = coo_name, procedure_type"}
    )
    assert definition["measures"][0]["category"] == ["coo_name", "procedure_type"]
    wide = built(
        {
            "name": "WDI", "header_row": "1", "layout": "wide", "column_area": "2",
            "decimal": ".", "dates": "day",
            "measures": r"^(?P<period>\d{4}) \[YR\d{4}\]$ = population",
        },
        header=["Country Name", "Country Code", "2020 [YR2020]"],
    )  # fmt: skip
    assert wide["measures"] == [
        {"value_columns": r"^(?P<period>\d{4}) \[YR\d{4}\]$", "indicator": "population"}
    ]
    assert "value_columns" not in wide  # the measure has its own


def test_keep_and_skip_rules_and_only_areas_we_know():
    definition = built(
        {
            **APPLICATIONS,
            "keep_rows": "coa_iso = ALB, BIH, MNE, MKD, SRB, TUR, XKX\n7 = ALB",
            "skip_rows": "coo_name ~* ^unknown\napp_pc =* c\ndec_level = AR",
            "skip_areas": "^[A-Z ]+$",
            "unknown_areas": "on",
        }
    )
    assert definition["keep"] == [
        {"column": "coa_iso", "in": ["ALB", "BIH", "MNE", "MKD", "SRB", "TUR", "XKX"]},
        {"column": 7, "equals": "ALB"},
    ]
    assert definition["skip"] == [
        {"column": "area", "matches": "^[A-Z ]+$"},
        {"column": "coo_name", "matches": "^unknown", "ignore_case": True},
        {"column": "app_pc", "equals": "c", "ignore_case": True},
        {"column": "dec_level", "equals": "AR"},
    ]
    assert definition["unknown_areas"] == "skip"
    plain = built(APPLICATIONS)
    assert not {"keep", "skip", "measures", "unknown_areas"} & set(plain)


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("measures", "applied", "Measures, line 1: write “value column = indicator code”"),
        ("measures", "a = b\napplied = x; colour = red", "Measures, line 2: “colour = red” is"),
        ("measures", "a = b; status = guessed", "Measures, line 1: “status = guessed”: write one"),
        ("measures", "a = b; multiplier = lots", "“multiplier = lots”: write a number"),
        ("measures", "a = b; keep app_pc", "Measures, line 1: “keep app_pc”: write “keep column"),
        ("keep_rows", "coa_iso ALB", "Keep only rows where, line 1: write “column = value"),
        ("skip_rows", "a = b\nname ~ (unclosed", "Skip rows where, line 2: write “column = value"),
        ("skip_rows", " = x", "Skip rows where, line 1:"),
    ],
)
def test_a_bad_line_is_named_with_what_to_write(field, text, message):
    errors = form_errors({**APPLICATIONS, field: text})
    assert any(message in error for error in errors[field]), errors[field]


def test_a_saved_profiles_rules_and_measures_fill_the_form_again():
    from statistics.profiles.builder import initial_from

    definition = {
        **built(
            {
                **APPLICATIONS,
                "measures": "applied = x; keep app_pc = P; unit = people\n12 = y; area = coo_iso",
                "keep_rows": "coa_iso = ALB, BIH",
                "skip_rows": "coo_name ~* ^unknown",
                "skip_areas": "^[A-Z]+$",
                "unknown_areas": "on",
            }
        )
    }
    initial = initial_from(definition, UNHCR_HEADER)
    assert (
        initial["measures"] == "applied = x; unit = people; keep app_pc = P\n12 = y; area = coo_iso"
    )
    assert initial["keep_rows"] == "coa_iso = ALB, BIH"
    assert initial["skip_rows"] == "coo_name ~* ^unknown"
    assert initial["skip_areas"] == "^[A-Z]+$"
    assert initial["unknown_areas"] is True
    assert initial["column_category"] == ["2", "8", "9", "10"]
    # Posted back unchanged, the form writes the same definition.
    posted = {**APPLICATIONS, **{k: v for k, v in initial.items() if v not in ("", None, False)}}
    assert built(posted) == definition


def test_saving_again_keeps_rules_the_form_cannot_write(admin_client, demo):
    IndicatorFactory(code="arrivals-monthly")
    whole = {"column": "area", "matches": "^Serbia$", "whole": True}
    definition = {
        "format": "wbportal-import-profile", "version": 1, "name": "Monthly",
        "header_row": None, "layout": "long",
        "columns": {"area": 1, "category": 2, "period": 3, "month": 4, "value": 5},
        "defaults": {"indicator": "arrivals-monthly"}, "skip": [whole],
    }  # fmt: skip
    saved = ImportProfile.objects.create(name="Monthly", definition=definition)
    url = upload(admin_client, "b_no_header.csv", saved)
    form = {
        "name": "Monthly", "header_row": "0", "layout": "long", "column_area": "1",
        "column_category": "2", "column_period": "3", "column_month": "4", "column_value": "5",
        "default_indicator": "arrivals-monthly", "decimal": ".", "thousands": "",
        "dates": "day", "skip_rows": "2 = Pakistan", "action": "save",
    }  # fmt: skip
    admin_client.post(url, form)
    saved.refresh_from_db()
    assert saved.definition["skip"] == [{"column": 2, "equals": "Pakistan"}, whole]


def test_the_builder_page_saves_the_new_lines_in_the_profile(admin_client, demo):
    IndicatorFactory(code="asylum-seekers")
    url = upload(admin_client, "a_unhcr_preamble.csv")
    form = {
        **UNHCR_FORM, "column_category": ["2", "3"], "keep_rows": "Year = 2023",
        "skip_rows": "Country of origin ~ ^Syrian", "unknown_areas": "on", "action": "save",
    }  # fmt: skip
    page = admin_client.post(url, form)
    assert page.status_code == 302
    saved = ImportProfile.objects.get(name="UNHCR asylum-seekers")
    assert saved.definition["columns"]["category"] == [
        "Country of origin",
        "Country of origin (ISO)",
    ]
    assert saved.definition["keep"] == [{"column": "Year", "equals": "2023"}]
    assert saved.definition["skip"] == [{"column": "Country of origin", "matches": "^Syrian"}]
    assert saved.definition["unknown_areas"] == "skip"


MEASURES_FILE = DATA / "j_unhcr_population_measures.csv"


def test_a_saved_profile_of_four_measures_shows_in_the_form_and_saves_unchanged(admin_client, demo):
    definition = json.loads(MEASURES_FILE.with_suffix(".json").read_text())
    for code in ("refugees-hosted", "asylum-seekers-hosted", "refugees-abroad"):
        IndicatorFactory(code=code, unit="people")
    saved = ImportProfile.objects.create(name="UNHCR population", definition=definition)
    url = upload(admin_client, MEASURES_FILE.name, saved)
    page = admin_client.get(url).content.decode()
    assert "refugees = refugees-hosted; area = coa_name; category = coo_name; unit = people" in page
    assert "keep coo_iso = ALB, BIH, MNE, MKD, SRB, TUR" in page
    assert re.search(r'name="unknown_areas"[^>]*checked', page)
    # The missing indicator and source are offered, once each.
    assert page.count("<legend>") == 2 and "Indicator “asylum-seekers-abroad”" in page
    assert "Source “unhcr”" in page
    # With the unit its measure requires.
    unit = 'id="id_new-indicator-asylum-seekers-abroad-unit" value="people"'
    assert unit in page
    form = {
        "name": "UNHCR population", "header_row": "1", "header_rows": "1", "layout": "long",
        "column_period": "1", "default_source": "unhcr", "decimal": ".", "thousands": "",
        "dates": "day", "areas": "Serbia and Kosovo: S/RES/1244 (1999) = SRB",
        "measures": re.search(r'name="measures"[^>]*>\n?(.*?)</textarea>', page, re.S)[1]
        .replace("&#x27;", "'").replace("&quot;", '"'),
        "unknown_areas": "on", "action": "save",
    }  # fmt: skip
    response = admin_client.post(url, form)
    assert response.status_code == 302
    saved.refresh_from_db()
    for key in ("measures", "unknown_areas", "areas", "defaults", "columns"):
        assert saved.definition[key] == definition[key], key


def test_what_the_profile_skipped_is_said_once_per_reason_with_its_names():
    from collections import Counter
    from statistics.imports.report import ImportReport
    from statistics.profiles.admin import skipped_summary

    report = ImportReport()
    assert skipped_summary(report) == []
    report.skipped = {"unknown_areas": Counter({"Germany": 48, "Austria": 40, "Italy": 2})}
    (line,) = skipped_summary(report)
    assert "Germany (48), Austria (40), Italy (2)" in line


# Numbers as people (or attackers) type them: "²" passes str.isdigit() but not int(), and
# int() refuses a number of more than 4,300 digits. Neither may end in a server error.
NOT_QUITE_NUMBERS = ["²", "9" * 5_000]


@pytest.mark.parametrize("text", NOT_QUITE_NUMBERS)
def test_a_column_written_as_a_strange_number_is_taken_as_a_name(text):
    definition = built({**APPLICATIONS, "measures": f"applied = x; area = {text}"})
    assert definition["measures"][0]["area"] == text
    keep = built({**APPLICATIONS, "keep_rows": f"{text} = P"})["keep"]
    assert keep[0]["column"] == text


@pytest.mark.parametrize("text", NOT_QUITE_NUMBERS)
def test_the_builder_page_survives_a_strange_number_in_its_address_or_header_row(
    admin_client, permits, text
):
    page = upload(admin_client, "d_sistat_wide.csv")
    response = admin_client.get(f"{page}?profile={text}")
    assert response.status_code == 200
    response = admin_client.post(page, {**SISTAT_FORM, "header_row": text, "action": "preview"})
    assert response.status_code == 200
    response = admin_client.get(f"{BUILD}?profile={text}")
    assert response.status_code == 200


def test_a_missing_code_names_each_row_once_though_its_measures_repeat_it(demo):
    from statistics.profiles.admin import missing_codes
    from types import SimpleNamespace

    def observation(number, source):
        return SimpleNamespace(number=number, values={"indicator": "", "source": source})

    # Two measures of each file row: two observations with the row's number.
    rows = [observation(n, "unhcr") for n in (484, 484, 485, 485, 486, 486, 487)]
    report = SimpleNamespace(error_rows=rows)
    assert missing_codes(report, {}) == [("source", "unhcr", [484, 485, 486])]
