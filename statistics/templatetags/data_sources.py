"""`{% public_sources as sources %}`: the sources of the figures the public sees, by name (the
Data licence page lists each one's terms)."""

from django import template

from ..models import Observation, Source

register = template.Library()


@register.simple_tag
def public_sources():
    published = Observation.objects.public().values("source")
    return list(Source.objects.filter(pk__in=published).order_by("name"))
