"""Observations as SDMX-CSV 2.0: a row per figure, the codes of the structure message
(structure.py) in its columns, periods as SDMX TIME_PERIODs.

The columns: STRUCTURE ("dataflow"), STRUCTURE_ID (WBPORTAL:DF_INDICATORS(1.0)), ACTION
("I": information, the file is a dissemination, not an update to apply), the dimensions,
OBS_VALUE, then the attributes. UTF-8 without a byte order mark, "," between columns, a
decimal point, as SDMX-CSV wants; text exactly as stored (a reader compares it with the
source: no spreadsheet neutralising, which the portal's own CSV does for people).
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from formatting.periods import sdmx_time_period

from ..imports.cells import format_number
from ..models import Observation, ObservationQuerySet
from .structure import (
    COMPUTED_CODE,
    STRUCTURE_ID,
    attributes,
    category_code,
    dimensions,
    measure,
    obs_status,
    qualifier_code,
)

DATA_MEDIA_TYPE = "application/vnd.sdmx.data+csv;version=2.0.0"


def header() -> list[str]:
    return [
        "STRUCTURE",
        "STRUCTURE_ID",
        "ACTION",
        *(dimension.id for dimension in dimensions()),
        measure().id,
        *(attribute.id for attribute in attributes()),
    ]


def row(observation: Observation) -> list[str]:
    """In header() order."""
    value = observation.value
    return [
        "dataflow",
        STRUCTURE_ID,
        "I",
        observation.indicator.code,
        observation.area_code,
        category_code(observation.category),
        sdmx_time_period(observation.period),
        "" if value is None else format_number(value),
        obs_status(observation.status),
        qualifier_code(observation.qualifier),
        observation.indicator.unit,
        observation.source.code if observation.source else "",
        COMPUTED_CODE if observation.is_derived else "",
        observation.area_label,
        observation.note,
    ]


class TooLarge(Exception):
    """More rows than the caller's limit: the file is not built."""


@dataclass(frozen=True)
class SdmxFile:
    content: bytes
    rows: int
    first_period: str  # the earliest starting period, "" without rows
    last_period: str  # the latest ending one


def sort_key(observation: Observation) -> tuple:
    return (
        observation.indicator.order,
        observation.indicator.code,
        observation.area_code,
        observation.category,
        observation.period_start,
        observation.period_end,
    )


def sdmx_csv(observations: ObservationQuerySet, limit: int) -> SdmxFile:
    """The SDMX-CSV file of `observations` (public ones: the caller's queryset), in
    indicator, area, category and period order. One query; TooLarge above `limit` rows."""
    rows = list(observations.with_related()[: limit + 1])
    if len(rows) > limit:
        raise TooLarge
    rows.sort(key=sort_key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header())
    writer.writerows(row(observation) for observation in rows)
    return SdmxFile(
        content=out.getvalue().encode("utf-8"),
        rows=len(rows),
        first_period=_first(rows),
        last_period=_last(rows),
    )


def _first(rows: Iterable[Observation]) -> str:
    first = min(rows, key=lambda o: (o.period_start, o.period_end), default=None)
    return first.period if first else ""


def _last(rows: Iterable[Observation]) -> str:
    last = max(rows, key=lambda o: (o.period_end, o.period_start), default=None)
    return last.period if last else ""
