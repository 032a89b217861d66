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


def input_sources(indicator: Indicator) -> list[Source]:
    """The sources of the public figures a derived indicator is computed from (none for an
    imported one). A computed figure stores one source, its numerator's: a rate per 1,000
    inhabitants owes attribution to the population's source too, under its terms."""
    derivation = derivation_of(indicator)
    if derivation is None:
        return []
    inputs = [i for i in (derivation.numerator_id, derivation.denominator_id) if i]
    public = Observation.objects.public().filter(indicator_id__in=inputs)
    return list(Source.objects.filter(pk__in=public.values("source")).order_by("name"))


def with_input_sources(indicator: Indicator, sources: list[Source]) -> list[Source]:
    """`sources` (the indicator's own figures'), and those of its inputs, each once, by name."""
    extra = input_sources(indicator)
    if not extra:
        return sources
    merged = {source.pk: source for source in [*sources, *extra]}
    return sorted(merged.values(), key=lambda source: source.name)
