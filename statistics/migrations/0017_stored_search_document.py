"""On PostgreSQL, indicators' search document is stored and indexed (search.stored_documents):
the catalogue grows with every source's breakdowns and totals."""

from django.db import migrations

from search.stored_documents import stored_document

# (column, weight): as statistics/search.py registers them.
FIELDS = [("name", "A"), ("code", "B"), ("description", "C")]


class Migration(migrations.Migration):
    dependencies = [
        ("wbportal", "0002_search_postgres"),
        ("statistics", "0016_area_labels_out_of_notes"),
    ]

    operations = [stored_document("statistics_indicator", FIELDS)]
