# The workflow's tables now belong to the publishing app (publishing 0001): only the state
# is removed here, the tables stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("wbportal", "0004_revision_base_version_conflicts"),
        ("publishing", "0001_moved_from_wbportal"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="revision",
                    name="author",
                ),
                migrations.RemoveField(
                    model_name="revision",
                    name="content_type",
                ),
                migrations.RemoveField(
                    model_name="revision",
                    name="reviewer",
                ),
                migrations.DeleteModel(
                    name="NotificationPreference",
                ),
                migrations.DeleteModel(
                    name="Revision",
                ),
            ],
        ),
    ]
