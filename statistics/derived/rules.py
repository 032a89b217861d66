"""What a derivation's definition must respect, checked by `Derivation.clean` (so by its
admin form and any `full_clean`):

- no cycle: a derived indicator is never computed, directly or through others, from itself;
- cases and persons never mix: a rate divides cases by cases or persons by persons, and a
  total counts what its input counts (a unit that names "case" never meets one that does
  not);
- the derived indicator holds no figure of another origin (imported or typed in): its
  figures are all the portal's own.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Derivation, DerivationMethod, Indicator, Observation
from . import graph


def counts_cases(unit: str) -> bool:
    return "case" in unit.lower()


def definition_errors(derivation: Derivation) -> dict[str, str]:
    """Field -> message for what the definition breaks (empty when it is sound). Only checks
    what the model's own clean has not refused already."""
    errors: dict[str, str] = {}
    input_ids = [i for i in (derivation.numerator_id, derivation.denominator_id) if i]
    if not derivation.indicator_id or not input_ids:
        return errors
    wanted = {derivation.indicator_id, *input_ids}
    indicators = Indicator.objects.in_bulk(wanted)
    derived = indicators.get(derivation.indicator_id)
    numerator = indicators.get(derivation.numerator_id)
    denominator = indicators.get(derivation.denominator_id)
    if derived is None or numerator is None:
        return errors
    cycle = graph.cycle_through(derivation.indicator_id, input_ids, exclude_pk=derivation.pk)
    if cycle:
        names = " → ".join(str(indicators.get(i) or Indicator.objects.get(pk=i)) for i in cycle)
        errors["numerator"] = _(
            "This would compute %(indicator)s from itself (%(cycle)s). Choose other inputs."
        ) % {"indicator": derived, "cycle": names}
    if derivation.method == DerivationMethod.RATIO and denominator is not None:
        if counts_cases(numerator.unit) != counts_cases(denominator.unit):
            errors["denominator"] = _(
                "Cases and persons never mix: %(numerator)s counts %(numerator_unit)s and "
                "%(denominator)s counts %(denominator_unit)s."
            ) % {
                "numerator": numerator,
                "numerator_unit": numerator.unit,
                "denominator": denominator,
                "denominator_unit": denominator.unit,
            }
    if derivation.method == DerivationMethod.TOTAL and counts_cases(numerator.unit) != counts_cases(
        derived.unit
    ):
        errors["numerator"] = _(
            "Cases and persons never mix: %(numerator)s counts %(numerator_unit)s, and its "
            "total %(indicator)s counts %(unit)s."
        ) % {
            "numerator": numerator,
            "numerator_unit": numerator.unit,
            "indicator": derived,
            "unit": derived.unit,
        }
    others = Observation.objects.filter(indicator_id=derived.pk, is_derived=False).count()
    if others:
        errors["indicator"] = ngettext(
            "%(indicator)s holds %(count)d figure that was imported or typed in. A derived "
            "indicator's figures are all computed: delete it first, or choose a new indicator.",
            "%(indicator)s holds %(count)d figures that were imported or typed in. A derived "
            "indicator's figures are all computed: delete those first, or choose a new "
            "indicator.",
            others,
        ) % {"indicator": derived, "count": others}
    return errors


def unit_change_errors(indicator: Indicator, unit: str) -> list[str]:
    """Why `indicator` may not count `unit` (its admin form's check): a derivation it is the
    figure, numerator or denominator of would then mix cases and persons, which its own
    definition's check refused."""
    if not indicator.pk:
        return []
    errors = []
    derivations = Derivation.objects.filter(
        Q(indicator=indicator) | Q(numerator=indicator) | Q(denominator=indicator)
    ).select_related("indicator", "numerator", "denominator")
    for derivation in derivations:

        def unit_of(other: Indicator) -> str:
            return unit if other.pk == indicator.pk else other.unit

        if derivation.method == DerivationMethod.RATIO and derivation.denominator is not None:
            pair = (derivation.numerator, derivation.denominator)
        else:
            pair = (derivation.numerator, derivation.indicator)
        if counts_cases(unit_of(pair[0])) != counts_cases(unit_of(pair[1])):
            errors.append(
                _(
                    "Cases and persons never mix: %(indicator)s is computed from "
                    "%(inputs)s, which would then count %(first)s and %(second)s."
                )
                % {
                    "indicator": derivation.indicator,
                    "inputs": " ÷ ".join(
                        str(i) for i in (derivation.numerator, derivation.denominator) if i
                    ),
                    "first": unit_of(pair[0]),
                    "second": unit_of(pair[1]),
                }
            )
    return errors
