"""Site search on PostgreSQL (search/engine.py): the unaccent and pg_trgm extensions and a
text search configuration `wbportal_english` (English stemming after unaccent). Nothing
happens on other databases. Creating extensions needs a role allowed to (the database
owner for these two trusted extensions on PostgreSQL 13+, else a superuser)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE = """
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'wbportal_english') THEN
    CREATE TEXT SEARCH CONFIGURATION wbportal_english (COPY = english);
    ALTER TEXT SEARCH CONFIGURATION wbportal_english
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
  END IF;
END
$$;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS wbportal_english;"


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("wbportal", "0001_roles")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_configuration, drop_configuration),
    ]
