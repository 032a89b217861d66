"""The publishable model: its fields, constraints and QuerySet.

A publishable model inherits `Publishable` and declares its `publish_<model>` permission:

    class Office(Publishable):
        ...
        objects = OfficeQuerySet.as_manager()   # a PublishableQuerySet subclass

        class Meta(Publishable.Meta):
            permissions = [("publish_office", _("Can publish and unpublish offices"))]

It then has
- `is_published`: approved for publication, which only a Publisher sets,
- `publish_at`: when the approved item goes public (blank: as soon as it is approved),
- `unpublish_at`: when it is withdrawn again (blank: never),
- `review_requested`: an Editor's "ready for review", cleared on publication,
- `review_note`: an internal note for the Publisher, never shown on the public site.

Whether an item is public is decided in one place, `PublishableQuerySet.live()`, which compares
with `timezone.now()` at query time: a scheduled publication or withdrawal happens without
anyone acting (and the page cache caps each page's life at the next one,
pagecache/schedule.py). Changes to an item that is already public are kept as
revisions until a Publisher approves them (`publishing.revisions`).
"""

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from simple_history.manager import HistoryManager


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The fields only a Publisher sets.
PUBLICATION_FIELDS = ("is_published", "publish_at", "unpublish_at")
# Every field of the workflow: none of them is part of an Editor's proposed change.
WORKFLOW_FIELDS = (*PUBLICATION_FIELDS, "review_requested", "review_note")


def can_preview(user: User | AnonymousUser | None, model: type[models.Model]) -> bool:
    """Staff who may see drafts of `model` on the public layout."""
    opts = model._meta
    return bool(
        user
        and user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


def live_q(prefix: str = "") -> Q:
    """The condition "public now" for a publishable model (or one reached via `prefix`)."""
    now = timezone.now()
    return (
        Q(**{f"{prefix}is_published": True})
        & (Q(**{f"{prefix}publish_at__isnull": True}) | Q(**{f"{prefix}publish_at__lte": now}))
        & (Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": now}))
    )


# The publishable model. Bound to Model, not to Publishable below: that forward reference
# crashes mypy 1.19 with the Django plugin.
_P = TypeVar("_P", bound=models.Model)


class PublishableQuerySet(models.QuerySet[_P]):
    def live(self) -> Self:
        """Approved, due and not withdrawn: what the public sees, right now."""
        return self.filter(live_q())

    def published(self) -> Self:
        return self.live()

    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        """What `user` may open on the public layout: everything for staff who may view
        the model, otherwise only what is live. Annotated `is_live` (False: show the draft
        banner)."""
        if can_preview(user, self.model):
            return self.annotate(is_live=ExpressionWrapper(live_q(), output_field=BooleanField()))
        return self.live().annotate(is_live=Value(True, output_field=BooleanField()))

    def with_publication_status(self) -> Self:
        now = timezone.now()
        return self.annotate(
            publication_status=Case(
                When(live_q(), then=Value(PublicationStatus.PUBLISHED)),
                When(
                    Q(is_published=True, publish_at__gt=now),
                    then=Value(PublicationStatus.SCHEDULED),
                ),
                When(
                    Q(is_published=True, unpublish_at__lte=now),
                    then=Value(PublicationStatus.WITHDRAWN),
                ),
                When(review_requested=True, then=Value(PublicationStatus.IN_REVIEW)),
                default=Value(PublicationStatus.DRAFT),
                output_field=models.CharField(),
            )
        )

    def with_status(self, status: str) -> Self:
        return self.with_publication_status().filter(publication_status=status)

    def withdrawal_scheduled(self) -> Self:
        """Live items that a Publisher has set to be withdrawn at a future time."""
        return self.live().filter(unpublish_at__isnull=False)

    def going_live(self) -> Self:
        """Approved items whose publication time is still to come."""
        return self.filter(is_published=True, publish_at__gt=timezone.now())


def as_publishable(queryset: models.QuerySet[_P]) -> PublishableQuerySet[_P]:
    """The queryset of a publishable model (from its default manager, or the admin's), as
    what it is: a PublishableQuerySet."""
    if not isinstance(queryset, PublishableQuerySet):
        raise TypeError(f"{queryset.model.__name__} does not use a PublishableQuerySet.")
    return queryset


class Publishable(models.Model):
    # The name of the approval flag, for code that works on any publishable model.
    publish_flag = "is_published"

    is_published = models.BooleanField(
        _("approved for publication"),
        default=False,
        help_text=_("Set by a Publisher; public from the 'publish from' time on."),
    )
    publish_at = models.DateTimeField(
        _("publish from"),
        null=True,
        blank=True,
        help_text=_(
            "When the approved item appears on the public site. Blank: as soon as it is "
            "approved (the time of approval is then filled in)."
        ),
    )
    unpublish_at = models.DateTimeField(
        _("withdraw at"),
        null=True,
        blank=True,
        help_text=_("When the item leaves the public site again. Blank: it stays."),
    )
    review_requested = models.BooleanField(
        _("ready for review"),
        default=False,
        help_text=_("Tick when the text is ready for a Publisher to check and publish."),
    )
    review_note = models.TextField(
        _("note for the publisher"),
        blank=True,
        help_text=_("Internal: never shown on the public site."),
    )

    # Read by django-simple-history on the next save: the reason and the user its history
    # record shows (set by the workflow; not fields).
    _change_reason: str
    _history_user: User | None
    # Every publishable model keeps its history (`history = HistoricalRecords()`).
    history: ClassVar["HistoryManager"]

    if TYPE_CHECKING:
        # Every publishable model has a public page (previews render it); each defines it.
        def get_absolute_url(self) -> str: ...

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(review_requested=False),
                name="%(app_label)s_%(class)s_published_not_in_review",
                violation_error_message=_("A published item cannot be waiting for review."),
            ),
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True)
                | Q(unpublish_at__isnull=True)
                | Q(unpublish_at__gt=F("publish_at")),
                name="%(app_label)s_%(class)s_withdrawn_after_published",
                violation_error_message=_(
                    "The withdrawal time must come after the publication time."
                ),
            ),
        ]

    @property
    def is_public_now(self) -> bool:
        """Whether the public sees the item right now (templates: no argument to pass)."""
        return self.is_live_at(timezone.now())

    def is_live_at(self, moment: datetime) -> bool:
        """The rule of PublishableQuerySet.live(), for an item already in memory."""
        return (
            self.is_published
            and (self.publish_at is None or self.publish_at <= moment)
            and (self.unpublish_at is None or self.unpublish_at > moment)
        )


def last_change(*moments: datetime | None) -> datetime | None:
    """The latest of the given datetimes (None ignored): a page's "Last updated", from the
    item's own `updated_at` and those of its figures already loaded for the page."""
    return max((moment for moment in moments if moment is not None), default=None)


# The workflow's own tables, defined beside their code; imported here so Django finds them.
from .notifications import NotificationPreference  # noqa: E402
from .revisions import Revision  # noqa: E402

__all__ = [
    "NotificationPreference",
    "PUBLICATION_FIELDS",
    "PublicationStatus",
    "Publishable",
    "PublishableQuerySet",
    "Revision",
    "can_preview",
    "last_change",
    "live_q",
]
