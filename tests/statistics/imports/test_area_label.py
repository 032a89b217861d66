"""The contract's optional `area_label` column: the area as the source names it, when that is
not simply the portal's area. Imported, compared, previewed, undone and exported like the
other written fields (tests/data/area_labels.csv files UNHCR's "Serbia and Kosovo" under RS)."""

import csv
import io
from pathlib import Path
from statistics.imports.export import export_csv_bytes
from statistics.imports.pipeline import import_observations
from statistics.imports.undo import undo_import
from statistics.models import Observation

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "data"
LABEL = "Serbia and Kosovo: S/RES/1244 (1999)"


def labels():
    return dict(
        Observation.objects.filter(indicator__code="reception-accommodated", period="2031")
        .select_related("country")
        .values_list("country__iso_code", "area_label")
    )


def test_the_column_is_imported_and_exported_last(demo):
    data = (DATA / "area_labels.csv").read_bytes()
    report = import_observations(data, file_name="area_labels.csv")
    assert report.committed and report.counts["new"] == 2
    assert labels() == {"RS": LABEL, "AL": ""}
    exported = export_csv_bytes(Observation.objects.filter(period="2031"))
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0][-1] == "area_label"
    assert [row[-1] for row in rows[1:]] == ["", LABEL]  # AL, then RS
    again = import_observations(exported)
    assert again.counts["unchanged"] == 2 and not again.has_errors


def test_a_file_without_the_column_sets_it_blank_like_qualifier(demo):
    """A file states its rows entirely (docs/staff/data.md): an absent column is blank."""
    import_observations((DATA / "area_labels.csv").read_bytes())
    without = b"indicator,area,period,value,source\nreception-accommodated,RS,2031,120,rs-kirs\n"
    report = import_observations(without)
    assert report.counts["updated"] == 1
    [group] = report.changes.groups
    assert group.label == "area as the source names it"
    assert (group.old_text, group.new_text) == (LABEL, "(blank)")
    assert report.changes.lines()[0] == (
        f"1 observation: area as the source names it {LABEL} -> (blank)"
    )
    assert labels()["RS"] == ""


def test_undo_puts_the_label_back(demo):
    import_observations((DATA / "area_labels.csv").read_bytes())
    changed = b"indicator,area,period,value,source,area_label\n" + (
        b"reception-accommodated,RS,2031,120,rs-kirs,Serbia (UNHCR)\n"
    )
    report = import_observations(changed)
    assert report.counts["updated"] == 1 and labels()["RS"] == "Serbia (UNHCR)"
    assert report.record.changes.get().after["area_label"] == "Serbia (UNHCR)"
    undo_import(report.record, None)
    assert labels()["RS"] == LABEL


def test_a_label_longer_than_the_field_is_a_row_error(demo):
    data = b"indicator,area,period,value,area_label\nreception-accommodated,RS,2031,1," + (
        b"x" * 201 + b"\n"
    )
    report = import_observations(data)
    assert report.error_lines() == [
        "Row 2, column 'area_label': The area as the source names it is longer than 200 characters."
    ]


def test_the_admin_preview_shows_the_column(admin_client, demo):
    upload = SimpleUploadedFile("area_labels.csv", (DATA / "area_labels.csv").read_bytes())
    response = admin_client.post(
        reverse("admin:statistics_observation_import"), {"import_file": upload}
    )
    html = response.content.decode()
    assert '<th scope="col">area_label</th>' in html
    assert f"<td>{LABEL}</td>" in html
