"""statistics.imports.export on its own: contract rows and CSV, safe in a spreadsheet."""

from decimal import Decimal
from statistics.imports.export import export_csv_bytes, export_rows
from statistics.imports.rows import COLUMNS
from statistics.models import Observation

import pytest

from tests.factories import CountryFactory, IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def observation():
    return ObservationFactory(
        indicator=IndicatorFactory(code="arrivals"),
        region=None,
        country=CountryFactory(iso_code="QS"),
        period="2024",
        category="=cmd",
        value=Decimal("1200.50"),
        source=None,
        note="-3 reported",
        area_label="+Serbia and Kosovo: S/RES/1244 (1999)",
    )


def test_rows_are_the_contract_with_formula_text_neutralised(observation):
    rows = list(export_rows(Observation.objects.all()))
    assert rows[0] == COLUMNS
    assert rows[0][-1] == "area_label"  # last: the earlier columns keep their places
    assert rows[1] == [
        "arrivals", "QS", "2024", "'=cmd", "1200.5", "as_published", "", "'-3 reported", "",
        "'+Serbia and Kosovo: S/RES/1244 (1999)",
    ]  # fmt: skip
    assert list(export_rows(Observation.objects.all(), decimal_comma=True))[1][4] == "1200,5"


def test_csv_has_a_bom_and_the_chosen_layout(observation):
    standard = export_csv_bytes(Observation.objects.all()).decode("utf-8")
    regional = export_csv_bytes(Observation.objects.all(), regional=True).decode("utf-8")
    assert standard.startswith("\ufeffindicator,area,period,")
    label = "'+Serbia and Kosovo: S/RES/1244 (1999)"
    assert standard.endswith(
        f"arrivals,QS,2024,'=cmd,1200.5,as_published,,'-3 reported,,{label}\r\n"
    )
    assert regional.endswith(
        f"arrivals;QS;2024;'=cmd;1200,5;as_published;;'-3 reported;;{label}\r\n"
    )
