"""Builders for the derived-figure tests: derivations saved as a Data manager's form would
(full_clean), inputs made with the factories, figures read back by place."""

from statistics.models import Derivation, DerivationMethod, Observation

from tests.factories import ObservationFactory


def derive(indicator, method, numerator, denominator=None, scale=1, **fields):
    derivation = Derivation(
        indicator=indicator,
        method=method,
        numerator=numerator,
        denominator=denominator,
        scale=scale,
        **fields,
    )
    derivation.full_clean()
    derivation.save()
    return derivation


def total_of(indicator, numerator, **fields):
    return derive(indicator, DerivationMethod.TOTAL, numerator, **fields)


def put(indicator, area, period, category="", value=100, **fields):
    return ObservationFactory(
        indicator=indicator,
        country=area,
        region=None,
        period=period,
        category=category,
        value=value,
        **fields,
    )


def figures(indicator):
    """{(period, category): observation} of the indicator's stored figures."""
    return {(o.period, o.category): o for o in Observation.objects.filter(indicator=indicator)}


def value_of(indicator, period, category=""):
    found = figures(indicator).get((period, category))
    return None if found is None else found.value
