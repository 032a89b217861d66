"""Revisions: a change to a live item waits here until a Publisher approves it.

An Editor's save of a published item (the admin form, with its inlines) is not written to
the item: the proposed state is kept as a snapshot (publishing.snapshots) in a
`Revision`, and the public keeps seeing the live version. The Revision table is not content
(wbportal is not one of the page cache's content apps), so keeping one changes no public page
and bumps no cache. A Publisher approves it (it is applied to the live rows, which bumps the
page cache like any edit), now or at a set time (`publish_scheduled`), or returns it with a
comment the author sees.

A Publisher's publication of a draft is recorded here too (kind "publication", no snapshot),
so the review queue can list what went live and the scheduler can say when it did.
"""

from datetime import datetime
from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft change")
    PENDING = "pending", _("Awaiting review")
    RETURNED = "returned", _("Returned to the author")
    SCHEDULED = "scheduled", _("Approved, scheduled")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class RevisionKind(models.TextChoices):
    CHANGE = "change", _("Change to a live item")
    PUBLICATION = "publication", _("Publication of a draft")


# A revision still being worked on: at most one per item and author.
OPEN_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.PENDING, RevisionStatus.RETURNED)


class RevisionQuerySet(models.QuerySet["Revision"]):
    def for_item(self, obj: models.Model) -> Self:
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )

    def open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)

    def of_author(self, user: object) -> Self:
        return self.filter(author=getattr(user, "pk", None))

    def due(self, now: datetime | None = None) -> Self:
        """Approved revisions whose go-live time has come."""
        return self.filter(
            status=RevisionStatus.SCHEDULED, go_live_at__lte=now or timezone.now()
        ).select_related("content_type", "author", "reviewer")


class Revision(models.Model):
    Status = RevisionStatus
    Kind = RevisionKind

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    item = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("item"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=RevisionKind.choices, default=RevisionKind.CHANGE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    snapshot = models.JSONField(_("proposed state"), encoder=DjangoJSONEncoder, default=dict)
    # The live state the proposal was made on: at go-live only what differs from it is
    # applied, and a field the live state changed meanwhile is a conflict (snapshots.merge).
    # Empty for revisions kept before this existed: the whole proposal applies.
    base = models.JSONField(_("based on"), encoder=DjangoJSONEncoder, default=dict, blank=True)
    # Counts the saves of the proposal: a review names the version it approves or returns.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Set when the live item changed after the proposal was made (a direct edit, another
    # approval): the proposal stays in the queue, marked, until a person decides.
    live_changed_at = models.DateTimeField(_("live page changed"), null=True, blank=True)
    # What could not be applied at go-live (labels), sending it back to review.
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    note = models.TextField(_("note for the publisher"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    go_live_at = models.DateTimeField(_("goes live at"), null=True, blank=True)
    published_at = models.DateTimeField(_("went live"), null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        # The table keeps the name it had in the wbportal app: moved without copying.
        db_table = "wbportal_revision"
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="revision_item"),
            models.Index(fields=["status", "go_live_at"], name="revision_status_go_live"),
        ]
        constraints = [
            # Two people may each have a proposal for one item: neither replaces the other.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "author"],
                condition=Q(status__in=OPEN_STATUSES),
                name="revision_one_open_per_item_and_author",
            ),
            models.CheckConstraint(
                condition=~Q(status=RevisionStatus.SCHEDULED) | Q(go_live_at__isnull=False),
                name="revision_scheduled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def admin_url(self) -> str:
        # The content type keeps the model's app label and model name.
        content_type = self.content_type
        return reverse(
            f"admin:{content_type.app_label}_{content_type.model}_revision",
            args=[self.object_id, self.pk],
        )
