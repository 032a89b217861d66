"""Documents in the site search (see wbportal/search.py)."""

from django.utils.translation import gettext_lazy as _

from wbportal.search import register

from .models import Document

register(
    "document",
    _("Document"),
    Document.objects.published,
    fields={"title": "A", "author": "B", "description": "C"},
    snippet_fields=("description",),
)
