"""What an indicator page says of a derived indicator: how its figures are computed and from
which inputs, with each input's sources (the block templates/statistics/_derivation.html)."""

from dataclasses import dataclass

from ..models import Derivation, DerivationMethod, Indicator, Observation, Source


@dataclass(frozen=True)
class Input:
    indicator: Indicator
    role: str  # "numerator" or "denominator"
    sources: list[Source]


@dataclass(frozen=True)
class HowDerived:
    derivation: Derivation
    inputs: list[Input]

    @property
    def is_total(self) -> bool:
        return self.derivation.method == DerivationMethod.TOTAL

    @property
    def numerator(self) -> Input:
        return self.inputs[0]

    @property
    def denominator(self) -> Input | None:
        return self.inputs[1] if len(self.inputs) > 1 else None


def derivation_of(indicator: Indicator) -> Derivation | None:
    """The indicator's definition, or None: no query when the view selected it with the
    indicator (`select_related("derivation__numerator", "derivation__denominator")`)."""
    try:
        return indicator.derivation
    except Derivation.DoesNotExist:
        return None


def how_derived(indicator: Indicator) -> HowDerived | None:
    """None for an indicator whose figures are not computed. One query an input (its public
    figures' sources) for one that is."""
    derivation = derivation_of(indicator)
    if derivation is None:
        return None
    inputs = []
    for role, input_indicator in (
        ("numerator", derivation.numerator),
        ("denominator", derivation.denominator),
    ):
        if input_indicator is None:
            continue
        public = Observation.objects.public().filter(indicator=input_indicator)
        sources = list(Source.objects.filter(pk__in=public.values("source")).order_by("name"))
        inputs.append(Input(input_indicator, role, sources))
    return HowDerived(derivation, inputs)
