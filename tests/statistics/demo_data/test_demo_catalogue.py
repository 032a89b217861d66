"""The catalogue and the shipped profiles of the demo's source files, each on its own: the
UNHCR fixture, a profile imported by itself, a refused file."""

import json
from pathlib import Path
from statistics.models import AreaName, ImportProfile, Indicator, Observation, Source
from statistics.profiles.format import parse_profile
from statistics.profiles.load import import_with_profile
from statistics.profiles.shipped import (
    DATA,
    PROFILES,
    SOURCE_FILES,
    import_source_file,
    save_profile,
)

import pytest
from django.core.management import call_command

TESTS_DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def unhcr_catalogue(demo):
    call_command("loaddata", "unhcr.json", verbosity=0)


def test_the_tests_shared_demo_leaves_the_source_files_out(demo):
    """`load_demo --without-source-files` (tests/shared_demo.py): the fixtures alone."""
    assert not Source.objects.filter(code="unhcr-refugee-statistics").exists()
    assert not ImportProfile.objects.exists()
    assert Observation.objects.filter(indicator__code="population").count() == 70


def test_the_unhcr_source_says_what_unhcr_says_and_no_more(unhcr_catalogue):
    source = Source.objects.get(code="unhcr-refugee-statistics")
    assert source.name == "UNHCR Refugee Population Statistics Database"
    assert (source.licence, source.licence_url) == (
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert source.citation == (
        "UNHCR Refugee Data Finder (UNHCR Refugee Population Statistics Database)"
    )
    assert source.edition == "2025.12.1"
    assert source.reference_date is None  # no source states one


def test_unhcrs_name_for_serbia_also_covers_kosovo(unhcr_catalogue):
    name = AreaName.objects.get(name="Serbia and Kosovo: S/RES/1244 (1999)")
    assert name.country.iso_code == "RS"
    assert list(name.also_covers.values_list("iso_code", flat=True)) == ["XK"]


def test_cases_and_persons_have_their_own_units(unhcr_catalogue):
    units = dict(Indicator.objects.values_list("code", "unit"))
    for profile in SOURCE_FILES:
        definition = json.loads((PROFILES / profile.profile).read_text(encoding="utf-8"))
        for measure in definition.get("measures", []):
            assert units[measure["indicator"]] == measure["unit"], measure


def test_the_derivations_name_indicators_of_the_catalogue(unhcr_catalogue):
    codes = set(Indicator.objects.values_list("code", flat=True))
    derivations = json.loads((PROFILES.parent / "derivations.json").read_text("utf-8"))
    for item in derivations:
        named = {item["indicator"], item["numerator"], item.get("denominator") or "population"}
        assert named <= codes, item


def test_loading_the_catalogue_twice_duplicates_nothing(unhcr_catalogue):
    before = Indicator.objects.count(), AreaName.objects.count(), Source.objects.count()
    call_command("loaddata", "unhcr.json", verbosity=0)
    assert (Indicator.objects.count(), AreaName.objects.count(), Source.objects.count()) == before


@pytest.mark.parametrize("source", SOURCE_FILES, ids=lambda source: source.profile)
def test_every_shipped_profile_follows_the_format(source):
    definition = json.loads((PROFILES / source.profile).read_text(encoding="utf-8"))
    assert parse_profile(definition).name == definition["name"]
    assert (DATA / source.data).is_file()


def test_the_world_bank_file_imports_over_the_demos_population(demo):
    """The fixture's 70 estimates (2015-2024) are the file's own: unchanged; 1960-2014 new."""
    saved = save_profile("worldbank_population.json")
    report = import_source_file(SOURCE_FILES[0], saved)
    assert report.counts == {"new": 385, "updated": 0, "unchanged": 70, "error": 0}
    kosovo = Observation.objects.get(
        indicator__code="population", country__iso_code="XK", period="2024"
    )
    assert (kosovo.value, kosovo.area_label) == (1_594_353, "")


def test_a_file_with_one_bad_cell_is_refused_naming_its_row_and_column(unhcr_catalogue):
    """The Syrians in Türkiye row with the letter O for a zero in `refugees` (row 5 of the
    file): nothing is written, and the error names the row and the file's own column."""
    saved = save_profile("unhcr_population.json")
    data = (TESTS_DATA / "unhcr_population_one_bad_cell.csv").read_bytes()
    report = import_with_profile(data, saved.profile(), label=saved.name)
    assert report.has_errors and not report.committed
    lines = report.error_lines()
    assert any("Row 5" in line and "refugees" in line and "29O1478" in line for line in lines)
    assert not Observation.objects.filter(source__code="unhcr-refugee-statistics").exists()
