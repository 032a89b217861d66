"""On PostgreSQL the search vectors of the kinds that grow are stored by a trigger
(search/stored_documents.py, in a migration of each app that owns such a table): the stored
vector is the one the registered fields give, and follows every save."""

import importlib
from functools import reduce

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection

from search.engine import SEARCH_CONFIG, search
from search.registry import targets
from tests.factories import DocumentFactory, IndicatorFactory, ProjectFactory
from tests.search.test_search import postgresql_only

pytestmark = pytest.mark.django_db
MIGRATIONS = {
    "projects_project": "projects.migrations.0008_stored_search_document",
    "documents_document": "documents.migrations.0002_stored_search_document",
    "statistics_indicator": "statistics.migrations.0017_stored_search_document",
}


def test_the_migration_stores_the_registered_fields():
    stored = {t.queryset().model._meta.db_table: t for t in targets() if t.document_column}
    assert set(stored) == set(MIGRATIONS)
    for table, module in MIGRATIONS.items():
        assert dict(importlib.import_module(module).FIELDS) == stored[table].fields, table


@postgresql_only
@pytest.mark.parametrize(
    "factory, title",
    [(ProjectFactory, "title"), (DocumentFactory, "title"), (IndicatorFactory, "name")],
)
def test_the_stored_vector_follows_each_save(factory, title):
    item = factory(
        **{title: "Readmission in Sarajevo"}, description="## Heading\n\nSome **words**."
    )
    model = type(item)
    target = next(t for t in targets() if t.queryset().model is model)
    computed = reduce(
        lambda a, b: a + b,
        [
            SearchVector(name, weight=weight, config=SEARCH_CONFIG)
            for name, weight in target.fields.items()
        ],
    )

    def stored_and_computed():
        with connection.cursor() as cursor:
            table = model._meta.db_table
            cursor.execute(f"SELECT search_document::text FROM {table} WHERE id = %s", [item.pk])
            (stored,) = cursor.fetchone()
        return stored, model.objects.annotate(v=computed).values_list("v", flat=True).get(
            pk=item.pk
        )

    stored, expected = stored_and_computed()
    assert stored == expected and "'sarajevo':3A" in stored
    setattr(item, title, "Return counselling")
    item.save()
    stored, expected = stored_and_computed()
    assert stored == expected and "sarajevo" not in stored
    assert "Return counselling" in [r.title for r in search("counselling", "postgresql")]
