"""Projects in the site search (see wbportal/search.py)."""

from django.utils.translation import gettext_lazy as _

from wbportal.search import register

from .models import Project

register(
    "project",
    _("Project"),
    Project.objects.published,
    fields={"title": "A", "acronym": "A", "summary": "B", "description": "C"},
    snippet_fields=("summary", "description"),
)
