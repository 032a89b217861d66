"""statistics.imports.validation on its own: SourceRows in, observations or errors out."""

from decimal import Decimal
from statistics.imports.lookups import Lookups
from statistics.imports.rows import COLUMNS, SourceRow
from statistics.imports.validation import check_row, check_rows
from statistics.models import ObservationStatus, ValueQualifier

import pytest

from tests.factories import CountryFactory, IndicatorFactory, RegionFactory, SourceFactory

pytestmark = pytest.mark.django_db
INDEX = {name: position for position, name in enumerate(COLUMNS)}


@pytest.fixture
def refs():
    return {
        "indicator": IndicatorFactory(code="arrivals"),
        "country": CountryFactory(iso_code="QS"),
        "region": RegionFactory(code="QWB"),
        "source": SourceFactory(code="unhcr", name="UNHCR"),
    }


def row(number, *cells):
    return SourceRow(number, list(cells))


def test_a_valid_row_becomes_a_typed_observation(refs):
    checked = check_row(
        row(7, "Arrivals", "qs", "2025-q1", "Men", ">1200", "", "UNHCR", "'=note"),
        INDEX,
        Lookups(),
    )
    assert checked.errors == []
    observation = checked.observation
    assert observation.number == 7
    assert observation.indicator_id == refs["indicator"].pk
    assert (observation.country_id, observation.region_id) == (refs["country"].pk, None)
    assert observation.period.text == "2025-Q1"
    assert observation.category == "Men"
    assert observation.value == Decimal(1200)
    assert observation.qualifier == ValueQualifier.MORE_THAN
    assert observation.status == ObservationStatus.AS_PUBLISHED
    assert observation.source_id == refs["source"].pk
    assert observation.note == "=note"  # the export's formula mark removed
    assert observation.key == (refs["indicator"].pk, refs["country"].pk, None, "2025-Q1", "Men")
    assert checked.values["period"] == "2025-q1"  # the cell's text, for the preview


def test_every_error_names_its_column(refs):
    checked = check_row(
        row(3, "nope", "QWB", "2025-13", "", "1,5", "final", "who", "", "lots"),
        INDEX,
        Lookups(),
    )
    assert checked.observation is None
    columns = [column for column, _message in checked.errors]
    assert columns == ["indicator", "period", "qualifier", "source"]
    assert checked.errors[0][1].startswith("Unknown indicator 'nope'. Known indicator codes:")


def test_a_value_checked_against_its_status(refs):
    lookups = Lookups()
    empty = check_row(row(2, "arrivals", "QS", "2024", "", "", "final"), INDEX, lookups)
    assert empty.errors == [
        (
            "value",
            "The value is empty; every row needs a number, unless its status is "
            "not_available or suppressed (a cell the source publishes without one).",
        )
    ]
    missing = check_row(row(2, "arrivals", "QS", "2024", "", "", "not available"), INDEX, lookups)
    assert missing.errors == [] and missing.observation.value is None
    assert missing.observation.status == ObservationStatus.NOT_AVAILABLE


def test_labels_name_the_original_columns_in_errors(refs):
    """An import profile's row says which column of the source's file a contract column was."""
    source_row = SourceRow(
        12,
        ["arrivals", "Atlantis", "2018", "Moški", "x"],
        labels={"area": "Country of asylum", "value": "2018 Moški"},
    )
    index = {name: position for position, name in enumerate(COLUMNS[:5])}
    checked = check_row(source_row, index, Lookups())
    assert [column for column, _message in checked.errors] == ["Country of asylum", "2018 Moški"]


def test_a_row_longer_than_the_header_is_refused(refs):
    index = {name: position for position, name in enumerate(COLUMNS[:5])}
    checked = check_row(row(4, "arrivals", "QS", "2024", "", "5", "extra"), index, Lookups())
    assert checked.errors == [("", "The row has 1 more cell(s) than the header has columns.")]


def test_check_rows_skips_blank_rows_and_finds_repeated_keys(refs):
    rows = [
        row(2, "arrivals", "QS", "2024", "", "5"),
        row(3, "", "", "", "", ""),
        row(4, "arrivals", "QS", "2025", "", "6"),
        row(5, "arrivals", "qs", "2024", "", "7"),
    ]
    checked = check_rows(rows, COLUMNS[:5], Lookups(), preview_limit=1, max_errors=10)
    assert checked.seen == 3
    assert [valid.number for valid in checked.valid] == [2, 4]
    assert list(checked.values) == [0]  # the cells' text of the first preview_limit rows
    assert checked.duplicated == {0}  # positions in valid: row 2
    assert checked.errors.count == 2
    assert [(result.number, result.errors) for result in checked.errors.rows()] == [
        (2, [("", "The same indicator, area, period and category as row 5.")]),
        (5, [("", "The same indicator, area, period and category as row 2.")]),
    ]


def test_check_rows_counts_every_error_but_lists_only_the_first(refs):
    rows = [row(number, "nope", "QS", "2024", "", "1") for number in range(2, 12)]
    checked = check_rows(rows, COLUMNS[:5], Lookups(), max_errors=3)
    assert checked.errors.count == 10
    assert [result.number for result in checked.errors.rows()] == [2, 3, 4]
