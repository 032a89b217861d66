"""Each real-world file shape in tests/data/profiles/ imports through its profile with exact
values, and is refused (nothing written) with the original row and column named."""

import io
from collections import Counter
from decimal import Decimal
from pathlib import Path
from statistics.imports.rows import COLUMNS
from statistics.models import ImportRecord, Indicator, Observation, Source
from statistics.profiles.format import parse_profile
from statistics.profiles.load import import_with_profile
from statistics.profiles.reshape import ProfileReader

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent.parent / "data" / "profiles"
D = Decimal
NA, SUPPRESSED, AS_PUBLISHED = "not_available", "suppressed", "as_published"


def profile(name):
    return parse_profile((DATA / name).read_text(encoding="utf-8"))


def read(name):
    return (DATA / name).read_bytes()


def stored(indicator):
    return set(
        Observation.objects.filter(indicator__code=indicator).values_list(
            "country__iso_code", "period", "category", "value", "status", "note"
        )
    )


def run(data, profile_file, **options):
    return import_with_profile(data, profile(profile_file), **options)


@pytest.fixture
def indicators(demo):
    for code in [
        "asylum-seekers", "arrivals-monthly", "remittances-gdp", "residence-permits",
        "asylum-applicants", "asylum-decisions", "population-test", "arrivals-quarterly",
    ]:  # fmt: skip
        IndicatorFactory(code=code)
    # The demo may ship a UNHCR source of its own.
    Source.objects.get_or_create(code="unhcr", defaults={"name": "UNHCR"})


def assert_refused(report, *expected):
    """Nothing written, and each expected text in one of the error lines."""
    assert report.has_errors and not report.committed
    assert not Observation.objects.filter(indicator__code__in=[
        "asylum-seekers", "arrivals-monthly", "remittances-gdp", "residence-permits",
        "asylum-applicants", "asylum-decisions", "population-test", "arrivals-quarterly",
    ]).exists()  # fmt: skip
    lines = report.error_lines()
    for text in expected:
        assert any(text in line for line in lines), (text, lines)


# --- (a) metadata preamble, then the header ----------------------------------------------------


def test_preamble_file_imports_and_records_the_sources_own_label(indicators):
    report = run(read("a_unhcr_preamble.csv"), "a_unhcr_preamble.json", file_name="a.csv")
    assert not report.has_errors, report.error_lines()
    assert "UTF-8 with BOM" in report.kind and "UNHCR Refugee Data Finder" in report.kind
    # The source's label goes to the contract's `area_label` column, not into the note.
    assert stored("asylum-seekers") == {
        ("RS", "2023", "Afghanistan", D("1170"), AS_PUBLISHED, ""),
        ("TR", "2022", "Afghanistan", D("61335"), AS_PUBLISHED, ""),
        ("MK", "2023", "Syrian Arab Republic", D("12"), AS_PUBLISHED, ""),
        ("BA", "2023", "Afghanistan", D("245"), AS_PUBLISHED, ""),
        ("ME", "2023", "Afghanistan", D("0"), AS_PUBLISHED, ""),
    }
    assert set(Observation.objects.values_list("source__code", flat=True).distinct()) >= {"unhcr"}
    record = ImportRecord.objects.get(pk=report.record.pk)
    assert record.committed and record.new == 5
    assert record.profile == "UNHCR Refugee Data Finder: asylum-seekers by origin"


def test_the_sources_label_is_the_area_label_cell(indicators):
    table = ProfileReader(profile("a_unhcr_preamble.json"))(read("a_unhcr_preamble.csv"))
    assert table.header[-1] == "area_label"
    rows = [dict(zip(table.header, row.cells, strict=True)) for row in table.rows]
    assert [(row["area"], row["area_label"], row["note"]) for row in rows] == [
        ("RS", "Serbia and Kosovo: S/RES/1244 (1999)", ""),
        ("TR", "", ""),
        ("MK", "", ""),
        ("BA", "", ""),
        ("ME", "", ""),
    ]


@pytest.mark.skipif(
    "area_label" not in COLUMNS, reason="the pipeline's area_label column (Contract B)"
)
def test_the_sources_label_is_stored_as_the_observations_area_label(indicators):
    run(read("a_unhcr_preamble.csv"), "a_unhcr_preamble.json")
    labels = dict(
        Observation.objects.filter(indicator__code="asylum-seekers").values_list(
            "country__iso_code", "area_label"
        )
    )
    assert labels == {
        "RS": "Serbia and Kosovo: S/RES/1244 (1999)", "TR": "", "MK": "", "BA": "", "ME": "",
    }  # fmt: skip


def test_the_download_shows_markers_never_as_zero(client, indicators):
    run(read("f_thousands_markers.csv"), "f_thousands_markers.json")
    download = client.get(reverse("statistics:indicator-csv", args=["asylum-decisions"]))
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    # A marker is kept as its status with an empty value, never as zero.
    assert any(
        line.startswith("asylum-decisions,RS,2023,Recognised,,suppressed,,,,,") for line in lines
    )
    assert any(
        line.startswith("asylum-decisions,ME,2023,Asylum applications,,not_available,,,,,")
        for line in lines
    )
    assert any(
        line.startswith("asylum-decisions,RS,2023,Asylum applications,18420,as_published,,,,,")
        for line in lines
    )


def test_preamble_file_reimported_changes_nothing(indicators):
    run(read("a_unhcr_preamble.csv"), "a_unhcr_preamble.json")
    before = set(Observation.objects.values_list("pk", "updated_at"))
    again = run(read("a_unhcr_preamble.csv"), "a_unhcr_preamble.json")
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 5, "error": 0}
    assert again.nothing_to_change
    assert set(Observation.objects.values_list("pk", "updated_at")) == before


def test_serbia_and_kosovo_is_never_mapped_silently(indicators):
    definition = profile("a_unhcr_preamble.json").definition
    without = parse_profile({**definition, "areas": {}})
    report = import_with_profile(read("a_unhcr_preamble.csv"), without)
    assert_refused(
        report,
        "Row 14, column 'Country of asylum': 'Serbia and Kosovo: S/RES/1244 (1999)' is not a "
        "known area name",
    )


def test_preamble_file_with_an_unmapped_name_is_refused(indicators):
    data = read("a_unhcr_preamble.csv").replace("Türkiye,TUR".encode(), b"Narnia,NAR")
    report = run(data, "a_unhcr_preamble.json")
    assert_refused(report, "Row 15, column 'Country of asylum': 'Narnia' is not a known area")
    assert ImportRecord.objects.get(pk=report.record.pk).errors == 1


# --- (b) no header, columns by position ----------------------------------------------------


def test_file_without_header_reads_columns_by_position_and_month_names(indicators):
    report = run(read("b_no_header.csv"), "b_no_header.json")
    assert not report.has_errors, report.error_lines()
    assert stored("arrivals-monthly") == {
        ("RS", "2024-01", "Afghanistan", D("312"), AS_PUBLISHED, ""),
        ("RS", "2024-02", "Afghanistan", D("280"), AS_PUBLISHED, ""),
        ("BA", "2024-03", "Pakistan", D("95"), AS_PUBLISHED, ""),
        ("XK", "2024-04", "Syria", D("7"), AS_PUBLISHED, ""),
    }


def test_file_without_header_with_a_missing_cell_is_refused(indicators):
    data = read("b_no_header.csv").replace(b"2024,February,280", b"2024,280")
    report = run(data, "b_no_header.json")
    assert_refused(report, "Row 2, column '5': The row has 4 cells; the profile reads column 5")


def test_file_without_header_with_an_unknown_month_is_refused(indicators):
    data = read("b_no_header.csv").replace(b"March", b"Marzo")
    assert_refused(run(data, "b_no_header.json"), "Row 3, column '4': 'Marzo' is not a month")


# --- (c) World Bank wide table -------------------------------------------------------------


def test_world_bank_wide_table_one_observation_per_year(indicators):
    report = run(read("c_world_bank_wide.csv"), "c_world_bank_wide.json")
    assert not report.has_errors, report.error_lines()
    rows = {(a, p, v) for a, p, _c, v, s, _n in stored("remittances-gdp")}
    assert rows == {
        ("RS", "2020", D("7.41")), ("RS", "2021", D("7.15")), ("RS", "2022", D("6.22")),
        ("RS", "2023", D("5.9")),
        ("XK", "2020", D("18.5")), ("XK", "2021", D("17.25")), ("XK", "2022", D("16.8")),
        ("TR", "2020", D("0.11")), ("TR", "2021", D("0.1")), ("TR", "2022", D("0.09")),
        ("TR", "2023", D("0.08")),
    }  # fmt: skip
    assert report.counts["new"] == 11


def test_world_bank_unknown_marker_names_row_and_year_column(indicators):
    data = read("c_world_bank_wide.csv").replace(b'"7.15"', b'"n/a"')
    assert_refused(
        run(data, "c_world_bank_wide.json"),
        "Row 6, column '2021': 'n/a' is neither a number as this profile writes them",
    )


def test_world_bank_row_with_a_cell_beyond_the_header_is_refused(indicators):
    data = read("c_world_bank_wide.csv").replace(b'"0.08",', b'"0.08","0.07",')
    assert_refused(
        run(data, "c_world_bank_wide.json"),
        "Row 8, column '9': The row has a cell in column 9 (I), beyond the header's 8 columns",
    )


# --- (d) SiStat PX-Web, Windows-1250 -------------------------------------------------------


SISTAT = {
    ("RS", "2017", "Employment", D("5120.5"), AS_PUBLISHED, ""),
    ("RS", "2017", "Men", D("3880"), AS_PUBLISHED, ""),
    ("RS", "2018", "Employment", D("6014"), AS_PUBLISHED, ""),
    ("RS", "2018", "Men", D("4471"), AS_PUBLISHED, ""),
    ("ME", "2017", "Employment", None, SUPPRESSED, ""),
    ("ME", "2017", "Men", D("310"), AS_PUBLISHED, ""),
    ("ME", "2018", "Men", D("402"), AS_PUBLISHED, ""),
    ("MK", "2017", "Employment", D("2850"), AS_PUBLISHED, ""),
    ("MK", "2017", "Men", D("2002"), AS_PUBLISHED, ""),
    ("MK", "2018", "Employment", None, NA, ""),
    ("MK", "2018", "Men", D("2240"), AS_PUBLISHED, ""),
    ("BA", "2017", "Employment", D("18640"), AS_PUBLISHED, ""),
    ("BA", "2017", "Men", D("13211.25"), AS_PUBLISHED, ""),
    ("BA", "2018", "Employment", D("20100"), AS_PUBLISHED, ""),
    ("BA", "2018", "Men", D("14320"), AS_PUBLISHED, ""),
}


def test_sistat_wide_year_and_category_headers_markers_and_subtotal(indicators):
    report = run(read("d_sistat_wide.csv"), "d_sistat_wide.json")
    assert not report.has_errors, report.error_lines()
    assert "Windows-1250" in report.kind and "semicolon" in report.kind
    # EVROPA (a subtotal) is skipped by rule, "-" is skipped, markers are never zero.
    assert stored("residence-permits") == SISTAT


def test_sistat_reimport_is_unchanged(indicators):
    run(read("d_sistat_wide.csv"), "d_sistat_wide.json")
    again = run(read("d_sistat_wide.csv"), "d_sistat_wide.json")
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 15, "error": 0}


def test_sistat_unknown_marker_names_row_and_header(indicators):
    data = read("d_sistat_wide.csv").replace(b'"310"', b'"x"')
    assert_refused(run(data, "d_sistat_wide.json"), "Row 6, column '2017 Moški': 'x' is neither")


def test_sistat_without_the_subtotal_rule_refuses_evropa(indicators):
    definition = profile("d_sistat_wide.json").definition
    report = import_with_profile(
        read("d_sistat_wide.csv"), parse_profile({**definition, "skip": []})
    )
    assert_refused(report, "Row 4, column 'DRŽAVA DRŽAVLJANSTVA': 'EVROPA' is not a known area")


def test_sistat_two_header_rows_year_forward_filled_over_its_group(indicators):
    report = run(read("d_sistat_two_header_rows.csv"), "d_sistat_two_header_rows.json")
    assert not report.has_errors, report.error_lines()
    assert stored("population-test") == {
        ("RS", "2017", "Men", D("3880"), AS_PUBLISHED, ""),
        ("RS", "2017", "Women", D("1204.5"), AS_PUBLISHED, ""),
        ("RS", "2018", "Men", D("4471"), AS_PUBLISHED, ""),
        ("RS", "2018", "Women", D("1302"), AS_PUBLISHED, ""),
        ("ME", "2017", "Men", D("310"), AS_PUBLISHED, ""),
        ("ME", "2017", "Women", None, SUPPRESSED, ""),
        ("ME", "2018", "Men", D("402"), AS_PUBLISHED, ""),
        ("BA", "2017", "Men", D("13211"), AS_PUBLISHED, ""),
        ("BA", "2017", "Women", D("4020"), AS_PUBLISHED, ""),
        ("BA", "2018", "Men", D("14320"), AS_PUBLISHED, ""),
        ("BA", "2018", "Women", D("4511"), AS_PUBLISHED, ""),
    }


def test_sistat_two_header_rows_error_names_both_header_cells(indicators):
    data = read("d_sistat_two_header_rows.csv").replace(b'"4511"', b'"n"')
    assert_refused(
        run(data, "d_sistat_two_header_rows.json"),
        "Row 7, column '2018 Ženske': 'n' is neither",
    )


def test_sistat_two_header_rows_read_as_one_finds_no_value_columns(indicators):
    definition = profile("d_sistat_two_header_rows.json").definition
    report = import_with_profile(
        read("d_sistat_two_header_rows.csv"), parse_profile({**definition, "header_rows": 1})
    )
    assert_refused(report, "Row 3 (header): no header cell matches the profile's")


# --- (e) Eurostat --------------------------------------------------------------------------


def test_eurostat_quarters_markers_and_flags(indicators):
    report = run(read("e_eurostat_quarters.tsv"), "e_eurostat.json")
    assert not report.has_errors, report.error_lines()
    rows = {(a, p, v, s) for a, p, _c, v, s, _n in stored("asylum-applicants")}
    assert rows == {
        ("RS", "2024-Q1", D("1205"), AS_PUBLISHED),
        ("RS", "2024-Q2", None, NA),
        ("RS", "2024-Q3", D("830"), "provisional"),
        ("ME", "2024-Q1", D("15"), "estimated"),
        ("ME", "2024-Q2", None, SUPPRESSED),
        ("ME", "2024-Q3", D("22"), AS_PUBLISHED),
        ("TR", "2024-Q1", D("40125"), AS_PUBLISHED),
        ("TR", "2024-Q2", D("38200"), AS_PUBLISHED),
        ("TR", "2024-Q3", None, NA),
    }


def test_eurostat_months(indicators):
    report = run(read("e_eurostat_months.tsv"), "e_eurostat.json")
    assert not report.has_errors, report.error_lines()
    rows = {(a, p, v, s) for a, p, _c, v, s, _n in stored("asylum-applicants")}
    assert rows == {
        ("MK", "2008-01", D("55"), AS_PUBLISHED),
        ("MK", "2008-02", None, NA),
        ("AL", "2008-01", D("120"), "provisional"),
        ("AL", "2008-02", D("131"), AS_PUBLISHED),
    }


def test_eurostat_unknown_flag_is_refused(indicators):
    data = read("e_eurostat_quarters.tsv").replace(b"830 p", b"830 q")
    assert_refused(run(data, "e_eurostat.json"), "Row 2, column '2024Q3': '830 q' is neither")


def test_eurostat_first_column_split_into_dimensions(indicators):
    report = run(read("e_eurostat_dimensions.tsv"), "e_eurostat_dimensions.json")
    assert not report.has_errors, report.error_lines()
    # TOTAL is skipped by rule; ": c" is suppressed (the flag wins over the marker).
    assert stored("asylum-applicants") == {
        ("RS", "2023", "Ukraine", D("125"), "provisional", ""),
        ("RS", "2024", "Ukraine", D("140"), AS_PUBLISHED, ""),
        ("ME", "2023", "Ukraine", None, NA, ""),
        ("ME", "2024", "Ukraine", None, SUPPRESSED, ""),
        ("RS", "2023", "Syria", D("5"), "estimated", ""),
        ("RS", "2024", "Syria", D("12"), AS_PUBLISHED, ""),
    }


def test_eurostat_packed_column_with_the_delimiter_detected(indicators):
    definition = dict(profile("e_eurostat_dimensions.json").definition)
    del definition["delimiter"]
    report = import_with_profile(read("e_eurostat_dimensions.tsv"), parse_profile(definition))
    assert not report.has_errors, report.error_lines()
    assert "tab-delimited" in report.kind
    assert report.counts["new"] == 6


def test_eurostat_unknown_geo_names_the_packed_column(indicators):
    data = read("e_eurostat_dimensions.tsv").replace(b"A,SY,RS", b"A,SY,XX")
    assert_refused(
        run(data, "e_eurostat_dimensions.json"),
        "Row 4, column 'freq,citizen,geo\\TIME_PERIOD (geo)': 'XX' is not a known area",
    )


def test_eurostat_packed_cell_with_a_part_missing_is_refused(indicators):
    data = read("e_eurostat_dimensions.tsv").replace(b"A,UA,ME", b"A,ME")
    assert_refused(
        run(data, "e_eurostat_dimensions.json"),
        "Row 3, column 'freq,citizen,geo\\TIME_PERIOD': 'A,ME' should be 3 parts separated "
        "by ',' (freq, citizen, geo)",
    )


def test_eurostat_figure_with_a_confidential_flag_is_refused(indicators):
    data = read("e_eurostat_dimensions.tsv").replace(b"\t140 ", b"\t140 c")
    assert_refused(
        run(data, "e_eurostat_dimensions.json"),
        "Row 2, column '2024': '140 c': the flag 'c' means suppressed, yet a figure is given",
    )


def test_eurostat_header_with_other_dimensions_is_refused(indicators):
    data = read("e_eurostat_dimensions.tsv").replace(b"freq,citizen,geo", b"freq,sex,geo")
    assert_refused(
        run(data, "e_eurostat_dimensions.json"),
        "Row 1 (header): column 1 is 'freq,sex,geo\\TIME_PERIOD'; the profile splits it by ','",
    )


# --- (f) quoted thousands and markers in a comma file ---------------------------------------


def test_quoted_thousands_and_markers(indicators):
    report = run(read("f_thousands_markers.csv"), "f_thousands_markers.json")
    assert not report.has_errors, report.error_lines()
    rows = {(a, c, v, s) for a, _p, c, v, s, _n in stored("asylum-decisions")}
    assert rows == {
        ("RS", "Asylum applications", D("18420"), AS_PUBLISHED),
        ("RS", "Recognised", None, SUPPRESSED),
        ("TR", "Asylum applications", D("1234567"), AS_PUBLISHED),
        ("ME", "Asylum applications", None, NA),
        ("AL", "Recognised", None, SUPPRESSED),
        ("AL", "Asylum applications", D("980"), AS_PUBLISHED),
    }


def test_thousands_only_when_the_profile_says_so(indicators):
    definition = profile("f_thousands_markers.json").definition
    plain = parse_profile({**definition, "numbers": {"decimal": "."}})
    report = import_with_profile(read("f_thousands_markers.csv"), plain)
    assert_refused(report, "Row 2, column 'Value': '18,420' is neither a number")


def test_badly_grouped_thousands_are_refused(indicators):
    data = read("f_thousands_markers.csv").replace(b'"18,420"', b'"18,42"')
    assert_refused(run(data, "f_thousands_markers.json"), "Row 2, column 'Value': '18,42'")


# --- (g) Windows-1251 -----------------------------------------------------------------------


def test_cyrillic_names_in_windows_1251(indicators):
    report = run(read("g_cp1251_cyrillic.csv"), "g_cp1251_cyrillic.json")
    assert not report.has_errors, report.error_lines()
    assert "Windows-1251" in report.kind
    rows = {(a, p, v) for a, p, _c, v, _s, _n in stored("population-test")}
    assert rows == {
        ("RS", "2023", D("10.5")),
        ("MK", "2023", D("11")),
        ("ME", "2023", D("12.25")),
        ("BA", "2023", D("3")),
    }


def test_unmapped_cyrillic_name_is_refused(indicators):
    data = read("g_cp1251_cyrillic.csv").replace(
        "Северна Македонија".encode("cp1251"), "Хрватска".encode("cp1251")
    )
    assert_refused(run(data, "g_cp1251_cyrillic.json"), "Row 3, column 'Држава': 'Хрватска'")


# --- (h) XLSX -------------------------------------------------------------------------------


def test_xlsx_dates_meaning_quarters(indicators):
    report = run(read("h_quarters.xlsx"), "h_quarters.json")
    assert not report.has_errors, report.error_lines()
    rows = {(a, p, v, s) for a, p, _c, v, s, _n in stored("arrivals-quarterly")}
    assert rows == {
        ("RS", "2024-Q1", D("1520"), AS_PUBLISHED),
        ("AL", "2024-Q2", D("12.5"), AS_PUBLISHED),
        ("XK", "2024-Q2", None, NA),
        ("ME", "2024-Q3", D("87"), AS_PUBLISHED),
    }


def test_xlsx_unknown_marker_is_refused(indicators):
    book = Workbook()
    sheet = book.active
    for row in (
        ["Title"],
        [],
        ["Country", "Reference date", "Arrivals"],
        ["Serbia", "2024Q1", "n.a."],
    ):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    assert_refused(run(data.getvalue(), "h_quarters.json"), "Row 4, column 'Arrivals': 'n.a.'")


def xlsx(*rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


HEADER = ["Country", "Quarter", "Arrivals", "Note"]


def test_xlsx_rows_shorter_than_the_header_and_a_styled_blank_cell_beyond_it(indicators):
    report = run(read("i_xlsx_ragged_rows.xlsx"), "i_xlsx_ragged_rows.json")
    assert not report.has_errors, report.error_lines()
    assert stored("arrivals-quarterly") == {
        ("RS", "2024-Q1", "", D("1520"), AS_PUBLISHED, ""),
        ("AL", "2024-Q2", "", D("12.5"), AS_PUBLISHED, "Revised in May"),
        ("ME", "2024-Q3", "", D("87"), AS_PUBLISHED, ""),
    }


def test_xlsx_cell_with_content_beyond_the_header_is_refused(indicators):
    data = xlsx(HEADER, ["Serbia", "2024Q1", 1520], ["Albania", "2024Q2", 12.5, None, 7])
    assert_refused(
        run(data, "i_xlsx_ragged_rows.json"),
        "Row 3, column '5': The row has a cell in column 5 (E), beyond the header's 4 columns.",
    )


def test_xlsx_row_that_ends_before_a_required_cell_names_it(indicators):
    data = xlsx(HEADER, ["Serbia", "2024Q1", 1520], ["Albania"], [None, "2024Q3", 87])
    assert_refused(
        run(data, "i_xlsx_ragged_rows.json"),
        "Row 3, column 'Quarter': The period is empty.",
        "Row 4, column 'Country': The area is empty.",
    )


# --- The whole file ---------------------------------------------------------------------------


def test_a_file_from_another_source_is_refused_naming_the_header_row(indicators):
    report = run(read("d_sistat_wide.csv"), "c_world_bank_wide.json")
    assert_refused(report, "Row 5 (header): no column 'Country Code', 'Indicator Code'")
    assert report.record.profile == "World Bank WDI download (one column per year)"


def test_the_row_limit_counts_file_rows_not_observations(indicators):
    # 8 rows in the file, 15 observations: a limit of 10 rows takes it (before, the 15
    # observations were counted against it and the file was refused).
    report = run(read("d_sistat_wide.csv"), "d_sistat_wide.json", max_rows=10, dry_run=True)
    assert not report.has_errors, report.error_lines()
    assert report.counts["new"] == 15
    assert_refused(
        run(read("d_sistat_wide.csv"), "d_sistat_wide.json", max_rows=5),
        "The file has more than 5 rows below the header",
    )


def test_observations_are_bounded_by_ten_for_each_row_the_limit_takes(indicators):
    years = [str(year) for year in range(2000, 2021)]  # 21 value columns
    data = (
        "Country," + ",".join(years) + "\nSerbia," + ",".join("1" for _ in years) + "\n"
    ).encode()
    definition = {**profile("c_world_bank_wide.json").definition, "header_row": 1}
    definition["columns"] = {"area": "Country"}
    definition["defaults"] = {"indicator": "remittances-gdp"}
    wide = parse_profile(definition)
    assert not import_with_profile(data, wide, max_rows=3).has_errors  # 21 <= 30
    report = import_with_profile(data, wide, max_rows=2, dry_run=True)  # 21 > 20
    assert report.file_errors == [
        "The file reshapes into more than 20 observations (10 for each of the 2 rows the "
        "import takes); split it into smaller files."
    ]


# --- (j) UNHCR's population file: several measures, keep rules, only areas we know ---------

UNHCR = ["refugees-hosted", "asylum-seekers-hosted", "refugees-abroad", "asylum-seekers-abroad"]
REGION_ISO3 = ["ALB", "BIH", "MNE", "MKD", "SRB", "TUR"]
SERBIA_AND_KOSOVO = "Serbia and Kosovo: S/RES/1244 (1999)"


@pytest.fixture
def unhcr(demo):
    """What must exist before the import (the README says so): the four indicators, counting
    people, and the source."""
    for code in UNHCR:
        Indicator.objects.filter(code=code).exists() or IndicatorFactory(code=code, unit="people")
    Source.objects.get_or_create(code="unhcr", defaults={"name": "UNHCR"})


def import_as_documented(*options):
    """The command docs/staff/import-profiles.md shows, run from the project's root."""
    out = io.StringIO()
    call_command(
        "import_indicators",
        str(DATA / "j_unhcr_population_measures.csv"),
        "--profile",
        str(DATA / "j_unhcr_population_measures.json"),
        *options,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def values(indicator, area, period="2024"):
    return dict(
        Observation.objects.filter(
            indicator__code=indicator, country__iso_code=area, period=period
        ).values_list("category", "value")
    )


def test_unhcr_population_file_imports_as_documented(unhcr):
    out = import_as_documented()
    # 41 rows: 35 values hosted in Serbia and Türkiye under each of two measures, 10 values
    # of Montenegrin, Bosnian, Macedonian, Serbian and Turkish nationals abroad under each of
    # the other two; the rest skipped, never an error.
    assert "90 new, 0 updated, 0 unchanged, 0 errors" in out, out
    assert Observation.objects.filter(indicator__code__in=UNHCR).count() == 90
    # UNHCR's spot value (../shared/data/README.md): refugees hosted in Serbia in 2024,
    # summed over origins, 36,068; by origin, as in the file.
    hosted = values("refugees-hosted", "RS")
    assert len(hosted) == 34 and sum(hosted.values()) == D("36068")
    assert hosted["Croatia"] == D("17052") and hosted["Ukraine"] == D("10719")
    assert hosted["Bosnia and Herzegovina"] == D("7810") and hosted["Unknown"] == D("0")
    assert sum(values("asylum-seekers-hosted", "RS").values()) == D("202")
    assert values("refugees-hosted", "TR") == {"Syrian Arab Rep.": D("2901478")}
    assert values("asylum-seekers-hosted", "TR") == {"Syrian Arab Rep.": D("0")}
    # Nationals abroad, by country of asylum: outside the region too (Germany is no area of
    # the portal, but it is a category here).
    assert values("refugees-abroad", "ME") == {
        "Austria": D("0"), "Belgium": D("13"), "France": D("212"), "Germany": D("203"),
        "Switzerland": D("54"), "United States of America": D("74"),
    }  # fmt: skip
    assert values("asylum-seekers-abroad", "ME")["United States of America"] == D("854")
    assert values("refugees-abroad", "BA") == {SERBIA_AND_KOSOVO: D("7810")}
    assert values("refugees-abroad", "TR") == {SERBIA_AND_KOSOVO: D("129")}
    assert values("asylum-seekers-abroad", "TR") == {SERBIA_AND_KOSOVO: D("36")}
    # Only the seven places: nothing was filed under a country of asylum outside them.
    assert set(
        Observation.objects.filter(indicator__code__in=UNHCR).values_list(
            "country__iso_code", flat=True
        )
    ) == {"RS", "TR", "ME", "BA", "MK"}
    again = import_as_documented()
    assert "0 new, 0 updated, 90 unchanged, 0 errors" in again


def test_unhcr_skips_are_grouped_by_reason(unhcr):
    table = ProfileReader(profile("j_unhcr_population_measures.json"))(
        read("j_unhcr_population_measures.csv")
    )
    rows = list(table.rows)  # the skips are counted as the rows are read
    assert len(rows) == 90 and not any(row.errors for row in rows)
    assert table.skipped["unknown_areas"] == Counter(
        {
            "Austria": 1, "Belgium": 1, "France": 1, "Germany": 1, "Switzerland": 1,
            "United States of America": 1,
        }
    )  # fmt: skip
    keep = "“refugees = refugees-abroad” kept only where: coo_iso = " + ", ".join(REGION_ISO3)
    assert table.skipped[keep]["SYR"] == 2  # Syrians in Serbia and in Türkiye
    assert sum(table.skipped[keep].values()) == 31 and "MNE" not in table.skipped[keep]
    assert table.units == dict.fromkeys(UNHCR, "people")
    # The source's label, kept on every figure filed under Serbia (Contract B's area_label).
    labels = {row.cells[-1] for row in rows if row.cells[1] == "RS" and row.cells[0] in UNHCR[:2]}
    assert labels == {SERBIA_AND_KOSOVO}


def test_unhcr_without_only_areas_we_know_names_each_unknown_country(unhcr):
    definition = {**profile("j_unhcr_population_measures.json").definition}
    del definition["unknown_areas"]
    report = import_with_profile(read("j_unhcr_population_measures.csv"), parse_profile(definition))
    assert report.has_errors and not report.committed
    assert any(
        "Row 2, column 'coa_name': 'Austria' is not a known area name" in line
        for line in report.error_lines()
    ), report.error_lines()


def test_unhcr_measure_for_an_indicator_of_another_unit_is_refused(unhcr):
    Indicator.objects.filter(code="asylum-seekers-abroad").update(unit="cases")
    with pytest.raises(CommandError, match="Rejected: nothing was written"):
        out = io.StringIO()
        call_command(
            "import_indicators", str(DATA / "j_unhcr_population_measures.csv"),
            "--profile", str(DATA / "j_unhcr_population_measures.json"),
            stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    assert (
        "Measure 4 (“asylum_seekers = asylum-seekers-abroad”) counts “people”, but the "
        "indicator “asylum-seekers-abroad” counts “cases” (its unit)"
    ) in out.getvalue()
    assert not Observation.objects.filter(indicator__code__in=UNHCR).exists()
