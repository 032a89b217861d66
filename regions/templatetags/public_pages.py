"""Formatting for the public pages: numbers always go through Django's localisation."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def figure(value, decimals=0):
    """A decimal formatted with the indicator's decimals, grouped per the active locale."""
    if value is None or value == "":
        return ""
    try:
        decimals = int(decimals)
    except (TypeError, ValueError):
        decimals = 0
    return _localised(value, decimals)


def _localised(value, decimals):
    # number_format truncates extra digits; round half up first, as people expect.
    try:
        number = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return formats.number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.simple_tag
def money(amount, currency):
    """A budget with its ISO 4217 currency code, e.g. "EUR 1,500,000.00"."""
    if amount is None:
        return ""
    return f"{currency} {_localised(amount, 2)}".strip()
