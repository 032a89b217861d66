"""Template filters over wbportal.formatting, the one place numbers, periods and dates are
formatted for reading:

    {% load formatting %}
    {{ observation.value|indicator_value:indicator }}   12,346 / 35%
    {{ value|figure:2 }}                                 1,234.57
    {{ observation.period|period }}                      March 2025, Q1 2025, 2016–2025
    {{ page.updated_at|human_date }}                     31 March 2025
    {% money project.budget project.currency %}          EUR 1,500,000.00
"""

from django import template

from wbportal import formatting

register = template.Library()


@register.filter
def figure(value, decimals=0):
    """A number rounded half up to `decimals` places, grouped per the active locale."""
    try:
        decimals = int(decimals)
    except (TypeError, ValueError):
        decimals = 0
    return formatting.format_number(value, decimals)


@register.filter
def indicator_value(value, indicator):
    """A value of `indicator`: its declared decimals, "%" for a percentage."""
    return formatting.format_value(value, indicator)


@register.filter
def period(text):
    return formatting.format_period(text)


@register.filter
def human_date(value):
    return formatting.format_date(value)


@register.filter
def human_datetime(value):
    return formatting.format_datetime(value)


@register.simple_tag
def money(amount, currency):
    """A budget with its ISO 4217 currency code, e.g. "EUR 1,500,000.00"."""
    if amount is None:
        return ""
    return f"{currency} {formatting.format_number(amount, 2)}".strip()
