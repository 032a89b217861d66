"""The draft/published workflow shared by regions, projects and contacts.

A publishable model has
- an approval flag (`is_published`; a contact's is `is_public`), which only a Publisher sets,
- `publish_at`: when the approved item goes public (blank: as soon as it is approved),
- `review_requested`: an Editor's "ready for review", cleared on publication,
- `review_note`: an internal note for the Publisher, never shown on the public site.

Whether an item is public is decided in one place, `PublishableQuerySet.live()`, which compares
with `timezone.now()` at query time: a scheduled item appears without anyone acting.
"""

from django.db import models
from django.db.models import BooleanField, Case, ExpressionWrapper, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


def publish_at_field():
    return models.DateTimeField(
        _("publish from"),
        null=True,
        blank=True,
        help_text=_(
            "When the approved item appears on the public site. Blank: as soon as it is "
            "approved (the time of approval is then filled in)."
        ),
    )


def review_requested_field():
    return models.BooleanField(
        _("ready for review"),
        default=False,
        help_text=_("Tick when the text is ready for a Publisher to check and publish."),
    )


def review_note_field():
    return models.TextField(
        _("note for the publisher"),
        blank=True,
        help_text=_("Internal: never shown on the public site."),
    )


def published_not_in_review(name, flag="is_published"):
    return models.CheckConstraint(
        condition=Q(**{flag: False}) | Q(review_requested=False),
        name=name,
        violation_error_message=_("A published item cannot be waiting for review."),
    )


def can_preview(user, model):
    """Staff who may see drafts of `model` on the public layout."""
    opts = model._meta
    return bool(
        user
        and user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


class PublishableQuerySet(models.QuerySet):
    @property
    def _flag(self):
        return self.model.publish_flag

    def _live_q(self):
        return Q(**{self._flag: True}) & (
            Q(publish_at__isnull=True) | Q(publish_at__lte=timezone.now())
        )

    def live(self):
        """Approved and due: what the public sees, right now."""
        return self.filter(self._live_q())

    def visible_to(self, user):
        """What `user` may open on the public layout: everything for staff who may view
        the model, otherwise only what is live. Annotated `is_live` (False: show the draft
        banner)."""
        if can_preview(user, self.model):
            return self.annotate(
                is_live=ExpressionWrapper(self._live_q(), output_field=BooleanField())
            )
        return self.live().annotate(is_live=Value(True, output_field=BooleanField()))

    def with_publication_status(self):
        now = timezone.now()
        return self.annotate(
            publication_status=Case(
                When(self._live_q(), then=Value(PublicationStatus.PUBLISHED)),
                When(
                    Q(**{self._flag: True}, publish_at__gt=now),
                    then=Value(PublicationStatus.SCHEDULED),
                ),
                When(review_requested=True, then=Value(PublicationStatus.IN_REVIEW)),
                default=Value(PublicationStatus.DRAFT),
                output_field=models.CharField(),
            )
        )

    def with_status(self, status):
        return self.with_publication_status().filter(publication_status=status)


def last_change(*moments):
    """The latest of the given datetimes (None ignored): a page's "Last updated", from the
    item's own `updated_at` and those of its figures already loaded for the page."""
    return max((moment for moment in moments if moment is not None), default=None)
