from django.db import migrations


def forget_external_results(apps, schema_editor):
    """Results of external checks stored before each redirect was checked may hold what
    editors must not see (an error text, an internal address or port, the final address of a
    redirect to a server behind the site). Clear them and put those links first in line for
    the next `check_links`; their status stays until then."""
    Link = apps.get_model("links", "Link")
    Link.objects.using(schema_editor.connection.alias).filter(is_internal=False).exclude(
        last_checked=None
    ).update(message="", redirects_to="", last_checked=None)


class Migration(migrations.Migration):
    dependencies = [("links", "0002_references")]

    operations = [migrations.RunPython(forget_external_results, migrations.RunPython.noop)]
