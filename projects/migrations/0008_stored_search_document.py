"""On PostgreSQL, projects' search document is stored and indexed (search.stored_documents)."""

from django.db import migrations

from search.stored_documents import stored_document

# (column, weight): as projects/search.py registers them.
FIELDS = [("title", "A"), ("acronym", "A"), ("summary", "B"), ("description", "C")]


class Migration(migrations.Migration):
    dependencies = [
        ("wbportal", "0002_search_postgres"),
        ("projects", "0007_change_live_permissions"),
    ]

    operations = [stored_document("projects_project", FIELDS)]
