"""The import preview tells what will be stored: Excel dates in `period` refused, stored
values shown, display rounding warned of, nothing offered when nothing would change; and
the export in both CSV layouts. Through the admin's URLs, with real files in tests/data/."""

import re
from pathlib import Path
from statistics.imports.pipeline import import_observations
from statistics.models import Observation, PendingUpload

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regions.models import Region

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
IMPORT_URL = reverse("admin:statistics_observation_import")
PROCESS_URL = reverse("admin:statistics_observation_process_import")
EXPORT_URL = reverse("admin:statistics_observation_export")


def upload(client, name):
    data = (DATA / name).read_bytes()
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, data), "format": "0", "resource": "0"},
    )


def test_an_excel_date_in_period_is_refused_naming_row_and_column(admin_client, demo):
    before = Observation.objects.count()
    report = import_observations((DATA / "error_period_excel_date.xlsx").read_bytes())
    assert report.counts["error"] == 1 and not report.committed
    (line,) = report.error_lines()
    assert line.startswith("Row 3, column 'period': The spreadsheet stored this period as a date")
    assert "2025-03-01" in line and "2025-03" in line

    html = upload(admin_client, "error_period_excel_date.xlsx").content.decode()
    assert "Rejected: nothing will be written" in html
    assert "stored this period as a date (2025-03-01)" in html
    assert "Confirm import" not in html
    assert Observation.objects.count() == before


def test_the_preview_shows_the_value_that_will_be_stored(admin_client, demo):
    html = upload(admin_client, "utf8_semicolon_decimal_comma.csv").content.decode()
    assert "1200.5 <small>(in the file: 1.200,5)</small>" in html
    assert "1234567 <small>(in the file: 1.234.567)</small>" in html
    assert "0.25 <small>(in the file: 0,25)</small>" in html


def test_the_preview_warns_when_the_site_shows_a_value_rounded(admin_client, demo):
    html = upload(admin_client, "more_decimals_than_shown.csv").content.decode()
    assert "1 value has more decimal places than its indicator shows" in html
    assert "12.345 is stored exactly, but the site shows this indicator with 0 decimal" in html
    assert "place(s): 12." in html
    assert "Confirm import" in html  # a warning, not an error


def test_when_nothing_would_change_no_confirm_is_offered(admin_client, demo):
    html = upload(admin_client, "utf8_bom_comma.csv").content.decode()
    upload_id = dict(re.findall(r'name="(upload)" value="([^"]*)"', html))
    admin_client.post(PROCESS_URL, upload_id)
    assert not PendingUpload.objects.exists()

    html = upload(admin_client, "utf8_bom_comma.csv").content.decode()
    assert "Nothing would change" in html
    assert "already stored exactly as it is in the file" in html
    assert "Confirm import" not in html and 'name="upload"' not in html
    assert not PendingUpload.objects.exists()  # nothing kept waiting for a confirm


def export(client, layout, query=""):
    return client.post(f"{EXPORT_URL}{query}", {"format": layout, "resource": "0"})


def test_export_offers_the_standard_and_the_regional_csv(admin_client, demo):
    form = admin_client.get(EXPORT_URL).content.decode()
    assert "CSV, standard (commas, decimal point, UTF-8 with BOM)" in form
    assert "CSV for Excel in the region (semicolons, decimal comma, UTF-8 with BOM)" in form

    import_observations((DATA / "utf8_semicolon_decimal_comma.csv").read_bytes())
    region = Region.objects.get(code="WB")
    standard = export(admin_client, "0").content
    regional = export(admin_client, "1").content
    assert standard.startswith(b"\xef\xbb\xbf") and regional.startswith(b"\xef\xbb\xbf")
    standard_lines = standard.decode("utf-8-sig").splitlines()
    regional_lines = regional.decode("utf-8-sig").splitlines()
    assert regional_lines[0] == (
        "indicator;area;period;category;value;status;source;note;qualifier;area_label"
    )
    assert "reception-accommodated,BA,2024,,1200.5," in standard.decode()
    assert "reception-accommodated;BA;2024;;1200,5;" in regional.decode()
    assert len(standard_lines) == len(regional_lines) == Observation.objects.count() + 1

    # The regional layout imports again unchanged.
    report = import_observations(regional)
    assert report.counts["unchanged"] == Observation.objects.count()
    assert report.counts["new"] == report.counts["updated"] == report.counts["error"] == 0

    # The changelist filters still apply.
    query = f"?region__id__exact={region.pk}"
    lines = export(admin_client, "1", query).content.decode("utf-8-sig").splitlines()
    assert len(lines) - 1 == Observation.objects.filter(region=region).count() > 0
    assert all(line.split(";")[1] == "WB" for line in lines[1:])
