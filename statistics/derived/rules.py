"""What a derivation's definition must respect, checked by `Derivation.clean` (so by its
admin form and any `full_clean`):

- no cycle: a derived indicator is never computed, directly or through others, from itself;
- cases and persons never mix: a rate divides cases by cases or persons by persons, and a
  total counts what its input counts (a unit that names "case" never meets one that does
  not);
- the derived indicator holds no figure of another origin (imported or typed in): its
  figures are all the portal's own.
"""

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
