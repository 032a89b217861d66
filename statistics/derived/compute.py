"""The rules of derived figures, as pure functions over input rows: no query, no write.

- TOTAL: for each area and period, the sum of the numerator's category rows (category not
  blank), stored as the derived indicator's total (category blank). Not stored when any
  category of that area and period has no value (not available, suppressed: never a silent
  partial sum), when any is qualified ("more than", "about": a sum of bounds is no figure),
  or when the rows name the area differently (`area_label`): a total keeps the one label its
  inputs share.
- RATIO: for each area, period and category where both inputs have a value,
  numerator / denominator x scale, rounded half up (as the site rounds every figure) to the
  derived indicator's decimals. Not stored where either input is missing, has no value, is
  qualified, or the denominator is zero, or where the two rows name the area differently
  (UNHCR's "Serbia and Kosovo: S/RES/1244 (1999)" is never divided by Serbia's population).
- Status of a derived figure: provisional if any input is, else estimated if any is, else
  final only if every input is, else as published.
- Release: a figure computed from rows of a data release not yet public joins that release
  (public with it); inputs waiting for two different releases give no figure.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..models import STATUSES_WITHOUT_VALUE, ObservationStatus, ValueQualifier

# Why a figure was not computed (the keys of Computed.refused); the admin says them in words.
NO_VALUE = "no_value"  # an input has no value (not available, suppressed)
QUALIFIED = "qualified"  # an input is "more than", "less than" or "about"
AREA_LABELS = "area_labels"  # the inputs name the area differently
NO_DENOMINATOR = "no_denominator"  # a rate's denominator has no row for that place
ZERO_DENOMINATOR = "zero_denominator"
RELEASES = "releases"  # the inputs wait for different data releases
TAKEN = "taken"  # a figure that is not the portal's own holds that place (imported)

# The rounding of a rate, as formatting.display rounds what the site shows.
ROUNDING = ROUND_HALF_UP


@dataclass(frozen=True, slots=True)
class InputRow:
    """One stored observation of an input indicator, as the computation reads it."""

    country_id: int | None
    region_id: int | None
    period: str
    period_start: datetime.date
    period_end: datetime.date
    category: str
    value: Decimal | None
    qualifier: str
    status: str
    source_id: int | None
    area_label: str
    release_id: int | None

    # The columns to read, in this order (values_list).
    FIELDS = (
        "country_id",
        "region_id",
        "period",
        "period_start",
        "period_end",
        "category",
        "value",
        "qualifier",
        "status",
        "source_id",
        "area_label",
        "release_id",
    )

    @property
    def has_value(self) -> bool:
        return self.value is not None and self.status not in STATUSES_WITHOUT_VALUE

    @property
    def place(self) -> tuple[int | None, int | None, str]:
        return (self.country_id, self.region_id, self.period)


# (country_id, region_id, period, category): a derived figure's place.
Key = tuple[int | None, int | None, str, str]


@dataclass(frozen=True, slots=True)
class DerivedRow:
    """One computed figure of the derived indicator."""

    key: Key
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal
    status: str
    source_id: int | None
    area_label: str
    release_id: int | None
    # What goes into the note (the writer words it): how many categories a total adds, and
    # the source of a rate's denominator.
    count: int = 0
    denominator_source_id: int | None = None

    @property
    def category(self) -> str:
        return self.key[3]


@dataclass
class Computed:
    rows: list[DerivedRow] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)  # reason -> places not computed


def combined_status(statuses: Iterable[str]) -> str:
    """Provisional if any input is, else estimated if any is, else final only if all are,
    else as published (a source that says nothing of its status says nothing of the sum)."""
    statuses = set(statuses)
    if ObservationStatus.PROVISIONAL in statuses:
        return ObservationStatus.PROVISIONAL
    if ObservationStatus.ESTIMATED in statuses:
        return ObservationStatus.ESTIMATED
    if statuses == {ObservationStatus.FINAL}:
        return ObservationStatus.FINAL
    return ObservationStatus.AS_PUBLISHED


def release_of(release_ids: Iterable[int | None], pending: Set[int]) -> tuple[bool, int | None]:
    """(possible, release): the pending release a figure must wait for, None if its inputs
    are all public; not possible when they wait for two different releases."""
    waiting = {release for release in release_ids if release in pending}
    if len(waiting) > 1:
        return False, None
    return True, (next(iter(waiting)) if waiting else None)


def total(rows: Iterable[InputRow], pending: Set[int] = frozenset()) -> Computed:
    """The TOTAL of each area and period over the rows' categories."""
    places: dict[tuple, list[InputRow]] = {}
    for row in rows:
        if row.category:
            places.setdefault(row.place, []).append(row)
    computed = Computed()
    for place, parts in places.items():
        if not all(part.has_value for part in parts):
            computed.refused[NO_VALUE] += 1
            continue
        if any(part.qualifier != ValueQualifier.EXACT for part in parts):
            computed.refused[QUALIFIED] += 1
            continue
        labels = {part.area_label for part in parts}
        if len(labels) > 1:
            computed.refused[AREA_LABELS] += 1
            continue
        possible, release = release_of((part.release_id for part in parts), pending)
        if not possible:
            computed.refused[RELEASES] += 1
            continue
        sources = {part.source_id for part in parts}
        first = parts[0]
        computed.rows.append(
            DerivedRow(
                key=(*place, ""),
                period_start=first.period_start,
                period_end=first.period_end,
                value=sum((part.value or Decimal(0) for part in parts), Decimal(0)),
                status=combined_status(part.status for part in parts),
                source_id=sources.pop() if len(sources) == 1 else None,
                area_label=labels.pop(),
                release_id=release,
                count=len(parts),
            )
        )
    return computed


def ratio(
    numerators: Iterable[InputRow],
    denominators: Iterable[InputRow],
    scale: int,
    decimals: int,
    pending: Set[int] = frozenset(),
) -> Computed:
    """The RATIO of each area, period and category where both inputs have a value."""
    below = {(*row.place, row.category): row for row in denominators}
    step = Decimal(1).scaleb(-int(decimals))
    computed = Computed()
    for top in numerators:
        key = (*top.place, top.category)
        bottom = below.get(key)
        if bottom is None:
            computed.refused[NO_DENOMINATOR] += 1
            continue
        if not (top.has_value and bottom.has_value):
            computed.refused[NO_VALUE] += 1
            continue
        if top.qualifier != ValueQualifier.EXACT or bottom.qualifier != ValueQualifier.EXACT:
            computed.refused[QUALIFIED] += 1
            continue
        if top.area_label != bottom.area_label:
            computed.refused[AREA_LABELS] += 1
            continue
        if bottom.value == 0:
            computed.refused[ZERO_DENOMINATOR] += 1
            continue
        possible, release = release_of((top.release_id, bottom.release_id), pending)
        if not possible:
            computed.refused[RELEASES] += 1
            continue
        assert top.value is not None and bottom.value is not None  # has_value
        try:
            value = (top.value * scale / bottom.value).quantize(step, ROUNDING)
        except InvalidOperation:  # beyond what a Decimal of the context holds: no figure
            computed.refused[NO_VALUE] += 1
            continue
        computed.rows.append(
            DerivedRow(
                key=key,
                period_start=top.period_start,
                period_end=top.period_end,
                value=value,
                status=combined_status((top.status, bottom.status)),
                source_id=top.source_id,
                area_label=top.area_label,
                release_id=release,
                denominator_source_id=bottom.source_id,
            )
        )
    return computed


def input_rows(values: Iterable[Sequence]) -> list[InputRow]:
    """InputRows from `values_list(*InputRow.FIELDS)`."""
    return [InputRow(*values_row) for values_row in values]
