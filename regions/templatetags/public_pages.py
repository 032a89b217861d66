"""Formatting for the public pages: numbers always go through Django's localisation."""

from decimal import Decimal

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
    return formats.number_format(
        Decimal(value), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )


@register.simple_tag
def money(amount, currency):
    """A budget with its ISO 4217 currency code, e.g. "EUR 1,500,000.00"."""
    if amount is None:
        return ""
    number = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{currency} {number}".strip()
