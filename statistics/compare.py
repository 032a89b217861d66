"""Comparing places on an indicator page: which places are shown, on which value scale, as one
chart or as small multiples, and how the wide table is sorted.

The choices live in the address (`?places=AL,RS&axis=log&view=multiples&sort=2024`; not
`scale`, which a PNG's address uses for its size)
so that a chart can be shared and cached. They are bounded: a place is one of the indicator's
own areas (those the page shows), each option one of a few words, a sort key one of the
table's periods. `parse()` keeps what is valid and says whether anything was dropped;
`Compare.query()` writes the one canonical address of a choice (places in code order, the
defaults left out), so that equivalent addresses are one cached page.
"""

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.http import QueryDict

AXES = ("linear", "log")
# One line chart; small multiples each on its own value axis; small multiples on one axis.
VIEWS = ("lines", "multiples", "multiples-shared")
# The parameters a compare choice is written with, and the flag set when some were dropped.
PARAMS = ("places", "axis", "view", "sort")
IGNORED_PARAM = "ignored"
# A value's text is never longer than this (the longest area code, a period "2025-Q4").
MAX_VALUE_LENGTH = 12
# At most this many places in `?places=`: more than any indicator of the portal has areas.
MAX_PLACES = 64


@dataclass(frozen=True)
class Compare:
    places: tuple = ()  # area codes in code order; () is every place
    axis: str = "linear"
    view: str = "lines"
    sort: str = ""  # the wide table: "" by place name, else a period (largest value first)
    ignored: bool = False  # the address asked for something that is not on offer

    @property
    def is_log(self):
        return self.axis == "log"

    @property
    def is_multiples(self):
        return self.view.startswith("multiples")

    @property
    def shared_axis(self):
        return self.view == "multiples-shared"

    def params(self, *, sort=True, ignored=True):
        """The canonical parameters, by name (the order the page cache keys them in),
        defaults left out."""
        items = []
        if self.axis != "linear":
            items.append(("axis", self.axis))
        if ignored and self.ignored:
            items.append((IGNORED_PARAM, "1"))
        if self.places:
            items.append(("places", ",".join(self.places)))
        if sort and self.sort:
            items.append(("sort", self.sort))
        if self.view != "lines":
            items.append(("view", self.view))
        return items

    def matches(self, query: QueryDict, *, ignored=True):
        """Whether `query`'s compare parameters are exactly this choice's canonical ones."""
        asked = {name: query.getlist(name) for name in (*PARAMS, IGNORED_PARAM) if name in query}
        return asked == {name: [value] for name, value in self.params(ignored=ignored)}

    def query(self, *, sort=True, ignored=False):
        """`axis=log&places=AL,RS` (no leading "?"), "" for the defaults."""
        return urlencode(self.params(sort=sort, ignored=ignored), safe=",")

    def with_sort(self, sort):
        return replace(self, sort=sort, ignored=False)

    def filter_rows(self, observations):
        """The observations of the chosen places (all when none is chosen)."""
        if not self.places:
            return list(observations)
        chosen = set(self.places)
        return [o for o in observations if o.area_code in chosen]


def _values(query, name):
    """Every value of `name`, repeated (`places=AL&places=RS`, what a form sends) or
    comma-separated (`places=AL,RS`, what a link writes)."""
    values = []
    for item in query.getlist(name):
        values += [part.strip() for part in item.split(",") if part.strip()]
    return values


def _single(query, name, allowed, default):
    """One of `allowed`, else the default and whether a value was dropped."""
    values = _values(query, name)
    if not values:
        return default, False
    if len(values) == 1 and values[0] in allowed:
        return values[0], False
    return default, True


@dataclass(frozen=True)
class Offer:
    """The places an indicator page may show, (code, name) in code order, and the periods its
    wide table may be sorted by: read off the figures the page has already read (no query)."""

    places: tuple = ()
    periods: tuple = ()

    @property
    def codes(self):
        return [code for code, _name in self.places]


def offer_for(totals, breakdowns=()):
    names = {}
    for observation in (*totals, *breakdowns):
        names.setdefault(observation.area_code, str(observation.area))
    periods = sorted({o.period for o in totals})
    return Offer(tuple(sorted(names.items())), tuple(periods))


# A logarithmic scale is offered where the values span at least this ratio (an order of
# magnitude): below it, a linear axis shows them as well.
LOG_MIN_RATIO = 10


def log_allowed(totals):
    """Every value above zero (a logarithm has no zero) and spanning an order of magnitude."""
    values = [o.value for o in totals if o.has_value]
    if not values or any(value <= 0 for value in values):
        return False
    return max(values) / min(values) >= LOG_MIN_RATIO


def multiples_allowed(totals):
    """Small multiples need several places, at least one of them over several periods."""
    per_area = {}
    for observation in totals:
        per_area[observation.area_code] = per_area.get(observation.area_code, 0) + 1
    return len(per_area) > 1 and max(per_area.values()) > 1


def parse(query: QueryDict, offer: Offer) -> tuple[Compare, bool]:
    """The choice a query asks for, kept within `offer`, and whether anything was dropped
    (an unknown place, option or sort key)."""
    ignored = False
    known = set(offer.codes)
    asked = _values(query, "places")
    if len(asked) > MAX_PLACES or any(len(code) > MAX_VALUE_LENGTH for code in asked):
        asked, ignored = [], True
    wanted = {code.upper() for code in asked}
    ignored = ignored or not wanted <= known
    places = tuple(code for code in offer.codes if code in wanted)
    if set(places) == known:
        places = ()  # every place: the same as none chosen
    axis, dropped = _single(query, "axis", AXES, "linear")
    ignored = ignored or dropped
    view, dropped = _single(query, "view", VIEWS, "lines")
    ignored = ignored or dropped
    sort, dropped = _single(query, "sort", offer.periods, "")
    ignored = ignored or dropped
    return Compare(places, axis, view, sort), ignored


def bounded(choice: Compare, totals) -> tuple[Compare, bool]:
    """`choice` without the options the chosen places' figures (`totals`) do not allow."""
    dropped = False
    if choice.is_log and not log_allowed(totals):
        choice, dropped = replace(choice, axis="linear"), True
    if choice.is_multiples and not multiples_allowed(totals):
        choice, dropped = replace(choice, view="lines"), True
    return choice, dropped
