"""On PostgreSQL a word matches a close spelling in the compared fields (`close_weights`) by
pg_trgm's `%>` (word similarity of at least TRIGRAM_THRESHOLD), which the trigram indexes of
the kinds that grow answer (search.stored_documents.close_spelling_index); the threshold is a
setting of the search's own transaction."""

import importlib

import pytest
from django.db import connection, transaction
from django.utils import timezone

from search import engine
from search.engine import search, terms_of
from search.registry import targets
from tests.factories import DocumentFactory, IndicatorFactory, ProjectFactory
from tests.search.test_search import postgresql_only, titles

pytestmark = [pytest.mark.django_db, postgresql_only]
MIGRATIONS = {
    "projects_project": "projects.migrations.0010_close_spelling_indexes",
    "documents_document": "documents.migrations.0004_title_close_spelling_index",
    "statistics_indicator": "statistics.migrations.0018_name_close_spelling_index",
}


def indexed():
    """(table, column) of every field a stored kind compares for close spellings."""
    return {
        (target.queryset().model._meta.db_table, name)
        for target in targets()
        if target.document_column
        for name, weight in target.fields.items()
        if weight in target.close_weights
    }


def test_every_compared_field_of_a_kind_that_grows_is_indexed():
    assert {table for table, _ in indexed()} == set(MIGRATIONS)
    for table, column in indexed():
        importlib.import_module(MIGRATIONS[table])  # the migration named here exists
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                [table, f"{table}_{column}_close_spelling"],
            )
            (definition,) = cursor.fetchone()
        assert f"gin (wbportal_unaccent(({column})::text) gin_trgm_ops)" in definition


def test_the_search_statement_can_read_the_indexes():
    # A few rows: the planner would read them all anyway, unless told not to; what is tested
    # is that the compared expression is the indexed one.
    for n in range(5):
        ProjectFactory(title=f"Border work {n}", slug=f"border-{n}", acronym=f"BW{n}")
        DocumentFactory(title=f"Border report {n}", slug=f"report-{n}")
        IndicatorFactory(code=f"border_{n}", name=f"Border crossings {n}")
    terms = terms_of("Pristina")
    sql, branches = engine._statement(targets(), len(terms))
    params = [v for b in branches for v in b.params("Pristina", terms, timezone.now())]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, [*params, engine.SEARCH_CONFIG, "Pristina"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for table, column in indexed():
        assert f"Bitmap Index Scan on {table}_{column}_close_spelling" in plan


@pytest.mark.django_db(transaction=True)
def test_the_threshold_is_kept_and_ends_with_the_search():
    # "migration" and "migrants": word similarity 0.5 exactly, the threshold; different
    # stems, so only the close spelling finds it. "Belgrade" and "Beograd": 0.33.
    ProjectFactory(title="Support for migrants", slug="migrants")
    ProjectFactory(title="Offices in Beograd", slug="beograd")
    assert "Support for migrants" in titles(search("migration", "postgresql"))
    assert "Offices in Beograd" not in titles(search("Belgrade", "postgresql"))
    # Outside a transaction the search makes its own: the setting went with it.
    assert connection.get_autocommit()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pg_trgm.word_similarity_threshold')")
        assert cursor.fetchone() == ("0.6",)
