"""Staging an import as a scheduled data release (`ReleasePlan`), and who runs an import.

The new observations of a staged import are written into a DataRelease and stay staff-only
until its time (or "Release now"); statistics.imports.writing does the writing.
"""

import datetime
from dataclasses import dataclass
from typing import Self

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.translation import gettext as _

from formatting.display import format_datetime

from ..models import DataRelease

# Who runs an import: the admin's request.user, or None (the command).
ImportUser = User | AnonymousUser | None


def known_user(user: ImportUser) -> User | None:
    """The user to record as the author: a signed-in user, else nobody (the command)."""
    return user if user is not None and user.is_authenticated else None


@dataclass(frozen=True)
class ReleasePlan:
    """Stage an import's new observations as a DataRelease named `name`, public at
    `release_at` (None: held until someone releases it)."""

    name: str
    release_at: datetime.datetime | None = None

    @classmethod
    def checked(cls, name: str | None, release_at: datetime.datetime | None = None) -> Self:
        """A plan, or ValueError when `release_at` is not in the future (the batch would be
        public at once: import without staging instead)."""
        if release_at is not None and release_at <= timezone.now():
            raise ValueError(
                _("The release time %(time)s has passed; choose a time in the future.")
                % {"time": format_datetime(release_at)}
            )
        name = (name or "").strip()[: DataRelease._meta.get_field("name").max_length]
        return cls(name or _("Staged import"), release_at)

    def describe(self) -> str:
        if self.release_at is None:
            return _(
                "Staged as the data release “%(name)s”: not public until a Publisher or Data "
                "manager releases it."
            ) % {"name": self.name}
        return _("Staged as the data release “%(name)s”: public from %(time)s.") % {
            "name": self.name,
            "time": format_datetime(self.release_at),
        }

    def create_release(self, user: ImportUser) -> DataRelease:
        return DataRelease.objects.create(
            name=self.name, release_at=self.release_at, created_by=known_user(user)
        )
