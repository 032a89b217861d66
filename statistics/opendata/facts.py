"""What is known of each public indicator as a dataset: its indicator (periods, data version),
the sources and areas of its public figures, and the territory notes its texts call for.

Public figures only (`Observation.objects.public()`): an indicator whose figures are all in
draft areas or staged releases is no dataset yet, and the sources, areas and periods of
hidden figures are never read. The catalogue reads every dataset in a fixed number of queries
(`catalogue_datasets`); the indicator page reuses what its view already read and adds two
(`page_dataset`).
"""

import datetime
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from formatting.periods import parse_period
from publishing.models import last_change
from regions.footnotes import FootnoteRegistry, footnoted_countries
from regions.models import Country, Region
from richtext.rendering import plain_text
from wbportal.views import absolute_url

from ..derived.page import derivation_of
from ..models import Indicator, Observation, Source

# schema.org's Dataset (Google's rich result): a description of 50 to 5,000 characters.
DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 5000


@dataclass(frozen=True)
class Area:
    """A place the public figures are of, as the portal's pages name it."""

    kind: str  # "country" or "region"
    code: str  # ISO 3166-1 alpha-2 (XK for Kosovo*), or the portal's region code
    name: str  # with the territory marker: "Kosovo*"
    url: str  # the area's page on the portal
    footnote: str = ""
    # The names a source gives figures filed under this area where that is not simply the
    # area ("Serbia and Kosovo: S/RES/1244 (1999)"): such figures are not the area's alone.
    labels: tuple[str, ...] = ()


@dataclass
class _Figures:
    """What one indicator's public figures say of where they are from (one query's rows)."""

    source_ids: set[int] = field(default_factory=set)
    unsourced: bool = False
    areas: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Dataset:
    # Annotated with first_period, last_period (IndicatorQuerySet.with_public_periods) and
    # latest_change (with_data_version): read through getattr.
    indicator: Indicator
    sources: tuple[Source, ...]  # its figures' and, for a computed one, its inputs'
    unsourced: bool  # some public figure names no source
    areas: tuple[Area, ...]
    name: str  # with territory markers ("Kosovo*") as pages write them
    description: str  # plain text, DESCRIPTION_MIN to DESCRIPTION_MAX characters
    notes: tuple[Country, ...]  # footnoted countries its texts or areas name

    @property
    def modified(self) -> datetime.datetime | None:
        """When the dataset last changed: its indicator's text or one of its public figures
        (the data version the downloads are keyed by), as the page's "Last updated"."""
        return last_change(
            self.indicator.updated_at, getattr(self.indicator, "latest_change", None)
        )

    @property
    def start(self) -> datetime.date:
        return parse_period(getattr(self.indicator, "first_period", "")).start

    @property
    def end(self) -> datetime.date:
        return parse_period(getattr(self.indicator, "last_period", "")).end

    @property
    def url(self) -> str:
        return absolute_url(self.indicator.get_absolute_url())


def _read_figures(observations: QuerySet[Observation]) -> dict[int, _Figures]:
    """Each indicator's sources, areas and source area names among `observations`, in one
    query (a row per distinct combination, not per figure)."""
    rows = (
        observations.order_by()
        .values_list(
            "indicator_id",
            "source_id",
            "area_label",
            "country__iso_code",
            "country__name",
            "country__slug",
            "country__footnote",
            "region__code",
            "region__name",
            "region__slug",
        )
        .distinct()
    )
    found: dict[int, _Figures] = {}
    for indicator_id, source_id, label, iso, c_name, c_slug, footnote, code, r_name, r_slug in rows:
        figures = found.setdefault(indicator_id, _Figures())
        if source_id is None:
            figures.unsourced = True
        else:
            figures.source_ids.add(source_id)
        if iso:
            key = ("country", iso)
            country = Country(name=c_name, slug=c_slug, iso_code=iso, footnote=footnote)
            area = {"name": country.display_name, "url": country.get_absolute_url()}
            area["footnote"] = footnote
        else:
            key = ("region", code)
            region = Region(name=r_name, slug=r_slug, code=code)
            area = {"name": r_name, "url": region.get_absolute_url(), "footnote": ""}
        entry = figures.areas.setdefault(key, {**area, "labels": set()})
        if label:
            entry["labels"].add(label)
    return found


def _areas(figures: _Figures) -> tuple[Area, ...]:
    return tuple(
        Area(
            kind=kind,
            code=code,
            name=entry["name"],
            url=absolute_url(entry["url"]),
            footnote=entry["footnote"],
            labels=tuple(sorted(entry["labels"])),
        )
        # Regions first (the wider view), then countries, each by name.
        for (kind, code), entry in sorted(
            figures.areas.items(), key=lambda item: (item[0][0] != "region", item[1]["name"])
        )
    )


def _marked(registry: FootnoteRegistry, text: str) -> str:
    """`text` with the territory marker after each footnoted country's name ("Kosovo*"), as
    plain text; the country is noted in `registry`."""
    return html.unescape(str(registry.scan(text, link=False)))


def _description(indicator: Indicator, registry: FootnoteRegistry) -> str:
    """The indicator's description as plain text; where it says too little for a catalogue,
    the page's own summary after it (what, which periods, what the page offers)."""
    # The page's summary sentence: one wording (imported here: the views import this module).
    from ..views import IndicatorDetailView

    text = _marked(registry, plain_text(indicator.description))
    if len(text) < DESCRIPTION_MIN:
        summary = _marked(registry, str(IndicatorDetailView.description(indicator)))
        text = f"{text} {summary}".strip()
    return text


def _with_notes(text: str, notes: Iterable[Country]) -> str:
    """`text`, then each territory note as the pages' footer words it, cut to fit
    DESCRIPTION_MAX at a word (the notes are never cut)."""
    lines = [f"* {country.name}: {country.footnote}" for country in notes]
    room = DESCRIPTION_MAX - sum(len(line) + 1 for line in lines)
    if len(text) > room:
        text = text[: room - 1].rsplit(" ", 1)[0] + "…"
    return "\n".join([text, *lines])


def _dataset(
    indicator: Indicator,
    sources: Iterable[Source],
    figures: _Figures,
    known: list[Country],
) -> Dataset:
    registry = FootnoteRegistry(loader=lambda: known)
    sources = tuple(sorted(sources, key=lambda source: source.name))
    areas = _areas(figures)
    name = _marked(registry, indicator.name)
    description = _description(indicator, registry)
    # Every name the dataset's records carry: the areas (Kosovo* among them is noted), the
    # names sources give them, the sources.
    for text in [
        *(area.name for area in areas),
        *(label for area in areas for label in area.labels),
        *(source.name for source in sources),
        *(source.publisher for source in sources),
    ]:
        _marked(registry, text)
    notes = tuple(note.country for note in registry.notes)
    return Dataset(
        indicator=indicator,
        sources=sources,
        unsourced=figures.unsourced,
        areas=areas,
        name=name,
        description=_with_notes(description, notes),
        notes=notes,
    )


def catalogue_datasets() -> list[Dataset]:
    """Every public indicator as a dataset, in the order of the statistics page: five
    queries however many indicators, figures and sources there are."""
    indicators = list(
        Indicator.objects.public()
        .with_public_periods()
        .with_data_version()
        .select_related("derivation")
    )
    figures = _read_figures(Observation.objects.public())
    wanted = {pk for found in figures.values() for pk in found.source_ids}
    sources = {source.pk: source for source in Source.objects.filter(pk__in=wanted)}
    known = footnoted_countries()
    datasets = []
    for indicator in indicators:
        own = figures.get(indicator.pk, _Figures())
        ids = set(own.source_ids)
        # A computed figure owes its inputs' sources too (a rate's population), as the page
        # and the downloads say (statistics.derived.page.with_input_sources).
        derivation = derivation_of(indicator)
        if derivation is not None:
            for input_id in (derivation.numerator_id, derivation.denominator_id):
                if input_id in figures:
                    ids |= figures[input_id].source_ids
        datasets.append(_dataset(indicator, (sources[pk] for pk in ids), own, known))
    return datasets


def page_dataset(indicator: Indicator, sources: Iterable[Source]) -> Dataset | None:
    """The dataset of an indicator page (all its areas), from the indicator and the sources
    its view read (with their inputs'): two queries. None when it has no public figure."""
    if not getattr(indicator, "first_period", None):
        return None
    figures = _read_figures(Observation.objects.public().filter(indicator=indicator))
    own = figures.get(indicator.pk, _Figures())
    return _dataset(indicator, sources, own, footnoted_countries())
