"""Category codes: a valid SDMX identifier for any category, the same for ever for the same
text whatever other categories exist, never one code for two categories, "_T" only for the
total."""

import re
from statistics.sdmx.structure import category_code

import pytest

# SDMX-ML 2.1's IDType.
SDMX_ID = re.compile(r"^[A-Za-z0-9_@$\-]+$")

CATEGORIES = [
    "Afghanistan",
    "Syrian Arab Republic",
    "Syrian_Arab_Republic",
    "Türkiye",
    "Turkiye",
    "Côte d'Ivoire",
    "Cote d Ivoire",
    "Србија",
    "中国",
    "_T",
    "T",
    "Men 15-64",
    "men 15-64",
    "a" * 200,
    "a" * 199 + "b",
]


@pytest.mark.parametrize(
    ("category", "code"),
    [
        ("", "_T"),
        ("Afghanistan", "Afghanistan"),
        ("Men-15-64", "Men-15-64"),
        ("Syrian Arab Republic", "Syrian_Arab_Republic_eef480e4"),
        ("Türkiye", "Turkiye_d15b2145"),
    ],
)
def test_codes_as_published(category, code):
    assert category_code(category) == code


def test_every_category_has_a_valid_code_of_its_own():
    codes = [category_code(category) for category in ["", *CATEGORIES]]
    assert all(SDMX_ID.match(code) for code in codes), codes
    assert len(set(codes)) == len(codes), codes
    assert codes.count("_T") == 1
    assert category_code("Србија").startswith("C_")
