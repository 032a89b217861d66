"""`manage.py recompute_derived`: figures of derivations loaded as fixtures (which write no
figure) are computed, each after those it reads from; a second run changes nothing."""

from io import StringIO
from statistics.models import Derivation, DerivationMethod

import pytest
from django.core.management import call_command

from tests.factories import IndicatorFactory

from .build import put, value_of

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("recompute_derived", *args, stdout=out)
    return out.getvalue()


def test_every_derivation_is_computed_in_dependency_order(country, hosted, hosted_total):
    population = IndicatorFactory(unit="people")
    rate = IndicatorFactory(name="Per 1,000", unit="per 1,000")
    put(hosted, country, "2024", "Syria", 600)
    put(hosted, country, "2024", "Iraq", 400)
    put(population, country, "2024", "", 10000)
    # As a fixture loads them: saved without computing anything, the rate first.
    Derivation.objects.create(
        indicator=rate,
        method=DerivationMethod.RATIO,
        numerator=hosted_total,
        denominator=population,
        scale=1000,
    )
    Derivation.objects.create(
        indicator=hosted_total, method=DerivationMethod.TOTAL, numerator=hosted
    )

    said = run()

    assert value_of(hosted_total, "2024") == 1000
    assert value_of(rate, "2024") == 100
    assert said.index("of Refugees hosted, all origins") < said.index("of Per 1,000")
    assert "(0 new, 0 changed, 0 removed, 1 unchanged)" in run("--indicator", hosted.code)
