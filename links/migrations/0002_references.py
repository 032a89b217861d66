import django.db.models.deletion
from django.db import migrations, models
from simple_history.models import HistoricalChanges

from links.scanning import CONTENT_APPS, markdown_references
from richtext.fields import markdown_fields


def fill_markdown_references(apps, schema_editor):
    """Record the library images each existing Markdown text shows, so that an image a text
    shows is refused deletion from the moment the index is read. Only the texts are read
    (with the models as they are at this migration) and parsed by the registered Markdown
    extensions, which read no database. The objects a site link leads to are resolved with
    today's views and models, which a migration must not use: `manage.py check_links`
    records those (as it does after any loaddata), and every save from now on does."""
    db = schema_editor.connection.alias
    content_types = apps.get_model("contenttypes", "ContentType").objects.db_manager(db)
    references = apps.get_model("links", "Reference").objects.db_manager(db)

    type_ids = {}

    def type_id(model):
        key = (model._meta.app_label, model._meta.model_name)
        if key not in type_ids:
            type_ids[key] = content_types.get_or_create(app_label=key[0], model=key[1])[0].pk
        return type_ids[key]

    for app_label in CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            names = markdown_fields(model)
            if issubclass(model, HistoricalChanges) or not names:
                continue
            found = []
            for obj in model._default_manager.using(db).only(*names).iterator():
                for name in names:
                    targets = markdown_references(getattr(obj, name) or "")
                    found += [(obj.pk, name, type_id(target), pk) for target, pk in targets]
            if found:
                source_type_id = type_id(model)
                references.bulk_create(
                    [
                        references.model(
                            content_type_id=source_type_id,
                            object_id=object_id,
                            field=field,
                            target_type_id=target_type_id,
                            target_id=target_id,
                        )
                        for object_id, field, target_type_id, target_id in dict.fromkeys(found)
                    ],
                    ignore_conflicts=True,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("links", "0001_links"),
        # The texts the backfill reads, in their current tables.
        ("regions", "0007_hero_images_and_portraits"),
        ("projects", "0006_project_image"),
        ("statistics", "0012_area_name_and_profile_history"),
        ("pages", "0005_library_logo_and_share_image"),
        ("documents", "0001_documents"),
        ("library", "0002_credit_help_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="Reference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("field", models.CharField(max_length=100, verbose_name="field")),
                ("target_id", models.PositiveBigIntegerField()),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "target_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={
                "verbose_name": "reference in content",
                "verbose_name_plural": "references in content",
                "ordering": ["content_type", "object_id", "field"],
                "indexes": [
                    models.Index(fields=["target_type", "target_id"], name="reference_target")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "object_id", "field", "target_type", "target_id"),
                        name="reference_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_markdown_references, migrations.RunPython.noop, elidable=True),
    ]
