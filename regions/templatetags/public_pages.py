"""Old name of the formatting filters, kept so templates that `{% load public_pages %}` still
work: the filters themselves live in wbportal/templatetags/formatting.py (one formatter)."""

from wbportal.templatetags.formatting import register  # noqa: F401
