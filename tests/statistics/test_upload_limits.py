"""Upload bombs: a hostile or broken file is refused whole, quickly, within bounded memory.

Every bomb is generated here (tests/bombs.py), through the command and through the admin's
import URL as a Data manager. Where a small limit keeps a test fast it is set with
`settings`; the dimension, the million-row CSV and the error cap run with the real defaults.
"""

import io
import tracemalloc
import zipfile
from decimal import Decimal
from statistics.imports.pipeline import import_observations
from statistics.models import ImportRecord, Observation

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from staff.roles import DATA_MANAGER
from tests import bombs

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:statistics_observation_import")


def command(path):
    out = io.StringIO()
    with pytest.raises(CommandError, match="Rejected: nothing was written"):
        call_command("import_indicators", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def admin_upload(client, name, data):
    response = client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, data), "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def data_manager(client, staff_with_role):
    client.force_login(staff_with_role(DATA_MANAGER))
    return client


def assert_refused(client, tmp_path, name, data, message):
    """Refused whole with `message` by the command and by the admin; nothing written."""
    before = Observation.objects.count()
    path = tmp_path / name
    path.write_bytes(data)
    output = command(path)
    assert message in output
    html = admin_upload(client, name, data)
    assert "Rejected: nothing will be written" in html
    assert message.replace("'", "&#x27;").replace('"', "&quot;") in html
    assert 'name="import_file_name"' not in html  # no confirm step
    assert Observation.objects.count() == before
    records = ImportRecord.objects.filter(file_name=name)
    assert {(r.via, r.committed, r.errors >= 1) for r in records} == {
        ("command", False, True),
        ("admin", False, True),
    }
    assert message in records.get(via="command").messages


def peak_bytes(function):
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- XLSX ----------------------------------------------------------------------------------


def test_declared_dimension_is_ignored_and_the_real_rows_import(data_manager, demo, tmp_path):
    data = bombs.dimension_bomb()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b'<dimension ref="A1:XFD1048576"/>' in archive.read("xl/worksheets/sheet1.xml")
    peak = peak_bytes(lambda: import_observations(data, file_name="dimension.xlsx"))
    assert peak < 5_000_000
    values = dict(
        Observation.objects.filter(
            indicator__code="reception-accommodated", period="2019"
        ).values_list("country__iso_code", "value")
    )
    assert values == {"RS": Decimal("5"), "AL": Decimal("7.25")}
    html = admin_upload(data_manager, "dimension.xlsx", data)
    assert "0 new, 0 updated, 2 unchanged, 0 with errors." in html


def test_empty_rows_count_against_the_row_limit(data_manager, demo, settings, tmp_path):
    settings.IMPORT_MAX_ROWS = settings.IMPORT_COMMAND_MAX_ROWS = 1000
    assert_refused(
        data_manager,
        tmp_path,
        "empty-rows.xlsx",
        bombs.empty_rows_bomb(20_000),
        "The file has more than 1,000 rows below the header (empty rows count too); "
        "the limit is 1,000. Delete empty rows below the data",
    )


def test_a_million_empty_rows_are_refused_by_the_default_row_limit(demo):
    data = bombs.empty_rows_bomb(1_000_000)
    assert len(data) < 3_000_000
    report = import_observations(data, file_name="million-empty-rows.xlsx")
    assert report.file_errors == [
        "The file has more than 10,000 rows below the header (empty rows count too); the "
        "limit is 10,000. Delete empty rows below the data, or split the file into smaller "
        "files."
    ]


def test_giant_shared_string_is_refused_by_the_compression_ratio(data_manager, demo, tmp_path):
    data = bombs.shared_string_bomb(20_000_000)
    assert len(data) < 100_000
    peak = peak_bytes(lambda: import_observations(data, file_name="giant.xlsx"))
    assert peak < 5_000_000
    assert_refused(
        data_manager,
        tmp_path,
        "giant-string.xlsx",
        data,
        "The workbook part xl/sharedStrings.xml unpacks to",
    )


def test_giant_shared_string_is_refused_while_it_is_read(data_manager, demo, settings, tmp_path):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 0  # off: the string itself must stop the reading
    data = bombs.shared_string_bomb(20_000_000)
    peak = peak_bytes(lambda: import_observations(data, file_name="giant.xlsx"))
    assert peak < 5_000_000
    assert_refused(
        data_manager,
        tmp_path,
        "giant-string.xlsx",
        data,
        "The workbook holds a text of more than 10,000 characters; the limit is 10,000 a cell.",
    )


def test_declared_unpacked_size_over_the_limit_is_refused_before_reading(
    data_manager, demo, settings, tmp_path
):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 5_000_000
    data = bombs.lying_member(bombs.dimension_bomb(), "xl/worksheets/sheet1.xml", 4_000_000_000)
    assert_refused(
        data_manager,
        tmp_path,
        "declares-4gb.xlsx",
        data,
        "The workbook unpacks to more than 4.8 MB (its parts declare 3,814.7 MB so far, "
        "xl/worksheets/sheet1.xml included); the limit is 4.8 MB.",
    )


def test_member_that_lies_about_its_size_is_refused(data_manager, demo, tmp_path):
    data = bombs.lying_member(bombs.empty_rows_bomb(50_000), "xl/worksheets/sheet1.xml", 1000)
    assert_refused(
        data_manager,
        tmp_path,
        "lying.xlsx",
        data,
        "The workbook is damaged: its part xl/worksheets/sheet1.xml does not match its "
        "declared size or checksum.",
    )


@pytest.mark.parametrize(
    "build", [bombs.billion_laughs, bombs.deep_bomb], ids=["billion-laughs", "deep-nesting"]
)
def test_xml_tricks_are_refused(data_manager, demo, settings, tmp_path, build):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 0
    assert_refused(
        data_manager,
        tmp_path,
        "tricks.xlsx",
        build(),
        "The file is a ZIP archive but not a readable XLSX workbook.",
    )


def test_archive_with_too_many_members_is_refused(demo):
    report = import_observations(bombs.many_members(1001), file_name="many.xlsx")
    assert report.file_errors == [
        "The file is a ZIP archive of 1,001 parts; an XLSX workbook has far fewer (the limit "
        "is 1,000). Upload a workbook saved by a spreadsheet program."
    ]


def test_a_shared_string_is_one_string_however_often_it_is_used(demo, settings):
    """Each reference to a shared string is the same str, not a new copy of its text."""
    settings.IMPORT_MAX_ROWS = 50_000
    note = "n" * 10_000
    rows = (
        bombs.row_xml(1, bombs.HEADER),
        *(
            f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>reception-accommodated'
            f'</t></is></c><c r="B{number}" t="inlineStr"><is><t>RS</t></is></c><c '
            f'r="C{number}"><v>2019</v></c><c r="D{number}" t="inlineStr"><is><t>c{number}'
            f'</t></is></c><c r="E{number}"><v>1</v></c><c r="H{number}" t="s"><v>0</v></c>'
            "</row>".encode()
            for number in range(2, 50_002)
        ),
    )
    data = bombs.workbook(rows, shared_strings=[f"<si><t>{note}</t></si>".encode()])
    reports = []
    peak = peak_bytes(lambda: reports.append(import_observations(data, dry_run=True)))
    assert reports[0].counts["new"] == 50_000, reports[0].error_lines()
    # 50,000 copies of the note would be 500 MB; the rows themselves are a few tens of MB.
    assert peak < 50 * 1_048_576


def test_over_wide_workbook_is_refused(data_manager, demo, tmp_path):
    assert_refused(
        data_manager,
        tmp_path,
        "wide.xlsx",
        bombs.wide_workbook(16384),
        "Row 2 has at least 16,384 columns; the limit is 50.",
    )


def test_empty_cells_count_against_ten_a_row(data_manager, demo, settings, tmp_path):
    settings.IMPORT_MAX_ROWS = settings.IMPORT_COMMAND_MAX_ROWS = 100
    assert_refused(
        data_manager,
        tmp_path,
        "empty-cells.xlsx",
        bombs.empty_cells_bomb(rows=40, cells=30),
        "The sheet has more than 1,000 cells (empty cells that hold formatting count too); "
        "the limit is 1,000, ten a row.",
    )
    assert import_observations(bombs.empty_cells_bomb(rows=30, cells=30)).counts["new"] == 2


def test_over_long_workbook_cell_is_refused(data_manager, demo, tmp_path):
    assert_refused(
        data_manager,
        tmp_path,
        "long.xlsx",
        bombs.long_cell_workbook(10_001),
        "Row 2, column 8: the cell has more than 10,000 characters; the limit is 10,000.",
    )


def test_too_many_workbook_rows_are_refused(data_manager, demo, settings, tmp_path):
    settings.IMPORT_MAX_ROWS = settings.IMPORT_COMMAND_MAX_ROWS = 100
    assert_refused(
        data_manager,
        tmp_path,
        "rows.xlsx",
        bombs.many_rows_workbook(101),
        "The file has more than 100 rows below the header",
    )
    assert import_observations(bombs.many_rows_workbook(100)).counts["new"] == 100


def test_rows_are_counted_exactly_across_chunks(demo, settings):
    """The tag count runs over the unpacked sheet in chunks: no tag counted twice or lost."""
    settings.IMPORT_MAX_ROWS = 20_000
    data = bombs.many_rows_workbook(20_000)
    report = import_observations(data, dry_run=True)
    assert report.counts["new"] == 20_000, report.error_lines()[:3]
    report = import_observations(bombs.many_rows_workbook(20_001), dry_run=True)
    assert report.file_errors[0].startswith("The file has more than 20,000 rows")


# --- CSV -----------------------------------------------------------------------------------


def test_million_bad_csv_rows_are_refused_by_the_row_limit(data_manager, demo, tmp_path):
    data = bombs.csv_bad_rows(1_000_000)
    assert 8_000_000 < len(data) < 10_000_000
    path = tmp_path / "million.csv"
    path.write_bytes(data)
    assert (
        "The file has more than 200,000 rows below the header (empty rows count too); "
        "the limit is 200,000." in command(path)
    )
    html = admin_upload(data_manager, "million.csv", data)
    assert (
        "The file has more than 10,000 rows below the header (empty rows count too); "
        "the limit is 10,000." in html
    )


def test_the_command_takes_files_over_the_admin_row_limit(data_manager, demo, settings, tmp_path):
    """The admin writes within one web request, the command has no worker timeout."""
    settings.IMPORT_MAX_ROWS = 100
    data = bombs.csv_good_rows(150)
    html = admin_upload(data_manager, "rows.csv", data)
    assert "The file has more than 100 rows below the header" in html
    path = tmp_path / "rows.csv"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_indicators", str(path), stdout=out, stderr=io.StringIO())
    assert "150 new, 0 updated, 0 unchanged, 0 errors" in out.getvalue()
    settings.IMPORT_COMMAND_MAX_ROWS = 149
    assert "the limit is 149" in command(path)


def test_errors_listed_are_capped_and_all_are_counted(data_manager, demo, settings, tmp_path):
    settings.IMPORT_MAX_ROWS = 200_000
    report = import_observations(bombs.csv_bad_rows(150_000), file_name="bad.csv")
    assert len(report.error_rows) == 100
    assert report.error_rows[-1].number == 101
    assert report.counts["error"] == 150_000
    lines = report.error_lines()
    assert lines[0] == (
        "150,000 rows have errors; the first 100 are listed. Correct them and import the file "
        "again to see the rest."
    )
    assert lines[1].startswith("Row 2, column 'indicator': Unknown indicator 'x'.")
    html = admin_upload(data_manager, "bad.csv", bombs.csv_bad_rows(150_000))
    assert "150,000 rows have errors; the first 100 are listed." in html
    assert "0 new, 0 updated, 0 unchanged, 150,000 with errors." in html


def test_error_cap_is_a_setting(demo, settings):
    settings.IMPORT_MAX_ERRORS = 3
    report = import_observations(bombs.csv_bad_rows(10))
    assert [row.number for row in report.error_rows] == [2, 3, 4]
    assert report.counts["error"] == 10
    # Where the listing stops is said, not counted as one more error.
    assert report.file_errors == []
    assert report.listing_note.startswith("10 rows have errors; the first 3 are listed.")
    assert report.error_lines()[0] == report.listing_note
    assert report.record.errors == 10


def test_duplicates_past_the_cap_are_counted_and_nothing_is_written(demo, settings):
    settings.IMPORT_MAX_ERRORS = 1
    rows = bombs.GOOD_ROWS[:2]
    report = import_observations(bombs.csv_file([rows[0], rows[0], rows[1], rows[1]]))
    # Rows 2 and 3 share a key, as do 4 and 5: four rows with errors, one listed.
    assert report.counts["error"] == 4 and len(report.error_rows) == 1
    assert report.counts["new"] == 0 and report.has_errors


def test_too_many_csv_rows_are_refused_before_any_is_checked(
    data_manager, demo, settings, tmp_path
):
    settings.IMPORT_MAX_ROWS = settings.IMPORT_COMMAND_MAX_ROWS = 100
    assert_refused(
        data_manager,
        tmp_path,
        "rows.csv",
        bombs.csv_good_rows(101),
        "The file has more than 100 rows below the header",
    )
    assert import_observations(bombs.csv_good_rows(100)).counts["new"] == 100


def test_over_wide_csv_is_refused(data_manager, demo, tmp_path):
    row = bombs.GOOD_ROWS[0] + [""] * 52
    assert_refused(
        data_manager,
        tmp_path,
        "wide.csv",
        bombs.csv_file([row]),
        "Row 2 has 60 columns; the limit is 50.",
    )


def test_over_long_csv_cell_is_refused(data_manager, demo, tmp_path):
    row = bombs.GOOD_ROWS[0][:7] + ["z" * 10_001]
    assert_refused(
        data_manager,
        tmp_path,
        "long.csv",
        bombs.csv_file([row]),
        "Row 2, column 8: the cell has more than 10,000 characters; the limit is 10,000.",
    )


def test_unclosed_quote_is_refused_with_its_row(data_manager, demo, tmp_path):
    rows = [bombs.GOOD_ROWS[0][:7] + ['"never closed']] + [bombs.GOOD_ROWS[1]] * 20_000
    assert_refused(
        data_manager,
        tmp_path,
        "quote.csv",
        bombs.csv_file(rows),
        "Row 2 is longer than 100,030 characters, more than any row of the contract can be. "
        'Look for a quotation mark (") that is never closed',
    )


def test_wide_header_is_refused_before_it_is_listed(demo):
    data = (",".join(f"c{n}" for n in range(60)) + "\n1\n").encode()
    report = import_observations(data, file_name="wide-header.csv")
    assert report.file_errors == [
        "Row 1 has 60 columns; the limit is 50. Delete the columns to the right of the "
        "data (the contract has ten) and upload the file again."
    ]


def test_csv_text_is_not_copied_per_row(demo, settings):
    settings.IMPORT_MAX_ROWS = 200_000
    data = bombs.csv_bad_rows(150_000)
    peak = peak_bytes(lambda: import_observations(data, file_name="bad.csv"))
    # The decoded text (one copy of the 1.35 MB file) and 100 error rows, not 150,000.
    assert peak < 3 * len(data)


def test_an_infinite_number_cell_is_a_row_error(demo):
    """A number cell too large for a float ("1e999") is refused with its row, not a crash."""
    row = bombs.row_xml(2, bombs.GOOD_ROWS[0]).replace(
        b'<c r="E2" t="inlineStr"><is><t>5</t></is></c>', b'<c r="E2"><v>1e999</v></c>'
    )
    assert b"1e999" in row
    report = import_observations(bombs.workbook([bombs.row_xml(1, bombs.HEADER), row]))
    assert report.error_lines() == ["Row 2, column 'value': 'inf' is not a number."]
    assert not report.committed
