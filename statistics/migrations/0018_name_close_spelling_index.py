"""On PostgreSQL, indicators' names are trigram-indexed for the search's close spellings
(search.stored_documents.close_spelling_index)."""

from django.db import migrations

from search.stored_documents import close_spelling_index


class Migration(migrations.Migration):
    dependencies = [
        ("wbportal", "0002_search_postgres"),
        ("statistics", "0017_stored_search_document"),
    ]

    operations = [close_spelling_index("statistics_indicator", "name")]
