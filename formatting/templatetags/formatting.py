"""Template filters over formatting.display, the one place numbers, periods and dates are
formatted for reading:

    {% load formatting %}
    {{ observation.value|indicator_value:indicator }}   12,346 / 35%
    {{ observation|observation_value:indicator }}        more than 1,200 / not available
    {{ value|figure:2 }}                                 1,234.57
    {{ observation.period|period }}                      March 2025, Q1 2025, 2016–2025
    {{ first|period_span:last }}                         2016 – May 2025
    {{ indicator.last_period|period_end }}               end of 2025, end of March 2025
    {{ indicator.breakdown_label|lower_first }}          country of origin (as UNHCR names it)
    {{ page.updated_at|human_date }}                     31 March 2025
    {{ record.history_date|human_datetime }}             31 March 2025, 14:05
    {% money project.budget project.currency %}          EUR 1,500,000.00
    {{ document.file_size|file_size }}                    2.3 MB
"""

from django import template

from formatting import display

register = template.Library()


@register.filter
def figure(value, decimals=0):
    """A number rounded half up to `decimals` places, grouped per the active locale."""
    try:
        decimals = int(decimals)
    except (TypeError, ValueError):
        decimals = 0
    return display.format_number(value, decimals)


@register.filter
def indicator_value(value, indicator):
    """A value of `indicator`: its declared decimals, "%" for a percentage."""
    return display.format_value(value, indicator)


@register.filter
def observation_value(observation, indicator=None):
    """An observation's value with its qualifier, or what stands for a missing number."""
    return display.format_observation(observation, indicator)


@register.filter
def period(text):
    return display.format_period(text)


@register.filter
def period_span(first, last):
    """From the first period's start to the last one's end: "2016 – May 2025"."""
    return display.format_period_span(first, last)


@register.filter
def period_end(text):
    """Where a period's figures reach: "end of 2025", "31 March 2025"."""
    return display.format_period_end(text)


@register.filter
def lower_first(text):
    return display.lower_first(text)


@register.filter
def human_date(value):
    return display.format_date(value)


@register.filter
def human_datetime(value):
    """A moment in the site's time zone: "31 March 2025, 14:05"."""
    return display.format_datetime(value)


@register.simple_tag
def money(amount, currency):
    """A budget with its ISO 4217 currency code, e.g. "EUR 1,500,000.00"."""
    if amount is None:
        return ""
    return f"{currency} {display.format_number(amount, 2)}".strip()


@register.filter
def file_size(value):
    """A size in bytes as "2.3 MB"."""
    return display.format_file_size(value)
