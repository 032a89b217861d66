"""Site pages (About, Methodology, ...) in the site search (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from search.registry import register

from .models import Page

register(
    "page",
    _("Page"),
    Page.objects.published,
    fields={"title": "A", "summary": "B", "body": "C"},
    snippet_fields=("summary", "body"),
    title=lambda page: page.title,
)
