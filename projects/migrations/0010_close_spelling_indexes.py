"""On PostgreSQL, projects' titles and acronyms (the fields of weight A) are trigram-indexed for the search's close spellings
(search.stored_documents.close_spelling_index)."""

from django.db import migrations

from search.stored_documents import close_spelling_index


class Migration(migrations.Migration):
    dependencies = [
        ("wbportal", "0002_search_postgres"),
        ("projects", "0009_iati_fields"),
    ]

    operations = [
        close_spelling_index("projects_project", "title"),
        close_spelling_index("projects_project", "acronym"),
    ]
