"""What a row's codes and names resolve to: loaded once per import, checked in memory.

Each method takes a cell's text and returns what is stored (an id, a status, a Period) or
raises ValueError with a message that lists what is accepted.
"""

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from formatting.periods import Period, parse_period
from regions.models import Country, Region

from ..models import Derivation, Indicator, ObservationStatus, Source, ValueQualifier

MAX_LISTED = 12

# How a file may write a qualifier in its `qualifier` column (case-insensitive): the code, the
# words, or the sign a source prints before the number. "+" means "more than" only in this
# column: in the value column it could as well be the plus sign of a change (+5), so there
# it is refused rather than guessed.
QUALIFIER_SPELLINGS = {
    ValueQualifier.MORE_THAN: ("more_than", "more than", ">", "+"),
    ValueQualifier.LESS_THAN: ("less_than", "less than", "<"),
    ValueQualifier.ABOUT: ("about", "~", "\u2248"),
}
QUALIFIERS = {
    spelling: qualifier
    for qualifier, spellings in QUALIFIER_SPELLINGS.items()
    for spelling in spellings
}


def known(values: Iterable[str]) -> str:
    """The first MAX_LISTED of `values`, sorted, and how many more there are."""
    ordered = sorted(values)
    shown = ", ".join(ordered[:MAX_LISTED])
    if len(ordered) > MAX_LISTED:
        shown += " " + _("and %(count)d more") % {"count": len(ordered) - MAX_LISTED}
    return shown


def qualifier(text: str) -> str:
    """The qualifier a `qualifier` cell names (blank: an exact number)."""
    if not text:
        return ValueQualifier.EXACT
    found = QUALIFIERS.get(" ".join(text.lower().split()))
    if found is None:
        raise ValueError(
            _(
                "Unknown qualifier '%(text)s'. Accepted: more_than (or 'more than', '>', "
                "'+'), less_than (or 'less than', '<'), about (or '~'); blank for an "
                "exact number."
            )
            % {"text": text}
        )
    return found


class Lookups:
    """Everything rows are checked against, loaded once per import."""

    def __init__(self) -> None:
        self.indicators: dict[str, int] = dict(Indicator.objects.values_list("code", "pk"))
        self.indicators_lower = {code.lower(): pk for code, pk in self.indicators.items()}
        # Indicators the portal computes (statistics.derived): never imported.
        self.derived = set(Derivation.objects.values_list("indicator_id", flat=True))
        # How the site shows each indicator's values (decimals, percentage).
        self.indicator_display = {
            indicator.pk: indicator for indicator in Indicator.objects.only("decimals", "unit")
        }
        self.countries = {
            code.upper(): pk for code, pk in Country.objects.values_list("iso_code", "pk")
        }
        self.regions = {code.upper(): pk for code, pk in Region.objects.values_list("code", "pk")}
        self.sources: dict[str, int] = {}
        for pk, code, name in Source.objects.values_list("pk", "code", "name"):
            self.sources[code.lower()] = pk
            self.sources[name.strip().lower()] = pk
        self.source_codes = list(Source.objects.values_list("code", flat=True))
        self.statuses = {status.lower(): status for status in ObservationStatus.values}
        # period text -> Period, or the message of the ValueError it raised
        self.periods: dict[str, Period | str] = {}

    def indicator(self, text: str) -> int:
        pk = self.indicators.get(text) or self.indicators_lower.get(text.lower())
        if pk is None:
            raise ValueError(
                _("Unknown indicator '%(text)s'. Known indicator codes: %(known)s.")
                % {"text": text, "known": known(self.indicators)}
            )
        if pk in self.derived:
            raise ValueError(
                _(
                    "'%(text)s' is computed by the portal from other indicators; its figures "
                    "cannot be imported."
                )
                % {"text": text}
            )
        return pk

    def area(self, text: str) -> tuple[int | None, int | None]:
        """(country id, region id), one of them None."""
        code = text.upper()
        if code in self.countries:
            return (self.countries[code], None)
        if code in self.regions:
            return (None, self.regions[code])
        raise ValueError(
            _(
                "Unknown area '%(text)s'. Known country codes: %(countries)s; "
                "region codes: %(regions)s."
            )
            % {"text": text, "countries": known(self.countries), "regions": known(self.regions)}
        )

    def period(self, text: str) -> Period:
        if text not in self.periods:
            try:
                # "2025-q1" is read as "2025-Q1"; everything else must be ISO 8601 already.
                self.periods[text] = parse_period(text.upper())
            except ValueError as error:
                # The message, not the exception: raising one exception object again and
                # again chains every raising frame (and its row) onto its traceback.
                self.periods[text] = str(error)
        parsed = self.periods[text]
        if isinstance(parsed, str):
            raise ValueError(parsed)
        return parsed

    def source(self, text: str) -> int | None:
        if not text:
            return None
        pk = self.sources.get(text.lower())
        if pk is None:
            raise ValueError(
                _(
                    "Unknown source '%(text)s'. Use a source's code or name, or leave it blank. "
                    "Known source codes: %(known)s."
                )
                % {"text": text, "known": known(self.source_codes)}
            )
        return pk

    def status(self, text: str) -> str:
        if not text:
            return ObservationStatus.AS_PUBLISHED
        # "Not available" and "not-available" are read as the code not_available.
        status = self.statuses.get(re.sub(r"[\s-]+", "_", text.strip().lower()))
        if status is None:
            raise ValueError(
                _("Unknown status '%(text)s'. Accepted: %(accepted)s (blank means as published).")
                % {"text": text, "accepted": ", ".join(ObservationStatus.values)}
            )
        return status
