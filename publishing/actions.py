"""The workflow's actions: save a draft change, submit, return, approve (now or scheduled),
publish, withdraw, restore, and the go-live of what is due.

Each action is one function that checks who may act and in what state (raising `NotAllowed`
or `Refused`), then does its effect: the rows it writes, the audit log entry
(`audit.log.record`), the e-mail. The admin (forms, list actions, history revert, the
review page) and the `publish_scheduled` command only call these; the caller's transaction
holds the effect (the admin's POST, the command's `atomic()`), so the page cache's signals
bump inside it and a public page is never stale.

Who may do what is the caller's to say, through an `Actor`: the admin passes its model
admin's own object-level checks (`has_change_permission(request, obj)` and the
`publish_<model>` permission), the command acts as the scheduler.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditAction
from formatting.display import format_datetime

from . import notifications
from .models import Publishable
from .revisions import OPEN_STATUSES, Revision, RevisionKind, RevisionStatus
from .snapshots import (
    Snapshot,
    apply_snapshot,
    child_accessors,
    child_relation,
    merge,
    take_snapshot,
)


class NotAllowed(PermissionDenied):
    """The person may not do this to this item."""


class Refused(Exception):
    """The action cannot be done in the item's present state; the message says why."""

    def __init__(self, message: str, conflicts: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.conflicts = conflicts or []


def _perm(obj: models.Model, action: str) -> str:
    opts = obj._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


@dataclass(frozen=True)
class Actor:
    """Who acts, and the checks that say what they may do to an item."""

    user: User | None
    may_change: Callable[[models.Model], bool]
    may_publish: Callable[[models.Model], bool]
    name: str = ""

    @classmethod
    def of_user(cls, user: User) -> "Actor":
        """A person, by their model permissions (code outside the admin)."""
        return cls(
            user,
            lambda obj: user.has_perm(_perm(obj, "change")),
            lambda obj: user.has_perm(_perm(obj, "publish")),
        )

    @classmethod
    def scheduler(cls) -> "Actor":
        return cls(None, lambda obj: True, lambda obj: True, name="scheduler")


def change_url(obj: models.Model) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _audit(
    action: AuditAction, actor: Actor, obj: models.Model, summary: str, **detail: object
) -> None:
    record(action, actor=actor.user, obj=obj, summary=summary, detail=detail, actor_name=actor.name)


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed


def _require_version(revision: Revision, version: int | None) -> None:
    if version is not None and version != revision.version:
        raise Refused(
            _(
                "This change was saved again (version %(now)s) after you opened version "
                "%(seen)s: read it again before deciding."
            )
            % {"now": revision.version, "seen": version}
        )


def own_open_revision(obj: models.Model, user: User | None) -> Revision | None:
    """The person's own change of `obj` still being worked on (draft, submitted, returned)."""
    if user is None or obj.pk is None:
        return None
    return Revision.objects.for_item(obj).open().of_author(user).first()


def mark_live_changed(obj: models.Model, except_revision: Revision | None = None) -> None:
    """The live item changed: every open or scheduled proposal for it is now based on an
    older state. They stay where they are, marked, until a person decides."""
    revisions = Revision.objects.for_item(obj).filter(
        status__in=[*OPEN_STATUSES, RevisionStatus.SCHEDULED], kind=RevisionKind.CHANGE
    )
    if except_revision is not None:
        revisions = revisions.exclude(pk=except_revision.pk)
    revisions.update(live_changed_at=timezone.now())


def _item_of(revision: Revision) -> Publishable:
    item = revision.item
    if not isinstance(item, Publishable):
        raise NotAllowed  # the item was deleted: nobody may act on its proposal
    return item


# Draft changes and review requests


def save_draft(
    actor: Actor,
    obj: Publishable,
    snapshot: Snapshot,
    base: Snapshot,
    *,
    submit: bool = False,
    note: str = "",
    version: int | None = None,
    restored: bool = False,
) -> Revision:
    """Keep `snapshot` (made on the live state `base`) as the actor's proposed change of
    the live `obj`: their open revision gets a new version, or a new revision is made.
    Another person's proposal is never touched. `submit` asks for a review at once."""
    _require(actor.may_change(obj))
    revision = own_open_revision(obj, actor.user)
    if revision is not None:
        _require_version(revision, version)
        revision.version += 1
    else:
        revision = Revision(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            author=actor.user,
        )
    was_pending = revision.status == RevisionStatus.PENDING and revision.pk is not None
    revision.object_repr = str(obj)[:300]
    revision.snapshot = snapshot
    revision.base = base
    revision.live_changed_at = None
    revision.conflicts = []
    revision.note = note
    # A saved change needs a new review: approval names the version it approves.
    revision.status = RevisionStatus.PENDING if submit else RevisionStatus.DRAFT
    revision.save()
    if restored:
        action = AuditAction.RESTORE
        summary = _("Restored an earlier version as a proposed change (revision %(id)s).")
    else:
        action = AuditAction.CHANGE
        summary = _("Saved a proposed change (revision %(id)s, version %(version)s).")
    _audit(
        action,
        actor,
        obj,
        summary % {"id": revision.pk, "version": revision.version},
        revision=revision.pk,
        version=revision.version,
    )
    if submit:
        _announce_submission(actor, obj, revision, was_pending)
    return revision


def _announce_submission(
    actor: Actor, obj: models.Model, revision: Revision, was_pending: bool
) -> None:
    _audit(
        AuditAction.SUBMIT,
        actor,
        obj,
        _("Submitted revision %(id)s (version %(version)s) for review.")
        % {"id": revision.pk, "version": revision.version},
        revision=revision.pk,
        version=revision.version,
    )
    if not was_pending:
        notifications.review_requested(
            type(obj), revision.object_repr, revision.author, revision.admin_url()
        )


def submit(actor: Actor, revision: Revision, note: str | None = None) -> None:
    """Ask for the review of a draft or returned change: its author's decision (or a
    Publisher's, who may approve it anyway), never another Editor's."""
    item = _item_of(revision)
    _require(actor.may_change(item))
    _require(actor.user is None or actor.user.pk == revision.author_id or actor.may_publish(item))
    if revision.status not in (RevisionStatus.DRAFT, RevisionStatus.RETURNED):
        raise Refused(_("Only a draft or returned change can be submitted."))
    revision.status = RevisionStatus.PENDING
    if note is not None:
        revision.note = note
    revision.save()
    _announce_submission(actor, item, revision, was_pending=False)


def submit_item(actor: Actor, obj: Publishable) -> bool:
    """Ask for the review of a draft item (never approved); False if it is not one."""
    _require(actor.may_change(obj))
    if obj.is_published or obj.review_requested:
        return False
    obj.review_requested = True
    obj._change_reason = "Submitted for review"
    obj.save()
    _audit(AuditAction.SUBMIT, actor, obj, _("Submitted the draft for review."))
    notifications.review_requested(type(obj), str(obj), actor.user, change_url(obj))
    return True


def return_to_author(actor: Actor, revision: Revision, comment: str, version: int | None) -> None:
    item = _item_of(revision)
    _require(actor.may_publish(item))
    if revision.status not in (RevisionStatus.PENDING, RevisionStatus.DRAFT):
        raise Refused(_("This change is not waiting for a review."))
    _require_version(revision, version)
    if not comment.strip():
        raise Refused(_("Say what should change before returning it."))
    revision.reviewer = actor.user
    revision.reviewed_at = timezone.now()
    revision.comment = comment.strip()
    revision.status = RevisionStatus.RETURNED
    revision.save()
    _audit(
        AuditAction.RETURN,
        actor,
        item,
        _("Returned revision %(id)s (version %(version)s): %(comment)s")
        % {"id": revision.pk, "version": revision.version, "comment": revision.comment},
        revision=revision.pk,
        version=revision.version,
    )
    notifications.returned(revision, revision.admin_url())


# Approval and go-live


def approve(
    actor: Actor,
    revision: Revision,
    version: int | None,
    go_live_at: datetime | None = None,
    comment: str = "",
) -> Revision:
    """Approve exactly version `version` of the change: applied now, or scheduled for
    `go_live_at` (see `go_live`). Refused if the change was saved since it was shown, or
    (now) if the live page changed meanwhile in the fields the change touches."""
    item = _item_of(revision)
    _require(actor.may_publish(item))
    if revision.status not in (RevisionStatus.PENDING, RevisionStatus.DRAFT):
        raise Refused(_("This change is not waiting for a review."))
    _require_version(revision, version)
    now = timezone.now()
    if go_live_at is not None and go_live_at > now:
        revision.reviewer = actor.user
        revision.reviewed_at = now
        revision.comment = comment
        revision.go_live_at = go_live_at
        revision.status = RevisionStatus.SCHEDULED
        revision.save()
        _audit(
            AuditAction.SCHEDULE,
            actor,
            item,
            _("Approved revision %(id)s (version %(version)s) to go live on %(when)s.")
            % {"id": revision.pk, "version": revision.version, "when": format_datetime(go_live_at)},
            revision=revision.pk,
            version=revision.version,
        )
    else:
        conflicts = _go_live(actor, revision, item, now, comment=comment)
        if conflicts:
            raise Refused(
                _(
                    "The live page changed since this change was made, in the same places: "
                    "%(places)s. Nothing was applied; compare both changes below."
                )
                % {"places": "; ".join(conflicts)},
                conflicts,
            )
    notifications.approved(revision, revision.admin_url())
    return revision


def _back_to_review(
    revision: Revision, item: Publishable, now: datetime, conflicts: list[str]
) -> None:
    """Not applied: the change goes back to review with what stood in its way."""
    newer = (
        Revision.objects.for_item(item)
        .open()
        .filter(author=revision.author_id)
        .exclude(pk=revision.pk)
    )
    # Back to review, unless its author already works on a newer change of the item (one
    # open change per person): that one is theirs to finish; this one is kept, with its
    # conflicts, and they are mailed.
    revision.status = (
        RevisionStatus.SUPERSEDED
        if revision.author_id is not None and newer.exists()
        else RevisionStatus.PENDING
    )
    revision.conflicts = conflicts
    revision.live_changed_at = revision.live_changed_at or now
    revision.go_live_at = None
    revision.save()


def _go_live_checked(
    actor: Actor, revision: Revision, item: Publishable, now: datetime
) -> list[str]:
    """_go_live in a savepoint, with the database's references checked at once: a change
    choosing something deleted since (an image a Publisher removed) goes back to review
    instead of failing the commit of every change due in the same run."""
    try:
        with transaction.atomic():
            conflicts = _go_live(actor, revision, item, now)
            if not conflicts:
                connection.check_constraints(table_names=_tables_of(item))
            return conflicts
    except IntegrityError:
        revision.refresh_from_db()
        conflicts = [_("Something this change chooses (an image, a country...) was deleted.")]
        _back_to_review(revision, item, now, conflicts)
        return conflicts


def _tables_of(item: Publishable) -> list[str]:
    """The tables a go-live of `item` writes: its own and its children's."""
    model = type(item)
    tables = [model._meta.db_table]
    for accessor in child_accessors(model):
        tables.append(child_relation(model, accessor)[0]._meta.db_table)
    return tables


def _go_live(
    actor: Actor, revision: Revision, item: Publishable, now: datetime, comment: str | None = None
) -> list[str]:
    """Apply the change's own edits to the live item (a three-way merge against the state
    it was made on). On a conflict nothing is applied: the revision goes back to review,
    marked, and the conflicts are returned. `comment` is given by an approval made now
    (the actor is then its reviewer)."""
    if revision.kind == RevisionKind.CHANGE:
        live = take_snapshot(item)
        merged, conflicts = merge(revision.base or live, revision.snapshot, live)
        if conflicts:
            _back_to_review(revision, item, now, conflicts)
            return conflicts
        if comment is not None:
            _record_approval(actor, revision, item, now, comment)
        apply_snapshot(
            item,
            merged,
            publish_new_children=True,
            change_reason=f"Approved revision {revision.pk}",
            user=revision.reviewer,
        )
        mark_live_changed(item, except_revision=revision)
    elif comment is not None:
        _record_approval(actor, revision, item, now, comment)
    revision.status = RevisionStatus.PUBLISHED
    revision.published_at = now
    revision.conflicts = []
    revision.save()
    _audit(
        AuditAction.PUBLISH,
        actor,
        item,
        _("Revision %(id)s is live.") % {"id": revision.pk}
        if revision.kind == RevisionKind.CHANGE
        else _("The item is live."),
        revision=revision.pk,
    )
    return []


def _record_approval(
    actor: Actor, revision: Revision, item: Publishable, now: datetime, comment: str
) -> None:
    revision.reviewer = actor.user
    revision.reviewed_at = now
    revision.comment = comment
    revision.go_live_at = now
    _audit(
        AuditAction.APPROVE,
        actor,
        item,
        _("Approved revision %(id)s (version %(version)s).")
        % {"id": revision.pk, "version": revision.version},
        revision=revision.pk,
        version=revision.version,
    )


@transaction.atomic
def publish_due(now: datetime | None = None) -> list[Revision]:
    """Apply every approved change whose time has come and record scheduled publications
    that went live; returns the revisions published. A change whose fields the live item
    changed meanwhile goes back to review instead. Run by `manage.py publish_scheduled`."""
    now = now or timezone.now()
    actor = Actor.scheduler()
    published = []
    # Locked and skipped when locked: the scheduler and a run by hand at the same moment
    # never apply (and announce) one change twice. SQLite has one writer at a time anyway.
    due = Revision.objects.due(now).select_for_update(skip_locked=True, of=("self",))
    for revision in due:
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
        if _go_live_checked(actor, revision, item, now):
            notifications.conflict(revision, revision.admin_url())
            continue
        notifications.went_live(revision, change_url(item))
        published.append(revision)
    return published


# Direct changes to items (Publishers, or drafts never approved)


def record_publication(actor: Actor, obj: Publishable) -> Revision:
    """A Publisher published a draft (now or from its `publish_at`): recorded for the queue
    and, when it is scheduled, for the notice that it went live."""
    now = timezone.now()
    go_live = obj.publish_at or now
    scheduled = go_live > now
    Revision.objects.for_item(obj).filter(
        kind=RevisionKind.PUBLICATION, status=RevisionStatus.SCHEDULED
    ).update(status=RevisionStatus.SUPERSEDED)
    _audit(
        AuditAction.SCHEDULE if scheduled else AuditAction.PUBLISH,
        actor,
        obj,
        _("Published from %(when)s.") % {"when": format_datetime(go_live)}
        if scheduled
        else _("Published."),
    )
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        kind=RevisionKind.PUBLICATION,
        status=RevisionStatus.SCHEDULED if scheduled else RevisionStatus.PUBLISHED,
        author=actor.user,
        reviewer=actor.user,
        reviewed_at=now,
        go_live_at=go_live,
        published_at=None if scheduled else now,
    )


def publish(actor: Actor, obj: Publishable) -> bool:
    """Approve a draft item for publication (from its `publish_at`, or now); False if it
    is already approved."""
    _require(actor.may_publish(obj))
    if obj.is_published:
        return False
    now = timezone.now()
    obj.is_published = True
    obj.review_requested = False
    if obj.publish_at is None:
        obj.publish_at = now
    if obj.unpublish_at is not None and obj.unpublish_at <= obj.publish_at:
        obj.unpublish_at = None
    obj._change_reason = "Published"
    obj.save()
    record_publication(actor, obj)
    return True


def withdraw(actor: Actor, obj: Publishable) -> bool:
    """Take an approved item off the public site; False if it was not approved."""
    _require(actor.may_publish(obj))
    if not obj.is_published:
        return False
    obj.is_published = False
    obj.publish_at = None
    obj.unpublish_at = None
    obj._change_reason = "Unpublished"
    obj.save()
    _audit(AuditAction.WITHDRAW, actor, obj, _("Withdrawn from the public site."))
    return True


def record_restore(actor: Actor, obj: Publishable) -> None:
    """An earlier version was written back directly (a draft, or by someone who may
    publish; the admin's save did the writing and `after_direct_change`)."""
    _require(actor.may_change(obj))
    _audit(AuditAction.RESTORE, actor, obj, _("Restored an earlier version."))


def after_direct_change(
    actor: Actor, obj: Publishable, was_published: bool, was_in_review: bool
) -> None:
    """The effects of a direct save of `obj` (the admin form, a history restore) made by
    someone allowed to: proposals based on the older state are marked, a publication is
    recorded, a review request announced."""
    if was_published:
        mark_live_changed(obj)
    if obj.is_published and not was_published:
        record_publication(actor, obj)
    elif obj.review_requested and not was_in_review:
        _audit(AuditAction.SUBMIT, actor, obj, _("Submitted the draft for review."))
        notifications.review_requested(type(obj), str(obj), actor.user, change_url(obj))
