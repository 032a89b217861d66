"""Indicators in the site search (see search/registry.py). Every indicator has a public
page (one without public values says so), so all are searchable."""

from django.utils.translation import gettext_lazy as _

from search.registry import register

from .models import Indicator

register(
    "indicator",
    _("Statistics"),
    Indicator.objects.all,
    fields={"name": "A", "code": "B", "description": "C"},
    snippet_fields=("description",),
)
