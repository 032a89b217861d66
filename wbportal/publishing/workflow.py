"""The steps of the review workflow, each one function: propose, request review, approve,
return, and publish what is due. The admin (wbportal.publishing.admin) and the
`publish_scheduled` command call these; they check nothing about who may act (the admin
does), and they send the notifications."""

from datetime import datetime

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import notifications
from .models import Publishable
from .revisions import Revision, RevisionKind, RevisionStatus
from .snapshots import Snapshot, apply_snapshot


def change_url(obj: models.Model) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def propose(
    obj: Publishable, snapshot: Snapshot, author: User | None, ready: bool, note: str = ""
) -> Revision:
    """Keep `snapshot` as the proposed state of the live `obj`. An open revision of the same
    author (draft or awaiting review) is updated; any other open one (returned, or
    someone else's) is superseded by a new one, keeping its comment."""
    current = Revision.objects.for_item(obj).open().first()
    if current and (
        current.author_id != getattr(author, "pk", None)
        or current.status == RevisionStatus.RETURNED
    ):
        current.status = RevisionStatus.SUPERSEDED
        current.save(update_fields=["status", "updated_at"])
        current = None
    was_pending = current is not None and current.status == RevisionStatus.PENDING
    revision = current or Revision(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        author=author,
    )
    revision.object_repr = str(obj)[:300]
    revision.snapshot = snapshot
    revision.note = note
    revision.status = RevisionStatus.PENDING if ready else RevisionStatus.DRAFT
    revision.save()
    if ready and not was_pending:
        notifications.review_requested(
            type(obj), revision.object_repr, author, revision.admin_url()
        )
    return revision


def request_review(revision: Revision, note: str | None = None) -> None:
    revision.status = RevisionStatus.PENDING
    if note is not None:
        revision.note = note
    revision.save()
    model = revision.content_type.model_class()
    assert model is not None, "a revision is reviewed in the admin of its model"
    notifications.review_requested(
        model,
        revision.object_repr,
        revision.author,
        revision.admin_url(),
    )


def _apply(revision: Revision, now: datetime) -> None:
    item = revision.item
    if revision.kind == RevisionKind.CHANGE and item is not None:
        apply_snapshot(
            item,
            revision.snapshot,
            publish_new_children=True,
            change_reason=f"Approved revision {revision.pk}",
            user=revision.reviewer,
        )
    revision.status = RevisionStatus.PUBLISHED
    revision.published_at = now
    revision.save()


def approve(
    revision: Revision, reviewer: User, go_live_at: datetime | None = None, comment: str = ""
) -> Revision:
    """Approve: applied now, or at `go_live_at` by `publish_scheduled`."""
    now = timezone.now()
    revision.reviewer = reviewer
    revision.reviewed_at = now
    revision.comment = comment
    if go_live_at is not None and go_live_at > now:
        revision.go_live_at = go_live_at
        revision.status = RevisionStatus.SCHEDULED
        revision.save()
    else:
        revision.go_live_at = now
        _apply(revision, now)
    notifications.approved(revision, revision.admin_url())
    return revision


def return_to_author(revision: Revision, reviewer: User, comment: str) -> None:
    revision.reviewer = reviewer
    revision.reviewed_at = timezone.now()
    revision.comment = comment
    revision.status = RevisionStatus.RETURNED
    revision.save()
    notifications.returned(revision, revision.admin_url())


def record_publication(obj: Publishable, publisher: User) -> Revision:
    """A Publisher published a draft (now or from its `publish_at`): recorded for the queue
    and, when it is scheduled, for the notice that it went live."""
    now = timezone.now()
    go_live = obj.publish_at or now
    scheduled = go_live > now
    Revision.objects.for_item(obj).filter(
        kind=RevisionKind.PUBLICATION, status=RevisionStatus.SCHEDULED
    ).update(status=RevisionStatus.SUPERSEDED)
    # A draft that was waiting for review is answered by its publication.
    Revision.objects.for_item(obj).open().update(status=RevisionStatus.SUPERSEDED)
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        kind=RevisionKind.PUBLICATION,
        status=RevisionStatus.SCHEDULED if scheduled else RevisionStatus.PUBLISHED,
        author=publisher,
        reviewer=publisher,
        reviewed_at=now,
        go_live_at=go_live,
        published_at=None if scheduled else now,
    )


def publish_due(now: datetime | None = None) -> list[Revision]:
    """Apply every approved revision whose time has come and record scheduled publications
    that went live; returns the revisions published. Run by `manage.py publish_scheduled`."""
    now = now or timezone.now()
    published = []
    for revision in Revision.objects.due(now):
        item = revision.item
        if item is None:
            revision.status = RevisionStatus.SUPERSEDED
            revision.save()
            continue
        if revision.kind == RevisionKind.PUBLICATION and not item.is_live_at(now):
            # Unpublished or rescheduled since: follow the item's own schedule.
            if item.is_published and item.publish_at and item.publish_at > now:
                revision.go_live_at = item.publish_at
            else:
                revision.status = RevisionStatus.SUPERSEDED
            revision.save()
            continue
        _apply(revision, now)
        notifications.went_live(revision, change_url(item))
        published.append(revision)
    return published
