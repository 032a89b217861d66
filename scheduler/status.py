"""Whether scheduled changes are going live: what the review queue shows when the scheduler
is down (publishing's queue template includes `{% scheduler_status %}`).

Overdue: an approved change or a scheduled publication whose go-live time passed more than
OVERDUE_AFTER ago and that `publish_scheduled` has not yet put live (or recorded).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from publishing.revisions import Revision, RevisionQuerySet, RevisionStatus

from .models import OVERDUE_AFTER, PUBLISH_SCHEDULED, Heartbeat

# A warning names the items; past this many it says how many more.
LIST_LENGTH = 10


@dataclass
class Overdue:
    title: str
    url: str
    go_live_at: datetime


@dataclass
class SchedulerStatus:
    heartbeat: Heartbeat | None
    overdue: list[Overdue] = field(default_factory=list)
    overdue_count: int = 0
    now: datetime = field(default_factory=timezone.now)

    @property
    def is_running(self) -> bool:
        return self.heartbeat is not None and not self.heartbeat.is_stale(self.now)

    @property
    def more(self) -> int:
        return self.overdue_count - len(self.overdue)


def overdue_revisions(now: datetime | None = None) -> RevisionQuerySet:
    now = now or timezone.now()
    return Revision.objects.filter(
        status=RevisionStatus.SCHEDULED, go_live_at__lt=now - OVERDUE_AFTER
    )


def _may_view(user: User | AnonymousUser, content_type: ContentType) -> bool:
    return user.has_perm(f"{content_type.app_label}.view_{content_type.model}")


def scheduler_status(user: User | AnonymousUser, now: datetime | None = None) -> SchedulerStatus:
    """The heartbeat and the overdue items `user` may see (by their view permission)."""
    now = now or timezone.now()
    status = SchedulerStatus(heartbeat=Heartbeat.objects.of(PUBLISH_SCHEDULED), now=now)
    revisions = overdue_revisions(now).select_related("content_type").order_by("go_live_at")
    for revision in revisions:
        if not _may_view(user, revision.content_type):
            continue
        status.overdue_count += 1
        if len(status.overdue) < LIST_LENGTH:
            model = revision.content_type.model_class()
            kind = str(model._meta.verbose_name).capitalize() if model else ""
            status.overdue.append(
                Overdue(
                    f"{kind}: {revision.object_repr}",
                    revision.admin_url(),
                    revision.go_live_at or now,
                )
            )
    return status
