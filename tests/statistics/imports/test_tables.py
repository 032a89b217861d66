"""statistics.imports.tables on its own: bytes -> Table (kind, columns, SourceRows)."""

from pathlib import Path
from statistics.imports.readers import FileError, Limits
from statistics.imports.rows import SourceRow
from statistics.imports.tables import check_header, header_names, open_table, sniff_delimiter

import pytest

DATA = Path(__file__).resolve().parent.parent.parent / "data"


def read(name):
    return (DATA / name).read_bytes()


def test_a_comma_csv_with_bom():
    table = open_table(read("utf8_bom_comma.csv"))
    assert table.kind == "CSV (UTF-8 with BOM, comma-delimited)"
    assert table.columns == [
        "indicator", "area", "period", "category", "value", "status", "source", "note",
    ]  # fmt: skip
    assert not table.decimal_comma
    rows = list(table.rows)
    assert [row.number for row in rows] == [2, 3, 4, 5]
    assert rows[2] == SourceRow(
        4,
        ["reception-accommodated", "RS", "2025-Q1", "", "1200.5", "final", "rs-kirs",
         "Quoted, with comma"],
    )  # fmt: skip


def test_a_semicolon_csv_has_decimal_commas_and_its_own_column_order():
    table = open_table(read("utf8_semicolon_decimal_comma.csv"))
    assert table.decimal_comma
    assert table.columns[:3] == ["value", "indicator", "area"]
    first = next(iter(table.rows))
    assert (first.number, first.cells[0]) == (2, "1.200,5")


def test_an_xlsx_workbook_gives_typed_cells():
    table = open_table(read("observations.xlsx"))
    assert table.kind == "XLSX"
    rows = list(table.rows)
    assert rows[0].number == 2
    assert "indicator" in table.columns
    assert any(not isinstance(cell, str) for row in rows for cell in row.cells if cell)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xd0\xcf\x11\xe0rest", "old Excel .xls"),
        (b"abc\x00def", "This is not a CSV or XLSX file"),
        (b" ;,\r\n", "it has no header row and no data"),
    ],
)
def test_what_is_not_a_table_is_refused(data, message):
    with pytest.raises(FileError, match=message):
        open_table(data)


def test_a_file_over_the_upload_limit_is_refused(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(FileError, match="the limit is"):
        open_table(b"indicator,area,period,value\n")


def test_check_header_names_every_problem():
    assert check_header(["value", "area", "indicator", "period"]) == [
        "value", "area", "indicator", "period",
    ]  # fmt: skip
    with pytest.raises(FileError) as raised:
        check_header(["indicator", "area", "area", "land", ""])
    message = str(raised.value)
    assert message.startswith("Row 1 (header): unknown column(s): land, (blank); ")
    assert "missing column(s): period, value" in message
    assert "repeated column(s): area" in message


def test_header_names_are_normalised_and_trimmed():
    assert header_names(["\ufeff Indicator ", "AREA", "", None]) == ["indicator", "area"]


def test_the_delimiter_is_the_one_that_gives_contract_names():
    limits = Limits.from_settings()
    assert sniff_delimiter("\n\nvalue;area,x;period\n", limits) == (
        ";",
        ["value", "area,x", "period"],
    )
    assert sniff_delimiter("indicator,area;x,period", limits)[0] == ","
    with pytest.raises(FileError, match="no header row"):
        sniff_delimiter("\n \n", limits)
