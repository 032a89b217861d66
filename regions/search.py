"""Regions and countries in the site search (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from search.registry import register

from .models import Country, Region

register(
    "region",
    _("Region"),
    Region.objects.published,
    fields={"name": "A", "summary": "B", "body": "C"},
    snippet_fields=("summary", "body"),
)
register(
    "country",
    _("Country"),
    Country.objects.public,
    fields={"name": "A", "local_name": "A", "profile": "C"},
    snippet_fields=("profile", "local_name"),
    title=lambda country: country.display_name,
)
