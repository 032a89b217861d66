"""The shared import pipeline and the two commands, with the real files in tests/data/."""

import io
import re
from decimal import Decimal
from pathlib import Path
from statistics.imports.cells import neutralise, parse_number, unneutralise
from statistics.imports.export import export_csv_bytes
from statistics.imports.pipeline import import_observations
from statistics.imports.readers import decode
from statistics.models import ImportRecord, Observation

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pagecache.signals import content_changed

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"


def read(name):
    return (DATA / name).read_bytes()


def snapshot():
    return sorted(
        tuple(str(item) for item in row)
        for row in Observation.objects.values_list(
            "indicator__code",
            "country_id",
            "region_id",
            "period",
            "category",
            "value",
            "status",
            "source_id",
            "note",
            "updated_at",
        )
    )


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_indicators", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "encoding", "expected"),
    [
        ("utf8_bom_comma.csv", "UTF-8 with BOM", {("Türkiye", Decimal("12.5")), ("Србија", 7)}),
        (
            "cp1250_semicolon.csv",
            "Windows-1250",
            {
                ("Priština", Decimal("3.5")),
                ("Shqipëria", 4),
                ("Türkiye", 5),
                ("Bosna i Hercegovina", 6),
            },
        ),
        (
            "cp1251_comma.csv",
            "Windows-1251",
            {("Србија", Decimal("10.5")), ("Северна Македонија", 11), ("Црна Гора", 12)},
        ),
        ("cp1251_macedonian.csv", "Windows-1251", {("Ѓорѓија", Decimal("1.5"))}),
    ],
)
def test_files_in_each_encoding_import_with_their_letters(demo, name, encoding, expected):
    started = timezone.now()
    report = import_observations(read(name), file_name=name)
    assert not report.has_errors, report.error_lines()
    assert encoding in report.kind
    stored = set(
        Observation.objects.filter(
            category__in=[c for c, _v in expected], updated_at__gte=started
        ).values_list("category", "value")
    )
    assert stored == {(category, Decimal(value)) for category, value in expected}


def test_cp1250_notes_keep_serbian_and_turkish_letters(demo):
    import_observations(read("cp1250_semicolon.csv"))
    notes = set(Observation.objects.exclude(note="").values_list("note", flat=True))
    assert "Đakovica, Čačak, Šabac, Žabljak, Ćuprija" in notes
    assert "Çeşme, Gölcük, Muş" in notes


def test_semicolon_file_with_decimal_comma_thousands_dot_and_shuffled_header(demo):
    report = import_observations(read("utf8_semicolon_decimal_comma.csv"))
    assert report.counts["new"] == 4 and not report.has_errors
    values = dict(
        Observation.objects.filter(
            indicator__code="reception-accommodated", period="2024"
        ).values_list("country__iso_code", "value")
    )
    assert values == {
        "BA": Decimal("1200.5"),
        "ME": Decimal("0.25"),
        "AL": Decimal("1234567"),
        "XK": 42,
    }


def test_xlsx_numbers_years_and_dates(demo):
    report = import_observations(read("observations.xlsx"), file_name="observations.xlsx")
    assert report.kind == "XLSX" and report.counts["new"] == 3, report.error_lines()
    rows = set(
        Observation.objects.filter(
            indicator__code="reception-accommodated",
            period__startswith="2024",
            country__isnull=False,
        ).values_list("country__iso_code", "period", "value", "status")
    )
    assert rows == {
        ("RS", "2024", Decimal("1500"), "final"),
        ("MK", "2024-Q2", Decimal("12.75"), "provisional"),
        ("AL", "2024-03-31", Decimal("3"), "as_published"),
    }


def test_excel_shaped_workbook_reads_shared_strings_like_its_csv(demo):
    """Excel and LibreOffice keep text as shared strings (openpyxl writes inline ones)."""
    demo_rows = list(Observation.objects.values_list("pk", flat=True))
    report = import_observations(read("excel_shared_strings.xlsx"))
    assert report.kind == "XLSX" and report.counts["new"] == 5, report.error_lines()
    rows = set(
        Observation.objects.exclude(pk__in=demo_rows).values_list(
            "indicator__code",
            "country__iso_code",
            "region__code",
            "period",
            "category",
            "value",
            "status",
            "source__code",
            "note",
        )
    )
    assert rows == {
        (
            "reception-accommodated",
            "RS",
            None,
            "2024",
            "",
            1500,
            "final",
            "rs-kirs",
            "Priština office",
        ),
        (
            "reception-accommodated",
            "MK",
            None,
            "2024-Q2",
            "",
            Decimal("12.75"),
            "provisional",
            None,
            "Скопје & Охрид",
        ),
        (
            "reception-accommodated",
            "AL",
            None,
            "2024-03-31",
            "",
            3,
            "as_published",
            None,
            "東京 office",
        ),
        ("reception-accommodated", "XK", None, "2025-Q1", "TRUE", 42, "estimated", None, "#N/A"),
        (
            "arrivals-top-nationalities",
            None,
            "WB",
            "2024",
            "Türkiye nationals",
            Decimal("7.1"),
            "as_published",
            "rs-kirs",
            "",
        ),
    }
    from_workbook = snapshot()
    Observation.objects.exclude(pk__in=demo_rows).delete()
    again = import_observations(read("excel_shared_strings.csv"))
    assert again.counts["new"] == 5, again.error_lines()
    assert [row[:-1] for row in snapshot()] == [row[:-1] for row in from_workbook]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "error_unknown_indicator.csv",
            [
                "Row 2, column 'indicator'",
                "'no-such-indicator'",
                "Known indicator codes: ",
                "reception-accommodated",
            ],
        ),
        (
            "error_unknown_area.csv",
            ["Row 2, column 'area'", "'XX'", "AL, BA, ME, MK, RS, TR, XK", "WB, WBT"],
        ),
        ("error_bad_period.csv", ["Row 2, column 'period'", "month 13 does not exist"]),
        ("error_not_a_number.csv", ["Row 2, column 'value'", "'twelve' is not a number", "1200.5"]),
        ("error_decimal_comma_in_comma_file.csv", ["Row 2, column 'value'", "'1,5'"]),
        ("error_ambiguous_number_semicolon.csv", ["Row 2, column 'value'", "'1.5'", "1.200,5"]),
        ("error_unknown_source.csv", ["Row 2, column 'source'", "'nobody'", "rs-kirs"]),
        ("error_unknown_status.csv", ["Row 2, column 'status'", "final, provisional, estimated"]),
        (
            "error_duplicate_key.csv",
            [
                "Row 2: The same indicator, area, period and category as row 4",
                "Row 4: The same indicator, area, period and category as row 2",
            ],
        ),
        (
            "error_missing_column.csv",
            ["missing column(s): value", "Expected columns: indicator, area, period, category"],
        ),
        ("error_unknown_column.csv", ["unknown column(s): colour", "Expected columns"]),
        ("error_header_only.csv", ["no data rows"]),
        ("error_empty.csv", ["The file is empty"]),
        ("error_not_csv.csv", ["not a CSV or XLSX file"]),
        ("error_old_excel.xls", ["old Excel .xls", "xlsx"]),
        ("error_value.xlsx", ["Row 2, column 'value'", "'lots' is not a number"]),
    ],
)
def test_each_error_names_row_column_problem_and_what_is_accepted(demo, name, expected):
    before = snapshot()
    with pytest.raises(CommandError, match="Rejected: nothing was written"):
        run_import(str(DATA / name))
    report = import_observations(read(name), file_name=name)
    text = "\n".join(report.error_lines())
    for part in expected:
        assert part in text
    assert snapshot() == before
    record = ImportRecord.objects.filter(file_name=name).first()
    assert record.errors >= 1 and not record.committed and record.messages


def test_file_over_the_size_limit_is_refused(demo, settings, tmp_path):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    data = read("utf8_bom_comma.csv")
    assert len(data) > 100
    report = import_observations(data, file_name="big.csv")
    assert report.file_errors == [
        f"The file is {len(data) / 1_048_576:.1f} MB; the limit is 0.0 MB. "
        "Split it into smaller files."
    ]
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        run_import(str(path))
    assert not Observation.objects.filter(category="Србија").exists()


def test_one_bad_row_among_a_thousand_writes_nothing(demo):
    lines = ["indicator,area,period,category,value,status,source,note"]
    for n in range(1000):
        value = "oops" if n == 637 else str(n)
        lines.append(f"reception-accommodated,RS,{1900 + n % 120}-{n // 120 + 1:02d},,{value},,,")
    data = "\n".join(lines).encode()
    before = snapshot()
    report = import_observations(data, file_name="thousand.csv")
    assert report.counts["error"] == 1 and report.counts["new"] == 999
    assert report.error_lines() == [
        "Row 639, column 'value': 'oops' is not a number; this file accepts a number with "
        "'.' as decimal point and no thousands separator, e.g. 1200.5."
    ]
    assert snapshot() == before
    fixed = data.replace(b",oops,", b",637,")
    assert import_observations(fixed).counts["new"] == 1000
    imported = Observation.objects.filter(
        country__iso_code="RS", indicator__code="reception-accommodated"
    )
    assert imported.count() == 1000


def test_reimport_reports_unchanged_and_writes_nothing(demo, django_assert_max_num_queries):
    data = read("utf8_bom_comma.csv")
    first = import_observations(data)
    assert first.counts == {"new": 3, "updated": 1, "unchanged": 0, "error": 0}
    before = snapshot()
    received = []

    def receiver(sender, count, **kwargs):
        received.append(count)

    content_changed.connect(receiver)
    try:
        second = import_observations(data)
    finally:
        content_changed.disconnect(receiver)
    assert second.counts == {"new": 0, "updated": 0, "unchanged": 4, "error": 0}
    assert snapshot() == before
    assert received == []


def test_update_changes_only_changed_rows_and_signals_after_commit(
    demo, django_capture_on_commit_callbacks
):
    import_observations(read("utf8_bom_comma.csv"))
    changed = read("utf8_bom_comma.csv").replace("Priština office".encode(), b"Prishtina office")
    received = []

    def receiver(sender, count, **kwargs):
        received.append((sender, count))

    content_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = import_observations(changed)
    finally:
        content_changed.disconnect(receiver)
    assert report.counts == {"new": 0, "updated": 1, "unchanged": 3, "error": 0}
    assert received == [(Observation, 1)]
    assert Observation.objects.get(category="Türkiye").note == "Prishtina office"


def test_updates_set_only_the_fields_that_changed(demo):
    """Each group of updated rows sets only its changed fields (and updated_at)."""
    import_observations(read("utf8_bom_comma.csv"))
    changed = (
        read("utf8_bom_comma.csv")
        .replace("Priština office".encode(), b"Prishtina office")
        .replace(b"Q1,,1200.5,final", b"Q1,,1201,final")
    )
    with CaptureQueriesContext(connection) as queries:
        report = import_observations(changed)
    assert report.counts == {"new": 0, "updated": 2, "unchanged": 2, "error": 0}
    updates = [query["sql"] for query in queries if query["sql"].startswith("UPDATE ")]
    set_fields = sorted(
        sorted(re.findall(r'"(\w+)" = [(]*(?:CAST[(])?CASE', sql)) for sql in updates
    )
    assert set_fields == [["note", "updated_at"], ["updated_at", "value"]]
    assert Observation.objects.get(category="Türkiye").note == "Prishtina office"
    assert Observation.objects.get(country__iso_code="RS", period="2025-Q1").value == 1201


def test_bulk_path_sets_period_bounds(demo):
    import_observations(read("utf8_bom_comma.csv"))
    observation = Observation.objects.get(period="2025-Q1", country__iso_code="RS")
    assert str(observation.period_start) == "2025-01-01"
    assert str(observation.period_end) == "2025-03-31"


def test_dry_run_writes_nothing_and_is_recorded(demo):
    before = snapshot()
    output = run_import(str(DATA / "utf8_bom_comma.csv"), "--dry-run")
    assert "3 new, 1 updated, 0 unchanged, 0 errors" in output
    assert "Dry run: nothing was written." in output
    assert snapshot() == before
    record = ImportRecord.objects.get()
    assert record.dry_run and not record.committed and record.new == 3 and record.user is None


def test_command_shows_progress_on_large_files(demo, tmp_path):
    lines = ["indicator,area,period,category,value"]
    lines += [f"reception-accommodated,RS,2020,c{n},{n}" for n in range(20_000)]
    err = io.StringIO()
    out = io.StringIO()
    big = tmp_path / "big_import.csv"
    big.write_text("\n".join(lines))
    call_command("import_indicators", str(big), stdout=out, stderr=err)
    assert "10,000 rows checked" in err.getvalue() and "20,000 rows written" in err.getvalue()
    assert "20,000 new, 0 updated, 0 unchanged, 0 errors" in out.getvalue()


def test_export_then_import_is_an_identity(demo, tmp_path):
    import_observations(read("formula_text.csv"))
    import_observations(read("cp1251_comma.csv"))
    before = snapshot()
    path = tmp_path / "export.csv"
    call_command("export_indicators", "-o", str(path), stderr=io.StringIO())
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    report = import_observations(data)
    assert report.counts["unchanged"] == Observation.objects.count()
    assert report.counts["new"] == report.counts["updated"] == report.counts["error"] == 0
    assert snapshot() == before


def test_export_neutralises_formula_like_text(demo):
    import_observations(read("formula_text.csv"))
    text = export_csv_bytes(Observation.objects.filter(region__code="WB", period="2024")).decode()
    assert "'=HYPERLINK" in text and "'@SUM(1+1)" in text and "'+cmd" in text and "'-2+3" in text
    assert "\n'=already escaped" not in text and ",'=already escaped," in text
    stored = set(Observation.objects.values_list("category", flat=True))
    # Import stripped our own escape mark: the first and the third are the same text now.
    assert '=HYPERLINK("http://x.test")' in stored and "=already escaped" in stored


def test_export_command_filters_by_indicator_and_area(demo):
    out = io.StringIO()
    call_command(
        "export_indicators", "--indicator", "reception-accommodated", "--area", "wb", stdout=out
    )
    lines = out.getvalue().lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "indicator,area,period,category,value,status,source,note,qualifier,area_label"
    )
    assert lines[1:] and all(line.startswith("reception-accommodated,WB,") for line in lines[1:])
    with pytest.raises(CommandError, match="Unknown area"):
        call_command("export_indicators", "--area", "QQ", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("1200.5", False, "1200.5"),
        ("-3", False, "-3"),
        ("0.0001", False, "0.0001"),
        ("1.200,5", True, "1200.5"),
        ("1200,5", True, "1200.5"),
        ("1.234.567", True, "1234567"),
        ("-0,5", True, "-0.5"),
    ],
)
def test_numbers_parse_under_the_file_convention(text, decimal_comma, expected):
    assert parse_number(text, decimal_comma) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "decimal_comma"),
    [
        ("1,200", False),
        ("1.200,5", False),
        ("1e3", False),
        ("12%", False),
        ("", False),
        ("1.5", True),
        ("1,2,3", True),
        ("12.34", True),
        ("1 200", True),
        ("0.00001", False),
        ("+5", False),
    ],
)
def test_ambiguous_or_malformed_numbers_are_errors(text, decimal_comma):
    with pytest.raises(ValueError, match="not a number|decimal places"):
        parse_number(text, decimal_comma)


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "'=x", "''=x", "plain", "'quoted", ""]
)
def test_neutralise_is_inverted_exactly_by_import(text):
    assert unneutralise(neutralise(text)) == text
    assert neutralise(text)[:1] not in {"=", "+", "-", "@", "\t", "\r"}


def test_cp1250_and_cp1251_are_told_apart_by_words_not_by_luck():
    latin = "Priština, Đakovica, Shqipëria, Türkiye".encode("cp1250")
    cyrillic = "Северна Македонија, Србија".encode("cp1251")
    assert decode(latin) == ("Priština, Đakovica, Shqipëria, Türkiye", "Windows-1250")
    assert decode(cyrillic) == ("Северна Македонија, Србија", "Windows-1251")


def test_a_row_written_meanwhile_rolls_back_everything(demo, monkeypatch):
    """If the database refuses a row (someone added it after the check), nothing is kept."""
    from statistics.imports import writing

    import_observations(read("utf8_bom_comma.csv"))
    before = snapshot()
    monkeypatch.setattr(
        writing, "existing_observations", lambda indicator_ids: {}
    )  # "not there yet"
    report = import_observations(read("utf8_bom_comma.csv"), file_name="again.csv")
    assert report.file_errors == [
        "The observations changed while the file was being imported; nothing was written. "
        "Import the file again."
    ]
    assert not report.committed
    assert snapshot() == before
    assert not ImportRecord.objects.get(file_name="again.csv").committed


def test_the_resource_exports_only(demo):
    """The admin's import is the pipeline's own flow; the resource must not offer a second,
    row-by-row import that skips the pipeline's checks."""
    from statistics.resources import ObservationResource

    import tablib

    dataset = tablib.Dataset(headers=["indicator", "area", "period", "value"])
    dataset.append(["reception-accommodated", "RS", "2019", "5"])
    with pytest.raises(NotImplementedError, match="statistics.imports.pipeline"):
        ObservationResource().import_data(dataset, dry_run=True)
    assert not Observation.objects.filter(
        indicator__code="reception-accommodated", period="2019"
    ).exists()
    exported = ObservationResource(regional=True).export(Observation.objects.all())
    assert exported.headers[:4] == ["indicator", "area", "period", "category"]
    assert len(exported) == Observation.objects.count()


def test_lower_case_quarter_and_codes_are_read_as_written_in_the_contract(demo):
    data = "INDICATOR;Area;Period;Value;Status\nReception-Accommodated;rs;2019-q3;7;Provisional\n"
    report = import_observations(data.encode())
    assert report.counts["new"] == 1, report.error_lines()
    observation = Observation.objects.get(period="2019-Q3")
    assert (observation.country.iso_code, observation.status) == ("RS", "provisional")
