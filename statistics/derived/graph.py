"""Which derivations depend on which indicators, in the order they must be computed (a rate
over a total after the total), and the cycle a new definition would close.

The definitions are few (one per derived indicator): they are read in one query and walked
in memory.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Derivation

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Edge:
    """A derivation as the graph sees it: `inputs` -> `indicator`."""

    pk: int
    indicator: int
    inputs: tuple[int, ...]


def edges(exclude_pk: int | None = None) -> list[Edge]:
    rows = Derivation.objects.values_list("pk", "indicator_id", "numerator_id", "denominator_id")
    return [
        Edge(pk, indicator, tuple(i for i in (numerator, denominator) if i is not None))
        for pk, indicator, numerator, denominator in rows
        if pk != exclude_pk
    ]


def dependents(indicator_ids: Iterable[int], graph: list[Edge] | None = None) -> list[int]:
    """The pks of the derivations computed, directly or through other derived indicators,
    from these indicators, each after those it reads from. A cycle (which
    `Derivation.clean` refuses) stops the walk rather than looping."""
    graph = edges() if graph is None else graph
    changed = set(indicator_ids)
    affected: dict[int, Edge] = {}
    frontier = set(changed)
    while frontier:
        found = [e for e in graph if e.pk not in affected and frontier.intersection(e.inputs)]
        affected.update((e.pk, e) for e in found)
        frontier = {e.indicator for e in found}
    # Kahn's order among the affected: a derivation waits for those computing its inputs.
    made_by = {e.indicator: e.pk for e in affected.values()}
    waiting = {
        pk: {made_by[i] for i in e.inputs if i in made_by and made_by[i] != pk}
        for pk, e in affected.items()
    }
    ordered: list[int] = []
    ready = sorted(pk for pk, needs in waiting.items() if not needs)
    while ready:
        pk = ready.pop(0)
        ordered.append(pk)
        for other, needs in waiting.items():
            if pk in needs:
                needs.discard(pk)
                if not needs and other not in ordered and other not in ready:
                    ready.append(other)
    if len(ordered) < len(affected):
        logger.warning(
            "Derivations in a cycle were not computed: %s",
            sorted(pk for pk in affected if pk not in ordered),
        )
    return ordered


def cycle_through(
    indicator_id: int, input_ids: Iterable[int], exclude_pk: int | None = None
) -> list[int]:
    """The indicators of the cycle that computing `indicator_id` from `input_ids` would close
    (starting and ending with `indicator_id`), or [] when there is none."""
    graph = edges(exclude_pk)
    computed_from: dict[int, list[int]] = {}  # input -> derived indicators
    for edge in graph:
        for input_id in edge.inputs:
            computed_from.setdefault(input_id, []).append(edge.indicator)
    targets = set(input_ids)
    # Depth-first from the derived indicator along "is an input of": reaching an input of
    # its own closes a cycle.
    stack = [(indicator_id, [indicator_id])]
    seen = {indicator_id}
    while stack:
        node, path = stack.pop()
        if node in targets:
            return [*path, indicator_id]
        for following in computed_from.get(node, []):
            if following not in seen:
                seen.add(following)
                stack.append((following, [*path, following]))
    return [indicator_id] if indicator_id in targets else []
