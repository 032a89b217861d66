"""Observations as the contract's rows and CSV: what the admin, the command and the public
downloads write. Formula-like text is neutralised (cells.neutralise), so the file is safe to
open in a spreadsheet and imports again unchanged."""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet

from pages.models import SiteSettings
from regions.models import Country

from ..attribution import source_licence
from ..models import AreaName, Observation, Source
from .cells import format_number, neutralise
from .rows import COLUMNS, DOWNLOAD_COLUMNS


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


# --- the public downloads: the contract's columns, then names for people -----------------


def download_rows(
    queryset: QuerySet[Observation], site: object | None = None
) -> Iterator[list[str | Decimal | None]]:
    """DOWNLOAD_COLUMNS rows (header first) for observations, typed: the value a Decimal (None
    for a cell without a number), every other cell plain text, not yet neutralised (each
    writer does that: download_csv_chunks, statistics.downloads' XLSX).

    The contract's columns keep their places, so the file imports again as it is (an import
    ignores DOWNLOAD_ONLY_COLUMNS); after them the area's name (Kosovo* with its marker) and
    its footnote, the indicator's name and unit, the source's name and address and the
    licence its figures are under ("" where the source states none: its terms are in the
    README and the JSON). `site`: the SiteSettings, read only if a source is the portal's own
    compilation. Four queries: the sources, the countries, the source's names of areas that
    take in a footnoted one, the rows."""
    yield list(DOWNLOAD_COLUMNS)
    ordered = queryset.order_by(
        "indicator__code", "country__iso_code", "region__code", "period_start", "period", "category"
    )
    sources = {s.pk: s for s in Source.objects.filter(pk__in=queryset.values("source"))}
    if site is None and any(s.is_own_compilation for s in sources.values()):
        site = SiteSettings.objects.current()
    licences = {pk: source_licence(s, site) or {} for pk, s in sources.items()}
    countries = {
        c.pk: c for c in Country.objects.filter(pk__in=queryset.values("country")).order_by()
    }
    # A source's name for an area that takes in a footnoted one too (UNHCR's "Serbia and
    # Kosovo: S/RES/1244 (1999)", filed under Serbia): its rows carry that footnote.
    covered: dict[str, list[str]] = {}
    for label, name, footnote in AreaName.objects.filter(
        name__in=queryset.exclude(area_label="").values("area_label"),
        also_covers__footnote__gt="",
    ).values_list("name", "also_covers__name", "also_covers__footnote"):
        covered.setdefault(label, []).append(f"{name}*: {footnote}")
    rows = ordered.values_list(
        "indicator__code",
        "country_id",
        "region__code",
        "region__name",
        "period",
        "category",
        "value",
        "status",
        "source_id",
        "note",
        "qualifier",
        "area_label",
        "indicator__name",
        "indicator__unit",
    )
    for (
        indicator,
        country_id,
        region,
        region_name,
        period,
        category,
        value,
        status,
        source_id,
        note,
        qualifier,
        area_label,
        indicator_name,
        unit,
    ) in rows.iterator(chunk_size=5000):
        country = countries.get(country_id)
        source = sources.get(source_id)
        licence = licences.get(source_id, {})
        yield [
            indicator,
            country.iso_code if country else region or "",
            period,
            category,
            value,
            status,
            source.code if source else "",
            note,
            qualifier,
            area_label,
            country.display_name if country else region_name or "",
            " ".join(covered.get(area_label, [])) or (country.footnote if country else ""),
            indicator_name,
            unit,
            source.name if source else "",
            source.url if source else "",
            licence.get("name", ""),
            licence.get("url", ""),
        ]


def download_csv_chunks(
    rows: Iterable[list[str | Decimal | None]], regional: bool = False
) -> Iterator[str]:
    """download_rows() as CSV text in pieces (the first a BOM): text neutralised, values as
    "1234.5", or in the regional layout ";"-delimited with "1234,5"."""
    return csv_chunks(
        (
            [
                ("" if cell is None else format_number(cell)).replace(".", "," if regional else ".")
                if isinstance(cell, Decimal) or (cell is None and position == VALUE_POSITION)
                else neutralise(cell)
                for position, cell in enumerate(row)
            ]
            for row in rows
        ),
        regional,
    )


VALUE_POSITION = DOWNLOAD_COLUMNS.index("value")
