"""The pipeline's seam for rows read elsewhere (import profiles): import_table(Table)."""

from decimal import Decimal
from statistics.imports.pipeline import import_observations, import_table
from statistics.imports.rows import COLUMNS, SourceRow
from statistics.imports.tables import Table
from statistics.models import ImportRecord, Observation

import pytest

from tests.factories import CountryFactory, IndicatorFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refs():
    IndicatorFactory(code="arrivals")
    CountryFactory(iso_code="QS")
    CountryFactory(iso_code="QM")
    SourceFactory(code="unhcr")


def wide_table(*cells_by_row):
    """Rows as a profile gives them: contract order, strings, original row numbers."""
    rows = [SourceRow(number, cells) for number, cells in cells_by_row]
    return Table(list(COLUMNS), iter(rows), "UNHCR export (profile: unhcr)")


GOOD = [
    (9, ["arrivals", "QS", "2017", "", "18420", "", "unhcr", "Serbia", ""]),
    (9, ["arrivals", "QS", "2018", "", "", "suppressed", "unhcr", "", ""]),
    (10, ["arrivals", "QM", "2017", "", "12", "", "unhcr", "", "more_than"]),
]


def test_a_table_imports_with_records_and_unchanged_reimport(refs):
    report = import_table(wide_table(*GOOD), file_name="unhcr.csv", preview_limit=10)
    assert not report.has_errors, report.error_lines()
    assert report.committed and report.kind == "UNHCR export (profile: unhcr)"
    assert report.counts == {"new": 3, "updated": 0, "unchanged": 0, "error": 0}
    assert [row.number for row in report.preview] == [9, 9, 10]
    stored = Observation.objects.order_by("country__iso_code", "period")
    assert [(o.country.iso_code, o.period, o.value, o.status, o.qualifier) for o in stored] == [
        ("QM", "2017", Decimal(12), "as_published", "more_than"),
        ("QS", "2017", Decimal(18420), "as_published", ""),
        ("QS", "2018", None, "suppressed", ""),
    ]
    assert ImportRecord.objects.get(file_name="unhcr.csv").committed
    again = import_observations(table=wide_table(*GOOD), file_name="again.csv")
    assert again.nothing_to_change and again.counts["unchanged"] == 3


def test_one_bad_row_and_nothing_is_written_with_its_original_row_and_column(refs):
    bad = (14, ["arrivals", "XX", "2019", "", "5", "", "unhcr", "", ""])
    report = import_table(wide_table(*GOOD, bad), file_name="bad.csv")
    assert not report.committed
    assert report.error_lines() == [
        "Row 14, column 'area': Unknown area 'XX'. Known country codes: QM, QS; region codes: ."
    ]
    assert not Observation.objects.exists()
    assert not ImportRecord.objects.get(file_name="bad.csv").committed


def test_every_error_of_one_wide_row_is_listed(refs):
    """One row of a wide table gives an observation per cell: each keeps its own errors."""
    report = import_table(
        wide_table(
            (20, ["arrivals", "QS", "2017", "", "5", "", "unhcr", "", ""]),
            (20, ["arrivals", "QS", "2018", "", "*", "", "unhcr", "", ""]),
            (20, ["arrivals", "QS", "2019", "", "x", "", "unhcr", "", ""]),
        ),
        preview_limit=10,
    )
    assert report.counts == {"new": 1, "updated": 0, "unchanged": 0, "error": 2}
    assert [line.split(":")[0] for line in report.error_lines()] == [
        "Row 20, column 'value'",
        "Row 20, column 'value'",
    ]
    assert [row.action for row in report.preview] == ["new", "error", "error"]
    assert not Observation.objects.exists()


def test_a_table_with_a_column_that_is_not_the_contracts_is_refused(refs):
    table = Table(["indicator", "area", "year", "value"], iter([]), "profile")
    report = import_table(table)
    assert report.file_errors[0].startswith("Row 1 (header): unknown column(s): year")


def test_data_or_table_not_both():
    with pytest.raises(TypeError):
        import_observations(b"x", table=wide_table())
    with pytest.raises(TypeError):
        import_observations()
