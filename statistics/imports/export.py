"""Observations as the contract's rows and CSV: what the admin, the command and the public
downloads write. Formula-like text is neutralised (cells.neutralise), so the file is safe to
open in a spreadsheet and imports again unchanged."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from ..models import Observation
from .cells import format_number, neutralise
from .rows import COLUMNS


def export_rows(
    queryset: QuerySet[Observation], decimal_comma: bool = False
) -> Iterator[list[str]]:
    """The contract's rows (header first) for observations, formula-like text neutralised.
    `decimal_comma`: values as "1234,5" (for the semicolon CSV), otherwise "1234.5"."""
    yield list(COLUMNS)
    rows = queryset.order_by(
        "indicator__code", "country__iso_code", "region__code", "period_start", "period", "category"
    ).values_list(
        "indicator__code",
        "country__iso_code",
        "region__code",
        "period",
        "category",
        "value",
        "status",
        "source__code",
        "note",
        "qualifier",
        "area_label",
    )
    for (
        indicator,
        country,
        region,
        period,
        category,
        value,
        status,
        source,
        note,
        qualifier,
        area_label,
    ) in rows.iterator(chunk_size=5000):
        yield [
            neutralise(indicator),
            neutralise(country or region),
            neutralise(period),
            neutralise(category),
            ""
            if value is None  # a cell without a number
            else format_number(value).replace(".", ",")
            if decimal_comma
            else format_number(value),
            neutralise(status),
            neutralise(source or ""),
            neutralise(note),
            qualifier,
            neutralise(area_label),
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[list[str]], regional: bool = False) -> Iterator[str]:
    """Rows (from export_rows) as CSV text in pieces, the first one a BOM."""
    writer = csv.writer(_Echo(), delimiter=";" if regional else ",", lineterminator="\r\n")
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def export_csv_chunks(queryset: QuerySet[Observation], regional: bool = False) -> Iterator[str]:
    """The CSV text in pieces (first piece starts with a BOM), for streaming or joining.

    `regional`: the layout Excel opens directly where the list separator is ";" and the
    decimal separator "," (the region's settings): semicolons and decimal commas. Both
    layouts import again unchanged."""
    return csv_chunks(export_rows(queryset, decimal_comma=regional), regional)


def export_csv_bytes(queryset: QuerySet[Observation], regional: bool = False) -> bytes:
    return "".join(export_csv_chunks(queryset, regional)).encode("utf-8")
