"""Projects in the site search (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from search.registry import register

from .models import Project

register(
    "project",
    _("Project"),
    Project.objects.published,
    fields={"title": "A", "acronym": "A", "summary": "B", "description": "C"},
    document_column="search_document",
    close_weights="A",
    snippet_fields=("summary", "description"),
)
