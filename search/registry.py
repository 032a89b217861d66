"""Which models the site search covers: each app registers its own.

An app makes a model searchable in its own `search.py`, which this app imports at start-up
(search/apps.py) without naming it:

    register("project", _("Project"), Project.objects.published,
             fields={"title": "A", "acronym": "A", "summary": "B", "description": "C"},
             snippet_fields=("summary", "description"))

`queryset` returns only what the public may see (the models' `published()`/`public()`), so a
draft never appears in results. `fields` maps a text field to its weight (A most, D least).
Results of equal rank and title keep the order of registration (the order of INSTALLED_APPS).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchTarget:
    key: str
    label: str
    queryset: object
    fields: dict
    snippet_fields: tuple = ()
    title: object = str


_registry = {}


def register(key, label, queryset, fields, snippet_fields=(), title=str):
    """Make a model searchable (see the module docstring)."""
    _registry[key] = SearchTarget(key, label, queryset, dict(fields), tuple(snippet_fields), title)


def targets():
    return list(_registry.values())
