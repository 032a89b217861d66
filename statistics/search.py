"""Indicators in the site search (see search/registry.py). Every indicator has a public
page (one without public values says so), so all are searchable. The catalogue grows with
every source (a breakdown and its total each): the vector is stored, and close spellings are
compared in names only, as for projects and documents."""

from django.utils.translation import gettext_lazy as _

from search.registry import register

from .models import Indicator

register(
    "indicator",
    _("Statistics"),
    Indicator.objects.all,
    fields={"name": "A", "code": "B", "description": "C"},
    document_column="search_document",
    close_weights="A",
    snippet_fields=("description",),
)
