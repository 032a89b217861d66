"""Errors grouped by problem: one line per unknown name, code or marker with its count and
first rows, computed over every error of the file (the per-row listing stops at
IMPORT_MAX_ERRORS); what an import profile skipped on purpose, grouped; and the command that
says plainly when nothing was written, counting only real errors."""

import io
from collections import Counter
from pathlib import Path
from statistics.imports.pipeline import import_observations, import_table
from statistics.imports.rows import COLUMNS, SourceRow
from statistics.imports.tables import Table
from statistics.models import ImportRecord

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
HEADER = "indicator,area,period,category,value\n"


def bad_file():
    """150 rows: 100 name the unknown indicator 'refugees'; 40 of them and 50 more have the
    value 'n/a'; rows 142 to 151 name the unknown area 'DE'."""
    rows = []
    for number in range(2, 152):
        indicator = "refugees" if number <= 101 else "reception-accommodated"
        value = "n/a" if 62 <= number <= 151 else "1"
        area = "DE" if number >= 142 else "RS"
        rows.append(f"{indicator},{area},{1900 + number},,{value}\n")
    return (HEADER + "".join(rows)).encode()


def command(path, *args):
    out = io.StringIO()
    try:
        call_command("import_indicators", str(path), *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_every_error_is_grouped_by_problem_and_the_listing_stays_capped(demo, settings):
    settings.IMPORT_MAX_ERRORS = 5
    report = import_observations(bad_file(), file_name="bad.csv")
    groups = [(g.column, g.problem[:28], g.count, g.rows) for g in report.error_groups]
    assert groups == [
        ("indicator", "Unknown indicator 'refugees'", 100, [2, 3, 4, 5, 6]),
        ("value", "'n/a' is not a number; this ", 90, [62, 63, 64, 65, 66]),
        ("area", "Unknown area 'DE'. Known cou", 10, [142, 143, 144, 145, 146]),
    ]
    assert (report.error_cells, report.rows_with_errors) == (200, 150)
    assert report.error_total == "200 cells in 150 rows"
    # The per-row listing is still the first IMPORT_MAX_ERRORS rows.
    assert [row.number for row in report.error_rows] == [2, 3, 4, 5, 6]
    lines = report.problem_lines()
    assert lines[0] == "Errors by problem (200 cells in 150 rows):"
    assert lines[1].startswith("indicator: Unknown indicator 'refugees'. Known indicator codes:")
    assert lines[1].endswith("(100 cells; rows 2, 3, 4, 5, 6, …)")


def test_repeated_keys_are_one_problem_whatever_row_they_repeat(demo):
    row = "reception-accommodated,RS,2030,,1\n"
    other = "reception-accommodated,AL,2030,,1\n"
    report = import_observations((HEADER + row + other + row + other + row).encode())
    [group] = report.error_groups
    assert group.problem == (
        "The same indicator, area, period and category as another row of the file."
    )
    assert (group.count, group.rows) == (5, [2, 3, 4, 5, 6])
    # The per-row listing still names the row each repeats.
    assert "Row 4: The same indicator, area, period and category as row 2." in (
        report.error_lines()
    )


def test_the_admin_shows_the_problems_before_the_rows(admin_client, demo, settings):
    settings.IMPORT_MAX_ERRORS = 5
    upload = SimpleUploadedFile("bad.csv", bad_file())
    response = admin_client.post(
        reverse("admin:statistics_observation_import"), {"import_file": upload}
    )
    html = response.content.decode()
    assert "Errors by problem: 200 cells in 150 rows" in html
    assert "<td>90</td><td>62, 63, 64, 65, 66, …</td>" in html
    assert "150 rows have errors; the first 5 are listed." in html
    assert html.index('class="import-problems"') < html.index('class="import-preview"')


def test_the_command_counts_real_errors_and_prints_problems_first(demo, settings, tmp_path):
    settings.IMPORT_MAX_ERRORS = 5
    path = tmp_path / "bad.csv"
    path.write_bytes(bad_file())
    out, refused = command(path)
    assert refused == "Rejected: nothing was written. Correct the errors and import again."
    # 150 rows with errors: the note that only five are listed is not a 151st error.
    assert "0 new, 0 updated, 0 unchanged, 150 errors" in out
    assert "150 rows have errors; the first 5 are listed." in out
    assert out.index("Errors by problem (200 cells in 150 rows):") < out.index("Row 2, column")
    record = ImportRecord.objects.latest("pk")
    assert record.errors == 150
    assert record.messages.startswith("Errors by problem (200 cells in 150 rows):\nindicator: ")


def test_the_command_says_when_nothing_was_written(demo, tmp_path):
    path = tmp_path / "one.csv"
    path.write_bytes((HEADER + "reception-accommodated,RS,2030,,1\n").encode())
    out, _refused = command(path, "--dry-run")
    assert "Dry run: nothing was written." in out and "Imported." not in out
    out, _refused = command(path)
    assert "1 new" in out and "Imported." in out
    out, refused = command(path)
    assert refused is None and "0 new, 0 updated, 1 unchanged, 0 errors" in out
    assert "Nothing was written: every row is already stored exactly as in the file." in out
    assert "Imported." not in out


class SkippingTable(Table):
    """A table of rows read elsewhere, with what its reader skipped (as an import profile's
    reader gives it: reason -> Counter(label -> rows))."""

    skipped: dict[str, Counter[str]]


def test_what_a_profile_skipped_is_reported_grouped(demo):
    names = Counter({f"Country {n:02d}": 22 - n for n in range(22)})
    names["Germany"] = 48
    rows = iter([SourceRow(16, ["reception-accommodated", "RS", "2030", "", "1", "", "", "", ""])])
    table = SkippingTable(list(COLUMNS[:9]), rows, "UNHCR (profile)")
    table.skipped = {"unknown_areas": names}
    report = import_table(table, dry_run=True)
    assert report.skipped == {"unknown_areas": names}
    [line] = report.problem_lines()
    assert line == (
        "Skipped 23 area names in 301 rows (“Only areas we know”): Germany (48), "
        + ", ".join(f"Country {n:02d} ({22 - n})" for n in range(19))
        + ", and 3 more."
    )
