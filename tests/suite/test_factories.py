"""The factories never collide: unique fields do not repeat within what their constraints
allow, and no factory hands back a row that already exists."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from regions.models import Country, Region
from tests.factories import (
    COUNTRY_CODES,
    HAND_PICKED_COUNTRY_CODES,
    CountryFactory,
    RegionFactory,
    UserFactory,
)

TESTS = Path(__file__).resolve().parents[1]
# A two-letter code as a test spells it: a quoted string literal in Python, a cell in a CSV.
CODE_IN_PYTHON = re.compile(r"""(?<![A-Za-z0-9])["']([A-Z]{2})["']""")
CODE_IN_CSV = re.compile(r"""(?:^|[,;\t])"?([A-Z]{2})"?(?=[,;\t\r\n]|$)""", re.MULTILINE)


def test_country_codes_cover_every_two_letter_code_but_the_hand_picked_ones():
    assert len(COUNTRY_CODES) == len(set(COUNTRY_CODES)) == 26 * 26 - len(HAND_PICKED_COUNTRY_CODES)
    assert all(re.fullmatch("[A-Z]{2}", code) for code in COUNTRY_CODES)


@pytest.mark.django_db
def test_hundreds_of_countries_and_regions_fit_beside_the_demo_content(demo):
    # Every code the country factory has (they run out before 700) and 700 regions, wherever
    # the sequences happen to stand after the tests before this one. Built by the factories,
    # then written in bulk: the database's unique constraints judge them, beside the demo's
    # real countries and regions, without each row's save signals.
    countries = CountryFactory.build_batch(len(COUNTRY_CODES))
    regions = RegionFactory.build_batch(700)
    before = Country.objects.count(), Region.objects.count()

    Country.objects.bulk_create(countries)
    Region.objects.bulk_create(regions)

    assert {country.iso_code for country in countries} == set(COUNTRY_CODES)
    assert Country.objects.count() == before[0] + len(COUNTRY_CODES)
    assert Region.objects.count() == before[1] + 700
    for country in countries[:3] + countries[-3:]:
        country.full_clean()  # the codes are valid ones, not only distinct
    for region in regions[:3] + regions[-3:]:
        region.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "field", "model"),
    [
        (CountryFactory, "iso_code", Country),
        (RegionFactory, "code", Region),
        (UserFactory, "username", get_user_model()),
    ],
)
def test_asking_for_an_existing_unique_value_is_an_error_not_the_existing_row(
    factory, field, model
):
    existing = factory()

    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**{field: getattr(existing, field)})

    assert model.objects.filter(**{field: getattr(existing, field)}).count() == 1


def test_no_test_spells_out_a_country_code_the_factory_may_make():
    spelt_out = {}
    for path in TESTS.rglob("*.py"):
        for code in CODE_IN_PYTHON.findall(path.read_text(encoding="utf-8")):
            spelt_out.setdefault(code, path.relative_to(TESTS))
    for path in (TESTS / "data").rglob("*.csv"):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for code in CODE_IN_CSV.findall(text):
            spelt_out.setdefault(code, path.relative_to(TESTS))

    factory_made = {code: str(path) for code, path in spelt_out.items() if code in COUNTRY_CODES}
    assert factory_made == {}, (
        "Add these codes to HAND_PICKED_COUNTRY_CODES in tests/factories.py, so that the "
        "country factory never makes them."
    )
