"""A profile import's limits and counts are about the FILE's rows, not the observations it
reshapes into: a wide file (one value column per year, tests/data/profiles/) gives several
observations a row."""

import json
from pathlib import Path
from statistics.models import Observation
from statistics.profiles.format import parse_profile
from statistics.profiles.load import import_with_profile

import pytest

from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data" / "profiles"
WIDE = "c_world_bank_wide.csv"  # 9 lines: a preamble, the header, 4 rows of 4 years each


def profile(**changes):
    document = json.loads((DATA / "c_world_bank_wide.json").read_text(encoding="utf-8"))
    document.update(changes)
    return parse_profile(json.dumps(document))


def test_the_row_limit_counts_the_files_rows_not_its_observations(demo, settings):
    IndicatorFactory(code="remittances-gdp")
    data = (DATA / WIDE).read_bytes()
    settings.IMPORT_MAX_ROWS = len(data.splitlines())  # the file's lines, fewer than its figures
    report = import_with_profile(data, profile())
    assert not report.has_errors, report.error_lines()
    assert report.counts["new"] == 11 > settings.IMPORT_MAX_ROWS
    assert Observation.objects.filter(indicator__code="remittances-gdp").count() == 11


def test_rows_with_errors_are_the_files_rows(demo, settings):
    """Every year of three rows names an indicator the portal lacks: three rows, eleven
    cells, one problem."""
    settings.IMPORT_MAX_ERRORS = 2
    report = import_with_profile((DATA / WIDE).read_bytes(), profile())
    assert (report.rows_with_errors, report.error_cells) == (3, 11)
    [group] = report.error_groups
    assert group.problem.startswith("Unknown indicator 'remittances-gdp'")
    assert (group.count, group.rows) == (11, [6, 7, 8])
    assert report.listing_note.startswith("3 rows have errors; the first is listed.")
