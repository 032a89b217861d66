"""The import's bookkeeping: a record of each run, uploads waiting to be confirmed, and the
saved import profiles (how a source lays out its files)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..profiles.format import ProfileError, parse_profile


class ImportRecordQuerySet(models.QuerySet):
    def written(self):
        """Imports that wrote observations (not previews, dry runs or rejected files)."""
        return self.filter(committed=True)


class ImportRecord(models.Model):
    """One run of the observation importer (admin preview/confirm or command), for the record."""

    class Via(models.TextChoices):
        ADMIN = "admin", _("Admin")
        COMMAND = "command", _("Command line")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    dry_run = models.BooleanField(
        _("dry run"), help_text=_("A preview or --dry-run: checked, nothing written.")
    )
    committed = models.BooleanField(_("written"), help_text=_("The rows were written."))
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    messages = models.TextField(_("error messages"), blank=True)
    profile = models.CharField(
        _("import profile"),
        max_length=300,
        blank=True,
        help_text=_(
            "The profile the file was read with (its name, or its file); blank: the contract."
        ),
    )
    # The ids of the observations a written import added: one list, not a row each (an
    # import of new rows stays close to a plain bulk_create). What it changed is in `changes`.
    added_observations = models.JSONField(_("added observations"), default=list, blank=True)
    # A written import can be undone once, as one step (statistics.imports.undo).
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    objects = ImportRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import record")
        verbose_name_plural = _("import records")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(dry_run=True) & Q(committed=True)),
                name="importrecord_dry_run_writes_nothing",
            ),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True) | Q(committed=True),
                name="importrecord_only_written_imports_are_undone",
            ),
        ]

    def __str__(self):
        # Local time, as the record's "when" reads beside it.
        return f"{self.file_name or '-'} ({timezone.localtime(self.created_at):%Y-%m-%d %H:%M})"

    @property
    def can_be_undone(self):
        """Written and not undone yet (whether later work allows it is undo's to check)."""
        return self.committed and self.undone_at is None


class ImportedChange(models.Model):
    """One existing observation a written import changed: the fields an import writes as they
    were before and as the import wrote them (what it added is the record's
    `added_observations`).

    With `added_observations`, the import's batch record (its ImportRecord's `changes`): the
    admin shows what an import did from them, and undoing it restores `before` (and deletes
    what it added), but only while every observation still holds `after`: anything else is
    later work (a later import, an edit) that an undo must never silently replace. Written
    in bulk with the import, so the observations' own history (django-simple-history, row by
    row, too slow for 100,000 rows) is not written by imports.
    """

    record = models.ForeignKey(
        ImportRecord,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("import record"),
    )
    # SET_NULL: an observation deleted since is still counted (and blocks undoing the change).
    observation = models.ForeignKey(
        "Observation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("observation"),
    )
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("imported change")
        verbose_name_plural = _("imported changes")

    def __str__(self):
        return f"{self.record_id}: {self.observation_id}"


class PendingUploadQuerySet(models.QuerySet):
    def expired(self):
        """Uploads older than IMPORT_PENDING_SECONDS: they can no longer be confirmed."""
        return self.filter(created_at__lt=self.model.expiry_cutoff())

    def remove(self):
        """Delete these uploads without loading their bytes; returns how many were deleted."""
        return self.defer("data").delete()[1].get(self.model._meta.label, 0)

    def store(self, user, file_name, data, release_name="", release_at=None):
        """Keep `data` for `user` to confirm, and return the PendingUpload (with the data
        release chosen at the preview, if any: `release_name`, `release_at`).

        This is also the periodic clean-up, so it needs no scheduler: expired uploads go
        first, and so do the user's oldest ones beyond IMPORT_PENDING_PER_USER.
        """
        self.expired().remove()
        keep = max(settings.IMPORT_PENDING_PER_USER - 1, 0)
        older = self.filter(user=user).order_by("-created_at").values_list("pk", flat=True)
        self.filter(pk__in=list(older[keep:])).remove()
        return self.create(
            user=user,
            file_name=file_name[:255],
            size=len(data),
            data=data,
            release_name=release_name,
            staged_release_at=release_at,
        )

    def claim(self, pk, user):
        """Take `user`'s upload `pk` out of the queue and return it: it can be claimed once.

        Raises PendingUpload.DoesNotExist when there is no such upload of this user (a forged
        id, another user's, already confirmed, or removed) and PendingUpload.Expired when it
        is too old (it is deleted then). Call it before the import's own transaction and
        outside any other, so that the claim is committed before the import starts: a failed
        import (an error, a killed worker) leaves nothing to confirm again.
        """
        pending = self.get(pk=pk, user=user)
        # Of two confirms of one upload (a double click), only the one that deletes it goes on.
        if not self.filter(pk=pending.pk).remove():
            raise self.model.DoesNotExist
        if pending.is_expired:
            raise self.model.Expired(pending.file_name)
        return pending

    def put_back(self, pending):
        """Return a claimed upload to the queue as it was (its age too), for an import that
        certainly wrote nothing and may be confirmed again (the page cache was unavailable)."""
        uploaded_at = pending.created_at
        pending.save(force_insert=True)
        self.filter(pk=pending.pk).update(created_at=uploaded_at)


class PendingUpload(models.Model):
    """An import whose preview passed, waiting for its uploader to confirm it.

    The confirm form carries only this random id and the lookup is by id AND user, so a client
    can name nothing else: no path, no file, nobody else's upload. The bytes are in the
    database (at most IMPORT_MAX_UPLOAD_BYTES) so that any app server can answer the confirm
    step and nothing is written to a folder.
    """

    class Expired(Exception):
        """The upload waited longer than IMPORT_PENDING_SECONDS."""

        def __init__(self, file_name):
            super().__init__(file_name)
            self.file_name = file_name

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A transient upload belongs to its uploader: it goes with the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    data = models.BinaryField(_("data"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    # The data release the uploader chose at the preview, applied at the confirm step (the
    # confirm form carries only the id). Blank name: published at once. Not named
    # `release_at`: that name schedules the page cache (pagecache/schedule.py).
    release_name = models.CharField(_("stage as data release"), max_length=200, blank=True)
    staged_release_at = models.DateTimeField(_("release at"), null=True, blank=True)

    objects = PendingUploadQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def expiry_cutoff():
        """Uploads made before this moment have expired."""
        return timezone.now() - timedelta(seconds=settings.IMPORT_PENDING_SECONDS)

    @property
    def is_expired(self):
        return self.created_at < self.expiry_cutoff()


class ImportProfile(models.Model):
    """How one source lays out its files (statistics.profiles.format;
    docs/staff/import-profiles.md): files from that source import with it as they are published."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    definition = models.JSONField(
        _("definition"),
        help_text=_(
            "The profile in the wbportal-import-profile format (see docs/staff/import-profiles.md)."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")

    def __str__(self):
        return self.name

    def clean(self):
        if isinstance(self.definition, dict) and self.name:
            self.definition = {**self.definition, "name": self.name}
        try:
            parse_profile(self.definition)
        except ProfileError as error:
            raise ValidationError({"definition": error.problems}) from None

    def profile(self):
        return parse_profile({**self.definition, "name": self.name})
