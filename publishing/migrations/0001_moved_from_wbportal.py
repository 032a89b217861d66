# The workflow's tables move from the wbportal app to this one without being copied: they
# keep their names (db_table), and only Django's state and the content types change.

from typing import Any

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps: Any, schema_editor: Any) -> None:
    """The content types (and with them the permissions and any reference by content type)
    follow the models to their new app."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("revision", "notificationpreference"):
        if not content_type.objects.filter(app_label="publishing", model=model).exists():
            content_type.objects.filter(app_label="wbportal", model=model).update(
                app_label="publishing"
            )


def move_content_types_back(apps: Any, schema_editor: Any) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(
        app_label="publishing", model__in=["revision", "notificationpreference"]
    ).update(app_label="wbportal")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("wbportal", "0004_revision_base_version_conflicts"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "email_enabled",
                            models.BooleanField(
                                default=True,
                                help_text="Review requested (Publishers), your change approved or returned, and your scheduled item gone live.",
                                verbose_name="send me e-mail about reviews",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notification_preference",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "my notification settings",
                        "verbose_name_plural": "my notification settings",
                        "db_table": "wbportal_notificationpreference",
                    },
                ),
                migrations.CreateModel(
                    name="Revision",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("object_id", models.PositiveBigIntegerField(verbose_name="object id")),
                        ("object_repr", models.CharField(max_length=300, verbose_name="item")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("change", "Change to a live item"),
                                    ("publication", "Publication of a draft"),
                                ],
                                default="change",
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft change"),
                                    ("pending", "Awaiting review"),
                                    ("returned", "Returned to the author"),
                                    ("scheduled", "Approved, scheduled"),
                                    ("published", "Published"),
                                    ("superseded", "Superseded"),
                                ],
                                default="draft",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "snapshot",
                            models.JSONField(
                                default=dict,
                                encoder=django.core.serializers.json.DjangoJSONEncoder,
                                verbose_name="proposed state",
                            ),
                        ),
                        (
                            "base",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                encoder=django.core.serializers.json.DjangoJSONEncoder,
                                verbose_name="based on",
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "live_changed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="live page changed"
                            ),
                        ),
                        (
                            "conflicts",
                            models.JSONField(blank=True, default=list, verbose_name="conflicts"),
                        ),
                        (
                            "note",
                            models.TextField(blank=True, verbose_name="note for the publisher"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="last changed"),
                        ),
                        (
                            "reviewed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="reviewed"),
                        ),
                        (
                            "comment",
                            models.TextField(blank=True, verbose_name="reviewer's comment"),
                        ),
                        (
                            "go_live_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="goes live at"
                            ),
                        ),
                        (
                            "published_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="went live"),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="author",
                            ),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="contenttypes.contenttype",
                                verbose_name="content type",
                            ),
                        ),
                        (
                            "reviewer",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="reviewer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "revision",
                        "verbose_name_plural": "revisions",
                        "db_table": "wbportal_revision",
                        "ordering": ["-updated_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["content_type", "object_id"], name="revision_item"
                            ),
                            models.Index(
                                fields=["status", "go_live_at"], name="revision_status_go_live"
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(
                                    ("status__in", ("draft", "pending", "returned"))
                                ),
                                fields=("content_type", "object_id", "author"),
                                name="revision_one_open_per_item_and_author",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "scheduled"), _negated=True),
                                    ("go_live_at__isnull", False),
                                    _connector="OR",
                                ),
                                name="revision_scheduled_has_time",
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
