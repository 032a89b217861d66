"""On PostgreSQL, the search document (the weighted tsvector of the registered `fields`) of
the tables that grow (projects, documents) is stored in a column `search_document`, kept by
a trigger and indexed with GIN, so a search neither computes every row's vector nor reads
every row (search/engine.py, `document_column` in search/registry.py; bench/NOTES.md).

A trigger rather than a generated column: a later migration may change a searched column's
type (a longer title), which a generated column would forbid. The column is not a model
field (Django never reads or writes it). The weights here must be those of the app's
search.py; tests/search/test_stored_documents.py compares them. Nothing happens on other
databases.
"""

from django.db import migrations

# table -> (column, weight) pairs: as projects/search.py and documents/search.py register.
DOCUMENTS = {
    "projects_project": [("title", "A"), ("acronym", "A"), ("summary", "B"), ("description", "C")],
    "documents_document": [("title", "A"), ("author", "B"), ("description", "C")],
}
CONFIG = "wbportal_english"


def vector_sql(fields, row="NEW"):
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({row}.{column}::text, '')), "
        f"'{weight}')"
        for column, weight in fields
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fields in DOCUMENTS.items():
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
    for table in DOCUMENTS:
        schema_editor.execute(
            f"""
            DROP TRIGGER IF EXISTS {table}_search_document ON {table};
            DROP FUNCTION IF EXISTS {table}_search_document();
            ALTER TABLE {table} DROP COLUMN IF EXISTS search_document;
            """
        )


class Migration(migrations.Migration):
    dependencies = [
        ("wbportal", "0002_search_postgres"),
        ("projects", "0007_change_live_permissions"),
        ("documents", "0001_documents"),
    ]

    operations = [migrations.RunPython(create, drop)]
