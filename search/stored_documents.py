"""On PostgreSQL, the search document (the weighted tsvector of a kind's registered
`fields`) of a table that grows can be stored in a column `search_document`, kept by a
trigger and indexed with GIN, so a search neither computes every row's vector nor reads
every row (search/engine.py, `document_column` in search/registry.py; bench/NOTES.md).

The app that owns the table adds it in a migration of its own:
`operations = [stored_document("projects_project", FIELDS)]`, FIELDS being the same
(column, weight) pairs as its search.py registers (tests/search/test_stored_documents.py
compares them). A trigger rather than a generated column: a later migration may change a
searched column's type (a longer title), which a generated column would forbid. The column
is not a model field (Django never reads or writes it). Nothing happens on other databases.

The fields where a word may match a close spelling (`close_weights`: a table that grows
compares its title only) get a trigram index the same way, `close_spelling_index(table,
column)`, so the engine's `<%` comparison (pg_trgm word similarity) reads the index instead of
comparing every row's title. It indexes `wbportal_unaccent(column)`, the expression the
engine compares (search/engine.py, `Unaccented`): unaccent is only STABLE (its dictionary
could change), and an index needs an IMMUTABLE function; ours names its schema and
dictionary, so neither the search path nor a restore can make it read another.
"""

from django.db import migrations

# The text search configuration of wbportal/migrations/0002_search_postgres.py.
CONFIG = "wbportal_english"


def vector_sql(fields, row="NEW"):
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({row}.{column}::text, '')), "
        f"'{weight}')"
        for column, weight in fields
    )


def stored_document(table, fields):
    """The migration operation that stores `table`'s search document (see above)."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"""
            ALTER TABLE {table} ADD COLUMN search_document tsvector;
            CREATE FUNCTION {table}_search_document() RETURNS trigger AS $$
            BEGIN
              NEW.search_document := {vector_sql(fields)};
              RETURN NEW;
            END
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER {table}_search_document BEFORE INSERT OR UPDATE ON {table}
              FOR EACH ROW EXECUTE FUNCTION {table}_search_document();
            UPDATE {table} SET search_document = {vector_sql(fields, table)};
            CREATE INDEX {table}_search_document ON {table} USING gin (search_document);
            """
        )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"""
            DROP TRIGGER IF EXISTS {table}_search_document ON {table};
            DROP FUNCTION IF EXISTS {table}_search_document();
            ALTER TABLE {table} DROP COLUMN IF EXISTS search_document;
            """
        )

    return migrations.RunPython(create, drop)


# CREATE OR REPLACE: each app's migration may come first; the function is never dropped (a
# later index may use it, and it costs nothing).
UNACCENT_FUNCTION = """
CREATE OR REPLACE FUNCTION wbportal_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$;
"""


def close_spelling_index(table, column):
    """The migration operation that indexes `table`'s `column` for close spellings (above)."""
    index = f"{table}_{column}_close_spelling"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT extnamespace::regnamespace::text FROM pg_extension"
                " WHERE extname = 'unaccent'"
            )
            (schema,) = cursor.fetchone()
        schema_editor.execute(UNACCENT_FUNCTION.format(schema=schema))
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} USING gin (wbportal_unaccent({column}) gin_trgm_ops)"
        )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    return migrations.RunPython(create, drop)
