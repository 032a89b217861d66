"""Reading the API's query parameters: codes, periods, sort keys and pages, each checked
before any query, with a message that names the parameter and what it accepts.

Every value is bounded (length, number of items, page size), so the page cache keys the API's
answers by a bounded set of canonical queries and no value reaches the database unchecked
(a NUL character, for one, is refused by PostgreSQL with an error).
"""

import math
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import F, OrderBy
from django.db.models.expressions import BaseExpression
from django.utils.translation import gettext as _

from formatting.periods import FORMATS_HELP, period_points

from .errors import ApiError

# At most this many codes in one list parameter (`?area=AL,RS`).
MAX_LIST_ITEMS = 20
# Indicator codes and slugs (Django's SlugField), area codes (ISO 3166-1 alpha-2, region codes).
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")
AREA_CODE = re.compile(r"^[A-Z]{2,6}$")
DEFAULT_LIMIT = 100


def split_list(value: str | None, param: str) -> list[str]:
    """`a,b,c` -> ["a", "b", "c"] (blank items dropped, order kept, no repeats)."""
    if value is None:
        return []
    items = list(dict.fromkeys(item.strip() for item in value.split(",") if item.strip()))
    if not items:
        raise ApiError(
            _("%(param)s is empty; leave it out or give a value.") % {"param": param}, param=param
        )
    if len(items) > MAX_LIST_ITEMS:
        raise ApiError(
            _("%(param)s lists %(count)s values; at most %(max)s.")
            % {"param": param, "count": len(items), "max": MAX_LIST_ITEMS},
            param=param,
        )
    return items


def slugs(value: str | None, param: str) -> list[str]:
    items = split_list(value, param)
    for item in items:
        if not SLUG.match(item):
            raise ApiError(
                _("%(param)s: “%(value)s” is not a code (letters, digits, “-” and “_”).")
                % {"param": param, "value": item[:50]},
                param=param,
            )
    return items


def area_codes(value: str | None, param: str = "area") -> list[str]:
    items = [item.upper() for item in split_list(value, param)]
    for item in items:
        if not AREA_CODE.match(item):
            raise ApiError(
                _(
                    "%(param)s: “%(value)s” is not an area code (a country's ISO 3166-1 "
                    "alpha-2 code such as RS, XK for Kosovo*, or a region's code such as WB)."
                )
                % {"param": param, "value": item[:50]},
                param=param,
            )
    return items


def unknown(param: str, values: list[str], known: set[str], what: str) -> None:
    """Refuse the values of `param` that are not among `known`."""
    missing = [value for value in values if value not in known]
    if missing:
        raise ApiError(
            _("Unknown %(what)s in %(param)s: %(values)s.")
            % {"what": what, "param": param, "values": ", ".join(missing)},
            param=param,
        )


def period_bound(value: str | None, param: str, *, end: bool) -> date | None:
    """The first day (`end` False) or the last day (`end` True) of an ISO 8601 period."""
    if value is None:
        return None
    try:
        points = period_points(value.strip()[:30])
        if len(points) > 2:
            raise ValueError
    except ValueError:
        raise ApiError(
            _("%(param)s: “%(value)s” is not an ISO 8601 period; use %(formats)s.")
            % {"param": param, "value": value[:50], "formats": FORMATS_HELP},
            param=param,
        ) from None
    return points[-1].end if end else points[0].start


def text(value: str | None, param: str, max_length: int = 200) -> str | None:
    """Free text (a category): bounded, and without control characters."""
    if value is None:
        return None
    if len(value) > max_length or any(ord(c) < 32 for c in value):
        raise ApiError(
            _("%(param)s: at most %(max)s characters, without control characters.")
            % {"param": param, "max": max_length},
            param=param,
        )
    return value


def choices(value: str | None, param: str, allowed: list[str]) -> list[str]:
    items = split_list(value, param)
    for item in items:
        if item not in allowed:
            raise ApiError(
                _("%(param)s: “%(value)s” is not one of %(allowed)s.")
                % {"param": param, "value": item[:50], "allowed": ", ".join(allowed)},
                param=param,
            )
    return items


def ordering(
    value: str | None, keys: dict[str, list[str | BaseExpression]], default: str
) -> list[OrderBy | str]:
    """`sort=-period,area` -> ORDER BY expressions; the primary key last, so a page's rows
    are the same on every request whatever ties the keys leave."""
    names = split_list(value if value is not None else default, "sort")
    if len(names) > 4:
        raise ApiError(_("sort: at most 4 keys."), param="sort")
    result: list[OrderBy | str] = []
    for name in names:
        descending = name.startswith("-")
        key = name.removeprefix("-")
        if key not in keys:
            raise ApiError(
                _(
                    "sort: “%(value)s” is not a sort key; use %(keys)s, each with “-” for "
                    "descending."
                )
                % {"value": name[:50], "keys": ", ".join(keys)},
                param="sort",
            )
        for field in keys[key]:
            expression = F(field) if isinstance(field, str) else field
            result.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
    result.append("pk")
    return result


@dataclass(frozen=True)
class Page:
    number: int
    limit: int
    count: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.limit))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.limit


def page(number: int, limit: int, count: int) -> Page:
    """Page `number` of `limit` items among `count`; a page past the last is an error (the
    first page always exists, empty when nothing matches)."""
    if limit > settings.API_MAX_LIMIT:
        raise ApiError(
            _("limit: at most %(max)s items a page.") % {"max": settings.API_MAX_LIMIT},
            param="limit",
        )
    result = Page(number, limit, count)
    if number > result.pages:
        raise ApiError(
            _("page: page %(number)s is out of range; there are %(pages)s pages of %(limit)s.")
            % {"number": number, "pages": result.pages, "limit": limit},
            param="page",
        )
    return result
