"""The scheduler's heartbeat: one row per job, written by every run.

In the database rather than the cache: in development the cache is per process (the web
server could never see the scheduler's entry), and in production the row outlives a Redis
restart, so "last ran at" stays true.
"""

from datetime import datetime, timedelta
from typing import Self

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The job the scheduler runs every minute; the heartbeat's key.
PUBLISH_SCHEDULED = "publish_scheduled"
# The scheduler runs every minute: an approved change still waiting this long after its
# go-live time, or a heartbeat this old, means it is not running (a minute between runs,
# plus a minute's grace for a slow run or a restart).
OVERDUE_AFTER = timedelta(minutes=2)


class HeartbeatQuerySet(models.QuerySet["Heartbeat"]):
    def of(self, job: str) -> "Heartbeat | None":
        return self.filter(job=job).first()


class Heartbeat(models.Model):
    job = models.CharField(_("job"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("last run"))
    last_success_at = models.DateTimeField(_("last successful run"), null=True, blank=True)
    last_error = models.TextField(_("error of the last run"), blank=True)

    objects = HeartbeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("scheduler heartbeat")
        verbose_name_plural = _("scheduler heartbeats")

    def __str__(self) -> str:
        return f"{self.job}: {self.last_run_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, job: str, at: datetime, error: str = "") -> Self:
        """Record a run of `job` at `at` (failed when `error` is given)."""
        defaults: dict[str, object] = {"last_run_at": at, "last_error": error}
        if not error:
            defaults["last_success_at"] = at
        heartbeat, _created = cls.objects.update_or_create(job=job, defaults=defaults)
        return heartbeat

    def is_stale(self, now: datetime | None = None, allowance: timedelta | None = None) -> bool:
        """No successful run within `allowance` (default: OVERDUE_AFTER)."""
        now = now or timezone.now()
        last = self.last_success_at
        return last is None or last < now - (allowance or OVERDUE_AFTER)
