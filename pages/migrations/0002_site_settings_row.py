from django.db import migrations


def create_site_settings(apps, schema_editor):
    """The one settings row, with the field defaults (the organisation's short name from the
    seed texts, CC BY 4.0 for the portal's own compilations; nothing the seeds do not say)."""
    apps.get_model("pages", "SiteSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(create_site_settings, migrations.RunPython.noop)]
