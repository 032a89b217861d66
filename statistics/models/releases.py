"""Data releases: a batch of observations staged by an import, public from its time."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .imports import ImportRecord


class ReleaseStatus(models.TextChoices):
    HELD = "held", _("Held until released")
    SCHEDULED = "scheduled", _("Scheduled")
    RELEASED = "released", _("Released")


class DataReleaseQuerySet(models.QuerySet):
    def released(self):
        """Releases whose time has come: their observations are public (with their areas).
        Compared with the current time when the query is built, as `publish_at` is."""
        return self.filter(release_at__lte=timezone.now())

    def pending(self):
        """Held (no time yet) or scheduled for later: their observations are staff-only."""
        return self.filter(Q(release_at__isnull=True) | Q(release_at__gt=timezone.now()))

    def with_observation_count(self):
        return self.annotate(observation_count=Count("observations"))


class DataRelease(models.Model):
    """A batch of observations staged by an import (an embargo): public at `release_at`, or
    when a Publisher or Data manager releases it ("Release now" sets `release_at` to that
    moment). Until then only staff see the batch, on the region and country previews.

    A staged import only adds observations (statistics.imports): values already public
    never wait for a release, so there is no pending copy of a public value to keep.
    """

    name = models.CharField(_("name"), max_length=200)
    release_at = models.DateTimeField(
        _("release at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "When the observations become public, with nobody acting. Blank: held until a "
            "Publisher or Data manager releases them."
        ),
    )
    created_at = models.DateTimeField(_("staged at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staged by"),
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
        help_text=_("Who released it by hand (blank: released by its time, or not yet)."),
    )
    import_record = models.OneToOneField(
        ImportRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="release",
        verbose_name=_("import"),
    )

    objects = DataReleaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("data release")
        verbose_name_plural = _("data releases")
        permissions = [("release_datarelease", _("Can release staged data now"))]

    def __str__(self):
        return self.name

    @property
    def status(self):
        if self.release_at is None:
            return ReleaseStatus.HELD
        if self.release_at > timezone.now():
            return ReleaseStatus.SCHEDULED
        return ReleaseStatus.RELEASED

    @property
    def is_released(self):
        return self.status == ReleaseStatus.RELEASED

    def release_now(self, user):
        """Make the batch public at once (saved: the page cache is bumped by the save)."""
        self.release_at = timezone.now()
        self.released_by = user if user is not None and user.is_authenticated else None
        self.save(update_fields=["release_at", "released_by"])
