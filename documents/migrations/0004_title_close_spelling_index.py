"""On PostgreSQL, documents' titles are trigram-indexed for the search's close spellings
(search.stored_documents.close_spelling_index)."""

from django.db import migrations

from search.stored_documents import close_spelling_index


class Migration(migrations.Migration):
    dependencies = [
        ("wbportal", "0002_search_postgres"),
        ("documents", "0003_document_iati_category"),
    ]

    operations = [close_spelling_index("documents_document", "title")]
