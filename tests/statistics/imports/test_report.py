"""statistics.imports.report on its own: counts, error lines, the capped error listing."""

from decimal import Decimal
from statistics.imports.report import ImportReport, RowErrors, display_warnings
from statistics.imports.rows import ParsedObservation
from statistics.models import Indicator

from formatting.periods import parse_period


def test_error_lines_name_row_and_column():
    report = ImportReport()
    errors = RowErrors(10)
    errors.add(7, {}, [("value", "bad"), ("", "repeated")])
    errors.add(3, {}, [("area", "unknown")])
    report.error_rows = errors.rows()
    report.file_errors.append("Too many errors.")
    assert report.error_lines() == [
        "Too many errors.",
        "Row 3, column 'area': unknown",
        "Row 7, column 'value': bad",
        "Row 7: repeated",
    ]


def test_row_errors_count_every_row_and_list_the_first():
    errors = RowErrors(2)
    for number in (5, 4, 3):
        errors.add(number, {}, [("", "x")])
    assert errors.count == 3
    assert [row.number for row in errors.rows()] == [4, 5]


def test_nothing_to_change_only_when_every_row_is_unchanged():
    report = ImportReport()
    report.counts["unchanged"] = 2
    assert report.nothing_to_change and report.total == 2
    report.counts["new"] = 1
    assert not report.nothing_to_change


def test_a_value_with_more_decimals_than_shown_is_warned_of():
    observation = ParsedObservation(
        2, 1, 1, None, parse_period("2024"), "", Decimal("12.345"), "", "as_published", None, ""
    )
    indicator = Indicator(code="x", name="x", unit="people", decimals=1)
    [(column, message)] = display_warnings(observation, indicator)
    assert column == "value"
    assert message.startswith("12.345 is stored exactly, but the site shows this indicator")
    indicator.decimals = 3
    assert display_warnings(observation, indicator) == []
