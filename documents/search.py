"""Documents in the site search (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from search.registry import register

from .models import Document

register(
    "document",
    _("Document"),
    Document.objects.published,
    fields={"title": "A", "author": "B", "description": "C"},
    document_column="search_document",
    close_weights="A",
    snippet_fields=("description",),
)
