"""One row per action a person (or the scheduler, or an import) took on the site."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    SUBMIT = "submit", _("Submitted for review")
    RETURN = "return", _("Returned for rework")
    APPROVE = "approve", _("Approved")
    PUBLISH = "publish", _("Published")
    SCHEDULE = "schedule", _("Scheduled")
    WITHDRAW = "withdraw", _("Withdrawn")
    DELETE = "delete", _("Deleted")
    RESTORE = "restore", _("Restored an earlier version")
    IMPORT = "import", _("Imported")
    UNDO_IMPORT = "undo_import", _("Undid an import")
    ROLE_CHANGE = "role_change", _("Changed roles")
    LOGIN_LOCK = "login_lock", _("Locked out after failed logins")
    PRUNE = "prune", _("Removed old log entries")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # SET_NULL: deleting an account keeps the record; actor_name keeps who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("person's name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.CharField(_("item id"), max_length=64, blank=True)
    object_repr = models.CharField(_("item"), max_length=300, blank=True)
    summary = models.TextField(_("what"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_name or '-'} {self.get_action_display()} {self.object_repr}"
