"""Each person's review queue, shown on the admin index: my drafts, returned to me, awaiting
review (for Publishers), scheduled to go live or to be withdrawn, recently published.

A fixed number of queries whatever the amount of content: one for the revisions, one per
publishable model (the items themselves: drafts, review requests, schedules).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.auth.models import User
from django.db import models as db_models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Publishable
from .revisions import Revision, RevisionStatus

# Per list: a queue is for acting on, not an archive.
LIST_LENGTH = 15
RECENT_DAYS = 14


@dataclass
class Entry:
    title: str
    url: str
    detail: str
    when: datetime | None = None


@dataclass
class ReviewQueue:
    my_drafts: list[Entry] = field(default_factory=list)
    returned: list[Entry] = field(default_factory=list)
    awaiting_review: list[Entry] = field(default_factory=list)
    going_live: list[Entry] = field(default_factory=list)
    withdrawals: list[Entry] = field(default_factory=list)
    recently_published: list[Entry] = field(default_factory=list)
    is_publisher: bool = False

    def sections(self) -> list[tuple[str, list[Entry]]]:
        sections = [
            (_("Returned to me"), self.returned),
            (_("My drafts"), self.my_drafts),
        ]
        if self.is_publisher:
            sections.append((_("Awaiting review"), self.awaiting_review))
        sections += [
            (_("Scheduled to go live"), self.going_live),
            (_("Scheduled to be withdrawn"), self.withdrawals),
            (_("Recently published"), self.recently_published),
        ]
        return sections


def publishable_models() -> list[type[Publishable]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and not model._meta.abstract
    ]


def _perm(model: type[db_models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _change_url(model: type[db_models.Model], pk: object) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])


def _kind(model: type[db_models.Model]) -> str:
    return str(model._meta.verbose_name).capitalize()


def _revision_entry(revision: Revision, model: type[db_models.Model], detail: str) -> Entry:
    return Entry(
        f"{_kind(model)}: {revision.object_repr}",
        revision.admin_url(),
        detail,
        revision.go_live_at if revision.status == RevisionStatus.SCHEDULED else None,
    )


def review_queue(user: User) -> ReviewQueue:
    now = timezone.now()
    queue = ReviewQueue()
    models = [m for m in publishable_models() if user.has_perm(_perm(m, "view"))]
    publishes = {m for m in models if user.has_perm(_perm(m, "publish"))}
    queue.is_publisher = bool(publishes)
    labels = {(m._meta.app_label, m._meta.model_name): m for m in models}
    publish_labels = {(m._meta.app_label, m._meta.model_name) for m in publishes}

    revisions = (
        Revision.objects.filter(
            Q(author=user, status__in=[RevisionStatus.DRAFT, RevisionStatus.PENDING])
            | Q(author=user, status=RevisionStatus.RETURNED)
            | Q(status__in=[RevisionStatus.PENDING, RevisionStatus.SCHEDULED])
            | Q(
                status=RevisionStatus.PUBLISHED, published_at__gte=now - timedelta(days=RECENT_DAYS)
            )
        )
        .select_related("content_type", "author")
        .order_by("-updated_at", "-pk")
    )
    scheduled_items = set()
    for revision in revisions:
        key = (revision.content_type.app_label, revision.content_type.model)
        if key not in labels:
            continue
        model = labels[key]
        mine = revision.author_id == user.pk
        marker = _("; the live page changed since") if revision.live_changed_at else ""
        if revision.status == RevisionStatus.RETURNED and mine:
            queue.returned.append(_revision_entry(revision, model, revision.comment))
        elif mine and revision.status in (RevisionStatus.DRAFT, RevisionStatus.PENDING):
            queue.my_drafts.append(
                _revision_entry(revision, model, f"{revision.get_status_display()}{marker}")
            )
        if revision.status == RevisionStatus.PENDING and key in publish_labels:
            author = revision.author.get_username() if revision.author else ""
            detail = _("Change by %(author)s") % {"author": author}
            if revision.conflicts:
                detail += _("; could not go live: the live page changed in the same places")
            queue.awaiting_review.append(_revision_entry(revision, model, detail + marker))
        elif revision.status == RevisionStatus.SCHEDULED:
            scheduled_items.add((*key, revision.object_id))
            queue.going_live.append(_revision_entry(revision, model, revision.get_kind_display()))
        elif revision.status == RevisionStatus.PUBLISHED:
            queue.recently_published.append(
                Entry(
                    f"{_kind(model)}: {revision.object_repr}",
                    revision.admin_url(),
                    revision.get_kind_display(),
                    revision.published_at,
                )
            )

    for model in models:
        history = model.history.model
        last_editor = Subquery(
            history.objects.filter(id=OuterRef("pk"))
            .order_by("-history_date", "-history_id")
            .values("history_user")[:1]
        )
        model_key = (model._meta.app_label, model._meta.model_name)
        items = (
            model._default_manager.annotate(last_editor=last_editor)
            .filter(
                Q(is_published=False, last_editor=user.pk)
                | Q(is_published=False, review_requested=True)
                | Q(is_published=True, publish_at__gt=now)
                | Q(is_published=True, unpublish_at__gt=now)
            )
            .order_by("-pk")[: LIST_LENGTH * 4]
        )
        for item in items:
            entry = Entry(f"{_kind(model)}: {item}", _change_url(model, item.pk), "")
            if not item.is_published:
                if item.last_editor == user.pk:
                    detail = _("In review") if item.review_requested else _("Draft")
                    queue.my_drafts.append(Entry(entry.title, entry.url, detail))
                if item.review_requested and model in publishes:
                    queue.awaiting_review.append(Entry(entry.title, entry.url, _("New item")))
                continue
            if item.publish_at and item.publish_at > now:
                if (*model_key, item.pk) not in scheduled_items:
                    queue.going_live.append(
                        Entry(entry.title, entry.url, _("Publication"), item.publish_at)
                    )
            if item.unpublish_at and item.unpublish_at > now:
                queue.withdrawals.append(
                    Entry(entry.title, entry.url, _("Withdrawal"), item.unpublish_at)
                )

    queue.going_live.sort(key=lambda entry: entry.when or now)
    queue.withdrawals.sort(key=lambda entry: entry.when or now)
    queue.recently_published.sort(key=lambda entry: entry.when or now, reverse=True)
    for _title, entries in queue.sections():
        del entries[LIST_LENGTH:]
    del queue.my_drafts[LIST_LENGTH:]
    del queue.returned[LIST_LENGTH:]
    return queue
