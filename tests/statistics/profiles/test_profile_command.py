"""`import_indicators FILE --profile PROFILE [--dry-run]`: a saved profile's name or a file."""

import io
import json
from pathlib import Path
from statistics.models import ImportProfile, ImportRecord, Observation

import pytest
from django.core.management import CommandError, call_command

from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent.parent / "data" / "profiles"


def run(*args):
    out = io.StringIO()
    call_command("import_indicators", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def permits(demo):
    return IndicatorFactory(code="residence-permits")


def test_profile_file_path(permits):
    out = run(str(DATA / "d_sistat_wide.csv"), "--profile", str(DATA / "d_sistat_wide.json"))
    assert "15 new, 0 updated, 0 unchanged, 0 errors" in out and "Imported." in out
    assert "read with the profile “SiStat PX-Web" in out
    assert Observation.objects.filter(indicator=permits).count() == 15
    record = ImportRecord.objects.latest("pk")
    assert (
        record.profile
        == "SiStat PX-Web: residence permits by citizenship (file d_sistat_wide.json)"
    )


def test_saved_profile_by_name_dry_run(permits):
    definition = json.loads((DATA / "d_sistat_wide.json").read_text())
    ImportProfile.objects.create(name="SiStat permits", definition=definition)
    out = run(str(DATA / "d_sistat_wide.csv"), "--profile", "SiStat permits", "--dry-run")
    assert "15 new" in out and "Dry run: nothing was written." in out
    assert not Observation.objects.filter(indicator=permits).exists()
    assert ImportRecord.objects.latest("pk").profile == "SiStat permits"


def test_refusal_names_original_row_and_column(permits, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes((DATA / "d_sistat_wide.csv").read_bytes().replace(b'"4471"', b'"4.471.0"'))
    with pytest.raises(CommandError, match="Rejected"):
        out = io.StringIO()
        call_command(
            "import_indicators", str(bad), "--profile", str(DATA / "d_sistat_wide.json"),
            stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    assert "Row 5, column '2018 Moški': '4.471.0'" in out.getvalue()
    assert not Observation.objects.filter(indicator=permits).exists()


def test_unknown_profile_or_broken_profile_file(permits, tmp_path):
    with pytest.raises(CommandError, match="No saved import profile is named “nope”"):
        run(str(DATA / "d_sistat_wide.csv"), "--profile", "nope")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "wbportal-import-profile", "version": 1}')
    with pytest.raises(CommandError) as raised:
        run(str(DATA / "d_sistat_wide.csv"), "--profile", str(broken))
    assert "“Profile name” is required (a text). [name]" in str(raised.value)
    assert (
        "Choose the column that holds the values (“Value (long layout)”), or list value "
        "columns under “Measures”. [columns.value]"
    ) in str(raised.value)
