"""What an import changes in existing observations, field by field, as people read it.

The preview (before confirming) and an import record's page (after) both show it, grouped:
"70 observations: status Estimated -> As published", with a few examples each (indicator,
area, period, category, old -> new). A field whose old and new values are few (status,
qualifier, source, the area as the source names it) is grouped by the pair; value and note
by the field alone, since nearly every row has its own pair. Values read through
formatting.display (the locale's numbers).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from formatting.display import format_exact, format_period
from regions.models import Country, Region

from ..models import Indicator, ObservationStatus, Source, ValueQualifier
from .rows import WRITTEN_FIELDS, Key, Written

EXAMPLES = 3  # examples shown for each group
# Fields whose changes are grouped by (old, new); the others by the field alone.
PAIRED = frozenset({"qualifier", "status", "source_id", "area_label"})
NOTE_CHARS = 80  # a note is shortened to this in examples

FIELD_LABELS = {
    "value": gettext_lazy("value"),
    "qualifier": gettext_lazy("qualifier"),
    "status": gettext_lazy("status"),
    "source_id": gettext_lazy("source"),
    "note": gettext_lazy("note"),
    "area_label": gettext_lazy("area as the source names it"),
}


@dataclass
class Example:
    key: Key
    old: Any
    new: Any
    # Filled in by ChangeSummary.finish(): how the example reads.
    place: str = ""
    old_text: str = ""
    new_text: str = ""


@dataclass
class ChangeGroup:
    """Observations whose field `name` changed (from `old` to `new`, for a PAIRED field)."""

    name: str
    old: Any = None
    new: Any = None
    count: int = 0
    examples: list[Example] = field(default_factory=list)
    label: str = ""  # "status", as people read it
    old_text: str = ""  # for a PAIRED field
    new_text: str = ""

    @property
    def paired(self) -> bool:
        return self.name in PAIRED

    @property
    def more(self) -> int:
        """How many observations of the group the examples leave out."""
        return self.count - len(self.examples)


class ChangeSummary:
    """Collects the changes of an import's updated rows; finish() makes them readable."""

    def __init__(self) -> None:
        self._groups: dict[tuple[str, Any, Any], ChangeGroup] = {}
        self.observations = 0  # observations with at least one changed field
        self.groups: list[ChangeGroup] = []

    def __bool__(self) -> bool:
        return self.observations > 0

    def add(self, key: Key, before: Written, after: Written) -> None:
        """One existing observation (`key`) whose written fields go from `before` to `after`."""
        changed = False
        for name, old, new in zip(WRITTEN_FIELDS, before, after, strict=True):
            if old == new:
                continue
            changed = True
            group_key = (name, old, new) if name in PAIRED else (name, None, None)
            group = self._groups.get(group_key)
            if group is None:
                group = self._groups[group_key] = ChangeGroup(name, *group_key[1:])
            group.count += 1
            if len(group.examples) < EXAMPLES:
                group.examples.append(Example(key, old, new))
        self.observations += changed

    def finish(self) -> "ChangeSummary":
        """Order the groups (largest first) and name what they show, in a few queries."""
        self.groups = sorted(
            self._groups.values(),
            key=lambda group: (-group.count, WRITTEN_FIELDS.index(group.name)),
        )
        if not self.groups:
            return self
        examples = [example for group in self.groups for example in group.examples]
        names = _Names(
            indicators={example.key[0] for example in examples},
            countries={example.key[1] for example in examples if example.key[1]},
            regions={example.key[2] for example in examples if example.key[2]},
            sources={
                value
                for group in self.groups
                if group.name == "source_id"
                for value in (group.old, group.new)
                if value
            },
        )
        for group in self.groups:
            group.label = str(FIELD_LABELS[group.name])
            if group.paired:
                group.old_text = names.text(group.name, group.old)
                group.new_text = names.text(group.name, group.new)
            for example in group.examples:
                example.place = names.place(example.key)
                example.old_text = names.text(group.name, example.old)
                example.new_text = names.text(group.name, example.new)
        return self

    def lines(self) -> list[str]:
        """The summary as plain text lines (the command prints them), after finish()."""
        lines = []
        for group in self.groups:
            count = ngettext("%(count)d observation", "%(count)d observations", group.count) % {
                "count": group.count
            }
            if group.paired:
                what = f"{group.label} {group.old_text} -> {group.new_text}"
            else:
                what = _("%(field)s changed") % {"field": group.label}
            lines.append(f"{count}: {what}")
            lines += [
                f"  {example.place}: {example.old_text} -> {example.new_text}"
                for example in group.examples
            ]
            if group.more:
                lines.append("  " + _("and %(count)d more") % {"count": group.more})
        return lines


class _Names:
    """The names of the few indicators, areas and sources the examples mention."""

    def __init__(
        self,
        indicators: Iterable[int],
        countries: Iterable[int | None],
        regions: Iterable[int | None],
        sources: Iterable[int],
    ) -> None:
        self.indicators = dict(
            Indicator.objects.filter(pk__in=indicators).values_list("pk", "name")
        )
        self.countries = dict(Country.objects.filter(pk__in=countries).values_list("pk", "name"))
        self.regions = dict(Region.objects.filter(pk__in=regions).values_list("pk", "name"))
        self.sources = dict(Source.objects.filter(pk__in=sources).values_list("pk", "name"))

    def place(self, key: Key) -> str:
        indicator, country, region, period, category = key
        area = self.countries.get(country) if country else self.regions.get(region)
        parts = [self.indicators.get(indicator, ""), area or "", format_period(period)]
        if category:
            parts.append(category)
        return ", ".join(part for part in parts if part)

    def text(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return _("(blank)")
        if name == "value":
            return format_exact(value if isinstance(value, Decimal) else Decimal(str(value)))
        if name == "status":
            return str(ObservationStatus(value).label)
        if name == "qualifier":
            return str(ValueQualifier(value).label)
        if name == "source_id":
            return self.sources.get(value, str(value))
        text = str(value)
        return text if len(text) <= NOTE_CHARS else text[: NOTE_CHARS - 1] + "\u2026"
