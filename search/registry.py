"""Which models the site search covers: each app registers its own.

An app makes a model searchable in its own `search.py`, which this app imports at start-up
(search/apps.py) without naming it:

    register("project", _("Project"), Project.objects.published,
             fields={"title": "A", "acronym": "A", "summary": "B", "description": "C"},
             snippet_fields=("summary", "description"))

`queryset` returns only what the public may see (the models' `published()`/`public()`), so a
draft never appears in results. It must be a pure query, reading nothing while it is built:
on PostgreSQL its SQL is compiled once and kept (search/engine.py, `_Compiled`; "now" is
taken afresh at each search). `fields` maps a text field to its weight (A most, D least);
a field may be an annotation of the queryset (e.g. the cities of a country's offices, made
with `TextList`). The snippet shows the first of `snippet_fields` that matches (attribute
names: fields, annotations or properties; a Markdown field as plain text), or, given
`snippet`, the first that matches of the plain texts that function gives for the row (a
text or a list). Only fields the public page shows belong
in `fields` or the snippet.
`document_column`: on PostgreSQL, the column holding the fields' weighted vector, stored and
indexed for the tables that grow (search/stored_documents.py, in a migration of the app that
owns the table); without it the vector is computed for every row of every search.
`close_weights` ("ABCD"): the weights of the fields where a word may match by a close spelling
("Pristina" for "Prishtina"); the kinds that grow (projects, documents) compare titles only
("A"): comparing every word of their summaries and texts costs most of a search's time on
PostgreSQL (bench/NOTES.md). Their words still match exactly, stemmed and without accents.
A kind with a `document_column` also trigram-indexes each field it compares
(`close_spelling_index`, search/stored_documents.py; tests/search/test_close_spellings.py
checks it), else every search compares every row's field.
`title_field`: the model field holding the title (default: the first of `fields`); its text
orders equal ranks and tells how much of the title the query is (a title that is the query
ranks first), before any row is read (search/engine.py).
Results of equal rank and title keep the order of registration (the order of INSTALLED_APPS).
"""

from dataclasses import dataclass

from django.db.models import Aggregate, TextField


@dataclass(frozen=True)
class SearchTarget:
    key: str
    label: str
    queryset: object
    fields: dict
    snippet_fields: tuple = ()
    title: object = str
    snippet: object = None
    document_column: str = ""
    close_weights: str = "ABCD"
    title_field: str = ""

    def __post_init__(self):
        if not self.title_field:
            object.__setattr__(self, "title_field", next(iter(self.fields)))


_registry = {}


def register(key, label, queryset, fields, **options):
    """Make a model searchable (see the module docstring); `options`: snippet_fields,
    title, snippet, document_column, close_weights, title_field."""
    if "snippet_fields" in options:
        options["snippet_fields"] = tuple(options["snippet_fields"])
    _registry[key] = SearchTarget(key, label, queryset, dict(fields), **options)


def targets():
    return list(_registry.values())


class TextList(Aggregate):
    """The texts of a group joined by ", " (PostgreSQL's STRING_AGG, SQLite's GROUP_CONCAT):
    to search a model by its related rows' words with one annotation."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)
