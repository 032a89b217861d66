"""Computing a derivation and storing its figures: the derived indicator's observations
(`is_derived`) are compared with what is stored and only the difference is written (new rows
created, changed rows updated, rows no longer computed deleted), so an unchanged figure keeps
its `updated_at` and an unchanged computation bumps no page cache.

Runs in the caller's transaction (a savepoint of its own): an import, an undo, an admin save.
A few queries whatever the number of rows: one per input indicator, one for the stored
figures, the sources named in the notes, pending releases if any input has one, then the
writes in batches.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from formatting.display import format_number
from pagecache.signals import content_changed

from ..models import DataRelease, Derivation, DerivationMethod, Observation, Source
from . import compute, graph

BATCH_SIZE = 2000
UPDATE_BATCH_SIZE = 500
DELETE_CHUNK = 900  # ids per query (SQLite's limit on a statement's parameters)
# What the writer compares and writes of a derived figure.
STORED = ["value", "qualifier", "status", "source_id", "note", "area_label", "release_id"]


@dataclass
class Result:
    """What one computation did. `stored`: the figures the derived indicator now has."""

    derivation: Derivation
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    refused: Counter = field(default_factory=Counter)

    @property
    def stored(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


def _rows_of(indicator_id: int) -> list[compute.InputRow]:
    values = Observation.objects.filter(indicator_id=indicator_id).values_list(
        *compute.InputRow.FIELDS
    )
    return compute.input_rows(values.order_by().iterator(chunk_size=5000))


def _pending(*groups: list[compute.InputRow]) -> set[int]:
    ids = {row.release_id for rows in groups for row in rows if row.release_id is not None}
    if not ids:
        return set()
    return set(DataRelease.objects.pending().filter(pk__in=ids).values_list("pk", flat=True))


def source_name(source: Source | None) -> str:
    if source is None:
        return _("no source stated")
    return source.publisher or source.name


def note_for(derivation: Derivation, row: compute.DerivedRow, sources: dict) -> str:
    """How the figure was derived, in the site's language (stored with it, as an imported
    note is): "Sum of 52 categories (Origin) of Refugees hosted." or "Refugees hosted ÷
    Population × 1,000; Population: World Bank."."""
    numerator = derivation.numerator
    if derivation.method == DerivationMethod.TOTAL:
        if numerator.breakdown_label:
            return ngettext(
                "Sum of %(count)s category (%(breakdown)s) of %(indicator)s.",
                "Sum of %(count)s categories (%(breakdown)s) of %(indicator)s.",
                row.count,
            ) % {
                "count": format_number(row.count),
                "breakdown": numerator.breakdown_label,
                "indicator": numerator.name,
            }
        return ngettext(
            "Sum of %(count)s category of %(indicator)s.",
            "Sum of %(count)s categories of %(indicator)s.",
            row.count,
        ) % {"count": format_number(row.count), "indicator": numerator.name}
    denominator = derivation.denominator
    assert denominator is not None  # a rate's (Derivation.clean)
    words = {
        "numerator": numerator.name,
        "denominator": denominator.name,
        "scale": format_number(derivation.scale),
        "source": source_name(sources.get(row.denominator_source_id)),
    }
    if derivation.scale == 1:
        return _("%(numerator)s ÷ %(denominator)s; %(denominator)s: %(source)s.") % words
    return _("%(numerator)s ÷ %(denominator)s × %(scale)s; %(denominator)s: %(source)s.") % words


def compute_rows(derivation: Derivation) -> compute.Computed:
    """The derivation's figures from its inputs as stored now (reads, writes nothing)."""
    numerators = _rows_of(derivation.numerator_id)
    if derivation.method == DerivationMethod.TOTAL:
        return compute.total(numerators, _pending(numerators))
    assert derivation.denominator_id is not None  # a rate's (Derivation.clean)
    denominators = _rows_of(derivation.denominator_id)
    return compute.ratio(
        numerators,
        denominators,
        derivation.scale,
        derivation.indicator.decimals,
        _pending(numerators, denominators),
    )


def recompute(derivation: Derivation) -> Result:
    """Compute `derivation` and store the difference; stamps `computed_at`."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _recompute(derivation)


def _recompute(derivation: Derivation) -> Result:
    computed = compute_rows(derivation)
    result = Result(derivation, refused=computed.refused)
    source_ids = {r.source_id for r in computed.rows} | {
        r.denominator_source_id for r in computed.rows
    }
    source_ids.discard(None)
    sources = Source.objects.in_bulk(source_ids) if source_ids and derivation.denominator_id else {}
    stored: dict[compute.Key, tuple] = {}
    taken: set[compute.Key] = set()
    existing = Observation.objects.filter(indicator_id=derivation.indicator_id).values_list(
        "pk", "country_id", "region_id", "period", "category", "is_derived", *STORED
    )
    for pk, country, region, period, category, is_derived, *fields in existing.order_by():
        key = (country, region, period, category)
        if is_derived:
            stored[key] = (pk, tuple(fields))
        else:
            taken.add(key)  # refused by imports and the admin; never overwritten here
    now = timezone.now()
    to_create: list[Observation] = []
    to_update: list[Observation] = []
    for row in computed.rows:
        if row.key in taken:
            result.refused[compute.TAKEN] += 1
            continue
        fields = (
            row.value,
            "",
            row.status,
            row.source_id,
            note_for(derivation, row, sources),
            row.area_label,
            row.release_id,
        )
        found = stored.pop(row.key, None)
        if found is None:
            country, region, period, category = row.key
            to_create.append(
                Observation(
                    indicator_id=derivation.indicator_id,
                    country_id=country,
                    region_id=region,
                    period=period,
                    period_start=row.period_start,
                    period_end=row.period_end,
                    category=category,
                    is_derived=True,
                    updated_at=now,
                    **dict(zip(STORED, fields, strict=True)),
                )
            )
        elif _same(found[1], fields):
            result.unchanged += 1
        else:
            to_update.append(
                Observation(pk=found[0], updated_at=now, **dict(zip(STORED, fields, strict=True)))
            )
    stale = [pk for pk, _fields in stored.values()]  # no longer computed
    for start in range(0, len(to_create), BATCH_SIZE):
        Observation.objects.bulk_create(to_create[start : start + BATCH_SIZE])
    for start in range(0, len(to_update), UPDATE_BATCH_SIZE):
        Observation.objects.bulk_update(
            to_update[start : start + UPDATE_BATCH_SIZE],
            [name.removesuffix("_id") for name in STORED] + ["updated_at"],
        )
    for start in range(0, len(stale), DELETE_CHUNK):
        Observation.objects.filter(pk__in=stale[start : start + DELETE_CHUNK]).delete()
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(stale)
    if result.written:
        # Inside the transaction: a page cache that cannot be told rolls the change back.
        content_changed.send(sender=Observation, count=result.written)
    Derivation.objects.filter(pk=derivation.pk).update(computed_at=now)
    derivation.computed_at = now
    return result


def _same(stored: tuple, computed: tuple) -> bool:
    value, *rest = stored
    new_value, *new_rest = computed
    same_value = value is not None and Decimal(value) == new_value
    return same_value and tuple(rest) == tuple(new_rest)


def recompute_for(indicator_ids: Iterable[int]) -> int:
    """Recompute every derivation computed, directly or through another derived indicator,
    from these indicators, in dependency order (a rate over a total after the total).
    Returns how many derived figures were written (created, changed or deleted)."""
    results = recompute_all(graph.dependents(indicator_ids))
    return sum(result.written for result in results)


def lock(derivation_pks: Iterable[int]) -> None:
    """Hold these derivations' rows until the caller's transaction ends (PostgreSQL; SQLite
    writes one transaction at a time anyway), taken in one order so two callers never wait
    for each other. Two imports writing inputs of one total at once: the second computes
    only once the first has committed, so it reads the first's inputs too; without the lock
    each sums what it alone sees, and the later write drops the other's rows from the total
    (or its insert of the same total fails)."""
    pks = sorted(set(derivation_pks))
    if pks:
        list(Derivation.objects.select_for_update().filter(pk__in=pks).order_by("pk").values("pk"))


def recompute_all(derivation_pks: list[int]) -> list[Result]:
    """Recompute these derivations in this order (each locked first: see `lock`)."""
    if not derivation_pks:
        return []
    with transaction.atomic():
        lock(derivation_pks)
        by_pk = Derivation.objects.select_related("indicator", "numerator", "denominator").in_bulk(
            derivation_pks
        )
        return [recompute(by_pk[pk]) for pk in derivation_pks if pk in by_pk]


def recompute_indicator(indicator_id: int) -> list[Result]:
    """After a change of the indicator itself (its name or breakdown label, which notes
    quote; its decimals, to which rates are rounded): its own derivation if it is derived,
    then every derivation computed from it."""
    own = list(Derivation.objects.filter(indicator_id=indicator_id).values_list("pk", flat=True))
    return recompute_all(own + [pk for pk in graph.dependents([indicator_id]) if pk not in own])


def recompute_all_derivations() -> list[Result]:
    """Every derivation, each after those it reads from (after a load of fixtures, which
    writes no figure of its own: `manage.py recompute_derived`)."""
    everything = graph.edges()
    inputs = {i for edge in everything for i in edge.inputs}
    ordered = graph.dependents(inputs, everything)
    return recompute_all(ordered)


def recompute_with_dependents(derivation: Derivation) -> list[Result]:
    """Recompute `derivation` (just defined or changed), then those computed from its
    indicator. The first result is the derivation's own."""
    with transaction.atomic():
        dependents = graph.dependents([derivation.indicator_id])
        lock([derivation.pk, *dependents])
        own = recompute(derivation)
        return [own, *recompute_all(dependents)]


def forget(derivation: Derivation) -> int:
    """Delete the figures of a derivation about to be deleted, then recompute those computed
    from its indicator (which lose that input). Returns how many of its figures were deleted."""
    with transaction.atomic():
        pks = list(
            Observation.objects.filter(
                indicator_id=derivation.indicator_id, is_derived=True
            ).values_list("pk", flat=True)
        )
        for start in range(0, len(pks), DELETE_CHUNK):
            Observation.objects.filter(pk__in=pks[start : start + DELETE_CHUNK]).delete()
        if pks:
            content_changed.send(sender=Observation, count=len(pks))
        dependent = [
            pk for pk in graph.dependents([derivation.indicator_id]) if pk != derivation.pk
        ]
        recompute_all(dependent)
        return len(pks)
