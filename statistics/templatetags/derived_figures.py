"""`{% how_derived indicator as how %}`: how a derived indicator's figures are computed
(statistics.derived.page), None for any other indicator."""

from django import template

from ..derived.page import how_derived as _how_derived

register = template.Library()


@register.simple_tag
def how_derived(indicator):
    return _how_derived(indicator)
