"""statistics.imports.cells on its own: one cell at a time, no database."""

import datetime
from decimal import Decimal
from statistics.imports.cells import (
    ambiguous_date,
    cell_text,
    cell_value,
    check_decimal,
    format_number,
    neutralise,
    parse_number,
    split_sign,
    unneutralise,
)
from statistics.models import ValueQualifier

import pytest


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("-3", "'-3"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("'=x", "''=x"),  # our own mark kept, or import would strip it
        ("'plain", "'plain"),
        ("Priština", "Priština"),
        ("", ""),
        (None, ""),
    ],
)
def test_neutralise_marks_formula_text_and_unneutralise_undoes_it(text, safe):
    assert neutralise(text) == safe
    assert unneutralise(safe) == ("" if text is None else text)


def test_parse_number_takes_one_convention_at_a_time():
    assert parse_number("1200.5", decimal_comma=False) == Decimal("1200.5")
    assert parse_number(" -3 ", decimal_comma=False) == Decimal("-3")
    assert parse_number("1.200,5", decimal_comma=True) == Decimal("1200.5")
    assert parse_number("1.234.567", decimal_comma=True) == Decimal("1234567")
    with pytest.raises(ValueError, match="'1,5' is not a number; this file accepts"):
        parse_number("1,5", decimal_comma=False)
    with pytest.raises(ValueError, match="this semicolon file accepts a number with a decimal"):
        parse_number("1200.5", decimal_comma=True)
    with pytest.raises(ValueError, match="'1e3' is not a number"):
        parse_number("1e3", decimal_comma=False)


def test_check_decimal_refuses_what_the_column_cannot_hold():
    assert check_decimal(Decimal("1.5000000"), "1.5000000") == Decimal("1.5")
    with pytest.raises(ValueError, match="more than 4 decimal places"):
        check_decimal(Decimal("0.12345"), "0.12345")
    with pytest.raises(ValueError, match="too large"):
        check_decimal(Decimal("1" + "0" * 20), "huge")


def test_format_number_is_plain_contract_text():
    assert format_number(Decimal("1200.500")) == "1200.5"
    assert format_number(Decimal("1E+3")) == "1000"
    assert format_number(Decimal("-0.0")) == "0"


def test_cell_text_reads_what_xlsx_gives():
    assert cell_text(None) == ""
    assert cell_text(12.0) == "12"
    assert cell_text(12.5) == "12.5"
    assert cell_text(True) == "TRUE"
    assert cell_text(datetime.datetime(2024, 3, 31)) == "2024-03-31"
    assert cell_text(datetime.datetime(2024, 3, 31, 8, 30)) == "2024-03-31T08:30:00"
    assert cell_text(datetime.date(2024, 3, 31)) == "2024-03-31"
    assert cell_text("  SRB ") == "SRB"


def test_cell_value_numbers_and_refusals():
    assert cell_value(5, decimal_comma=False) == Decimal(5)
    assert cell_value(0.1, decimal_comma=False) == Decimal("0.1")
    assert cell_value("", decimal_comma=False) is None
    assert cell_value("0,25", decimal_comma=True) == Decimal("0.25")
    with pytest.raises(ValueError, match="write the number without '\\+'"):
        cell_value("+5", decimal_comma=False)
    with pytest.raises(ValueError, match="'True' is not a number"):
        cell_value(True, decimal_comma=False)


@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan")])
def test_cell_value_refuses_an_infinite_or_undefined_number(number):
    """An XLSX number cell "1e999" reads as infinity: a row error, not a crash."""
    with pytest.raises(ValueError, match="is not a number"):
        cell_value(number, decimal_comma=False)


def test_split_sign_takes_the_qualifier_off_a_value():
    assert split_sign(">1200") == (ValueQualifier.MORE_THAN, "1200")
    assert split_sign(" < 5") == (ValueQualifier.LESS_THAN, "5")
    assert split_sign("~7") == (ValueQualifier.ABOUT, "7")
    assert split_sign("12") == ("", "12")
    assert split_sign(12.0) == ("", 12.0)


def test_ambiguous_date_is_a_first_of_month_or_a_time():
    assert ambiguous_date(datetime.date(2025, 3, 1))
    assert ambiguous_date(datetime.datetime(2025, 3, 15, 10, 0))
    assert not ambiguous_date(datetime.date(2024, 3, 31))
    assert not ambiguous_date("2025-03-01")
