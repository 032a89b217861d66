"""The import contract's statuses, qualifiers and cells without a number, with the real files in
tests/data/, through the command, the admin and back out through the exports."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path
from statistics.imports.export import export_csv_bytes
from statistics.imports.pipeline import import_observations
from statistics.models import Observation

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
IMPORT_URL = reverse("admin:statistics_observation_import")
PROCESS_URL = reverse("admin:statistics_observation_process_import")


def rows_of(indicator="reception-accommodated"):
    return {
        (o.area_code, o.period): (o.value, o.qualifier, o.status)
        for o in Observation.objects.filter(indicator__code=indicator).select_related(
            "country", "region"
        )
    }


def run_import(name):
    out = io.StringIO()
    call_command("import_indicators", str(DATA / name), stdout=out, stderr=io.StringIO())
    return out.getvalue()


QUALIFIED_AND_MISSING = {
    ("WB", "2025-03"): (Decimal("1200"), "more_than", "as_published"),
    ("RS", "2025-03"): (Decimal("300"), "more_than", "as_published"),  # ">300"
    ("BA", "2025-03"): (Decimal("50"), "less_than", "estimated"),  # "<50"
    ("AL", "2025-03"): (Decimal("40"), "about", "as_published"),  # "~40"
    ("MK", "2025-03"): (Decimal("25"), "about", "provisional"),
    ("ME", "2025-03"): (None, "", "not_available"),  # "Not available", the label
    ("XK", "2025-03"): (None, "", "suppressed"),
    ("TR", "2025-03"): (Decimal("900"), "", "final"),
    ("RS", "2025-02"): (Decimal("310"), "more_than", "as_published"),  # "+" in its column
}


def test_the_command_reads_qualifiers_signs_and_cells_without_a_number(demo):
    Observation.objects.filter(indicator__code="reception-accommodated").delete()
    assert "9 new, 0 updated, 0 unchanged, 0 errors" in run_import("qualifiers_and_missing.csv")
    assert rows_of() == QUALIFIED_AND_MISSING


def test_an_old_contract_file_imports_as_before_with_blank_status_as_published(demo):
    """utf8_bom_comma.csv has the eight columns of the first contract and no qualifier."""
    run_import("utf8_bom_comma.csv")
    rows = {
        (o.area_code, o.period, o.category): (o.value, o.qualifier, o.status)
        for o in Observation.objects.filter(source__code="rs-kirs").select_related(
            "country", "region"
        )
    }
    assert rows == {
        ("WB", "2024", "Türkiye"): (Decimal("12.5"), "", "provisional"),
        ("WB", "2024", "Србија"): (Decimal("7"), "", "as_published"),
        ("RS", "2025-Q1", ""): (Decimal("1200.5"), "", "final"),
    }


def test_semicolon_and_xlsx_files_carry_qualifiers_and_missing_cells(demo):
    Observation.objects.filter(indicator__code="reception-accommodated").delete()
    run_import("qualifiers_cp1250_semicolon.csv")
    assert rows_of() == {
        ("RS", "2025-03"): (Decimal("1200.5"), "more_than", "as_published"),
        ("ME", "2025-03"): (None, "", "not_available"),
        ("AL", "2025-03"): (Decimal("12.5"), "about", "estimated"),
    }
    run_import("qualifiers_and_missing.xlsx")
    assert rows_of() == {
        ("RS", "2025-03"): (Decimal("1200"), "more_than", "as_published"),
        ("ME", "2025-03"): (None, "", "suppressed"),
        ("AL", "2025-03"): (Decimal("7"), "less_than", "provisional"),
    }


def test_each_value_and_qualifier_error_names_its_row_and_column(demo):
    before = rows_of()
    with pytest.raises(CommandError, match="Rejected: nothing was written"):
        run_import("error_values_and_qualifiers.csv")
    assert rows_of() == before
    report = import_observations((DATA / "error_values_and_qualifiers.csv").read_bytes())
    text = "\n".join(report.error_lines())
    expected = [
        r"Row 2, column 'value': The value is empty; every row needs a number, unless its "
        r"status is not_available or suppressed",
        r"Row 3, column 'value': A not_available cell has no number: leave the value empty",
        r"Row 4, column 'value': '\+1200': write the number without '\+'",
        r"Row 5, column 'qualifier': Unknown qualifier 'at least'. Accepted: more_than",
        r"Row 6, column 'qualifier': The value's sign says more_than, the qualifier column "
        r"says less_than",
        r"Row 7, column 'qualifier': A cell without a number has no qualifier",
    ]
    for pattern in expected:
        assert re.search(pattern, text), pattern
    assert "Row 8" not in text  # a zero is a number like any other
    assert report.counts["error"] == 6


def test_exports_carry_the_qualifier_column_and_reimport_unchanged(demo, client):
    run_import("qualifiers_and_missing.csv")
    data = export_csv_bytes(Observation.objects.filter(indicator__code="reception-accommodated"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["qualifier", "area_label"]
    by_area = {(row[1], row[2]): row for row in rows[1:]}
    assert by_area[("WB", "2025-03")][4:6] + by_area[("WB", "2025-03")][8:] == [
        "1200",
        "as_published",
        "more_than",
        "",
    ]
    assert by_area[("ME", "2025-03")][4:6] == ["", "not_available"]  # never a 0
    report = import_observations(data)
    assert report.counts["unchanged"] == len(rows) - 1 and not report.has_errors

    download = client.get(reverse("statistics:indicator-csv", args=["reception-accommodated"]))
    public = b"".join(download.streaming_content)
    assert ",note,qualifier,area_label,area_name," in public.decode("utf-8-sig").splitlines()[0]
    report = import_observations(public)
    assert not report.has_errors and report.counts["new"] == report.counts["updated"] == 0


def admin_upload(client, name):
    data = (DATA / name).read_bytes()
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, data), "format": "0", "resource": "0"},
    )


def test_the_admin_previews_and_writes_qualifiers_and_missing_cells(admin_client, demo):
    Observation.objects.filter(indicator__code="reception-accommodated").delete()
    html = admin_upload(admin_client, "qualifiers_and_missing.csv").content.decode()
    assert "9 new, 0 updated, 0 unchanged, 0 with errors." in html
    assert '<th scope="col">qualifier</th>' in html and "<td>more_than</td>" in html
    upload = re.search(r'name="upload" value="([^"]*)"', html)[1]
    admin_client.post(PROCESS_URL, {"upload": upload})
    assert rows_of() == QUALIFIED_AND_MISSING

    html = admin_upload(admin_client, "error_values_and_qualifiers.csv").content.decode()
    assert "Rejected: nothing will be written" in html
    assert "value: The value is empty; every row needs a number" in html
    assert 'name="upload"' not in html

    # The admin's export asks for the layout first (the standard CSV is "0").
    export = admin_client.post(
        reverse("admin:statistics_observation_export"), {"format": "0", "resource": "0"}
    )
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "indicator,area,period,category,value,status,source,note,qualifier,area_label"
    )
    assert "reception-accommodated,ME,2025-03,,,not_available,,Not reported,," in lines


def test_a_changed_qualifier_is_an_update_of_that_field_only(demo):
    run_import("qualifiers_and_missing.csv")
    data = (DATA / "qualifiers_and_missing.csv").read_bytes()
    data = data.replace(b",more_than\r\n", b",\r\n", 1)
    report = import_observations(data, preview_limit=20)
    assert report.counts["updated"] == 1
    (updated,) = [row for row in report.preview if row.action == "updated"]
    assert updated.changed == ["qualifier"]
