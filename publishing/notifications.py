"""E-mail about the workflow, through Django's mail framework (EMAIL_* settings).

Sent only once the change that caused it is committed (a rolled-back approval mails
nobody), only to active users with an address, and never to someone who turned
notifications off (`NotificationPreference`, editable by each user in the admin).
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from formatting.display import format_datetime

from .revisions import Revision

logger = logging.getLogger(__name__)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=gettext_lazy("user"),
    )
    email_enabled = models.BooleanField(
        gettext_lazy("send me e-mail about reviews"),
        default=True,
        help_text=gettext_lazy(
            "Review requested (Publishers), your change approved or returned, and your "
            "scheduled item gone live."
        ),
    )

    class Meta:
        # The table keeps the name it had in the wbportal app: moved without copying.
        db_table = "wbportal_notificationpreference"
        verbose_name = gettext_lazy("my notification settings")
        verbose_name_plural = gettext_lazy("my notification settings")

    def __str__(self) -> str:
        return str(self.verbose_name_for_user())

    def verbose_name_for_user(self) -> str:
        return _("Notifications of %(user)s") % {"user": self.user.get_username()}


def recipients(users: Iterable[User | None]) -> list[User]:
    """The users to mail: active, with an address, not opted out."""
    ids = [user.pk for user in users if user is not None]
    return list(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
        .exclude(notification_preference__email_enabled=False)
    )


def publishers_of(model: type[models.Model]) -> list[User]:
    opts = model._meta
    return list(
        get_user_model().objects.with_perm(
            f"{opts.app_label}.publish_{opts.model_name}", backend=MODEL_BACKEND
        )
    )


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def notify(users: Iterable[User | None], subject: str, body: str) -> None:
    """Mail each recipient once the current transaction commits."""

    def send() -> None:
        for user in recipients(users):
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            except Exception:  # noqa: BLE001 - a mail server down must not fail the request
                logger.exception("Workflow e-mail to user %s could not be sent.", user.pk)

    after_commit(send)


def after_commit(send: Callable[[], None]) -> None:
    transaction.on_commit(send)


def review_requested(
    model: type[models.Model], item_repr: str, author: User | None, url: str
) -> None:
    notify(
        publishers_of(model),
        _("Review requested: %(item)s") % {"item": item_repr},
        _("%(author)s asks for a review of %(item)s.\n\nReview it: %(url)s")
        % {
            "author": author.get_username() if author else _("Someone"),
            "item": item_repr,
            "url": absolute(url),
        },
    )


def approved(revision: Revision, url: str) -> None:
    if revision.go_live_at and revision.status == revision.Status.SCHEDULED:
        when = _("It goes live on %(when)s.") % {"when": format_datetime(revision.go_live_at)}
    else:
        when = _("It is live now.")
    notify(
        [revision.author],
        _("Approved: %(item)s") % {"item": revision.object_repr},
        _("Your change to %(item)s was approved. %(when)s\n\n%(url)s")
        % {"item": revision.object_repr, "when": when, "url": absolute(url)},
    )


def returned(revision: Revision, url: str) -> None:
    notify(
        [revision.author],
        _("Returned: %(item)s") % {"item": revision.object_repr},
        _("Your change to %(item)s was returned with this comment:\n\n%(comment)s\n\n%(url)s")
        % {"item": revision.object_repr, "comment": revision.comment, "url": absolute(url)},
    )


def went_live(revision: Revision, url: str) -> None:
    people = {revision.author, revision.reviewer} - {None}
    notify(
        people,
        _("Now live: %(item)s") % {"item": revision.object_repr},
        _("%(item)s went live as scheduled.\n\n%(url)s")
        % {"item": revision.object_repr, "url": absolute(url)},
    )


def conflict(revision: Revision, url: str) -> None:
    people = {revision.author, revision.reviewer} - {None}
    notify(
        people,
        _("Back in review: %(item)s") % {"item": revision.object_repr},
        _(
            "The approved change to %(item)s did not go live: the live page changed "
            "meanwhile in the same places (%(places)s). It is back in the review queue "
            "with both changes to compare.\n\n%(url)s"
        )
        % {
            "item": revision.object_repr,
            "places": "; ".join(revision.conflicts),
            "url": absolute(url),
        },
    )
