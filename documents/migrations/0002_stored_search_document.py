"""On PostgreSQL, documents' search document is stored and indexed (search.stored_documents)."""

from django.db import migrations

from search.stored_documents import stored_document

# (column, weight): as documents/search.py registers them.
FIELDS = [("title", "A"), ("author", "B"), ("description", "C")]


class Migration(migrations.Migration):
    dependencies = [
        ("wbportal", "0002_search_postgres"),
        ("documents", "0001_documents"),
    ]

    operations = [stored_document("documents_document", FIELDS)]
