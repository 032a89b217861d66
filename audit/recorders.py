"""The steps the audit app records itself: what staff do through the admin of any model
(create, change, delete), role changes and login lockouts. Everything else (the publishing
workflow, imports) calls `audit.log.record()` from its own actions.

The admin's steps are recorded where Django's admin logs them (`log_addition`, `log_change`,
`log_deletions`): every registered ModelAdmin gets `AuditedModelAdminMixin` from the admin
site (audit/sites.py), so a model added later is covered without anyone remembering to.
"""

import json
from collections.abc import Iterable

from axes.attempts import get_cool_off_threshold
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.db import models
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .log import record
from .models import AuditAction, AuditEntry


def _structured(entry: LogEntry) -> bool:
    """Whether the admin logged this with its own structured message (a form or list edit):
    JSON, a list. Free text comes from code that records its own, more specific action (the
    publishing workflow's submit, approve, return...), which is left to it."""
    try:
        return isinstance(json.loads(entry.change_message), list)
    except (TypeError, ValueError):
        return False


def _changed_fields(entry: LogEntry) -> list[str]:
    fields: list[str] = []
    for part in json.loads(entry.change_message or "[]"):
        fields.extend(part.get("changed", {}).get("fields", []))
    return fields


class AuditedModelAdminMixin:
    """Records in the audit log what the admin logs: additions, changes and deletions."""

    def log_addition(self, request: HttpRequest, obj: models.Model, message):
        entry = super().log_addition(request, obj, message)
        if entry is not None:
            summary = _("Added through the admin.")
            record(AuditAction.CREATE, actor=request.user, obj=obj, summary=summary)
        return entry

    def log_change(self, request: HttpRequest, obj: models.Model, message):
        entry = super().log_change(request, obj, message)
        if entry is not None and _structured(entry) and entry.change_message != "[]":
            record(
                AuditAction.CHANGE,
                actor=request.user,
                obj=obj,
                summary=entry.get_change_message(),
                detail={"fields": _changed_fields(entry)},
            )
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Iterable[models.Model]):
        objects = list(queryset)
        entries = super().log_deletions(request, objects)
        for obj in objects:
            record(AuditAction.DELETE, actor=request.user, obj=obj, summary=_("Deleted."))
        return entries


def _role_names(groups: Iterable[Group]) -> set[str]:
    return {group.name for group in groups}


def record_role_change(
    person: User,
    *,
    before: Iterable[Group],
    after: Iterable[Group],
    flags: dict[str, tuple[bool, bool]] | None = None,
    actor: User | None = None,
    actor_name: str = "",
) -> AuditEntry | None:
    """Record that `person`'s roles (groups) went from `before` to `after`; `flags` adds
    changes of the account's "staff" and "superuser" switches as name -> (old, new). Nothing
    is recorded when nothing changed."""
    old, new = _role_names(before), _role_names(after)
    added, removed = sorted(new - old), sorted(old - new)
    flags = {name: pair for name, pair in (flags or {}).items() if pair[0] != pair[1]}
    if not (added or removed or flags):
        return None
    parts = []
    if added:
        parts.append(_("given %(roles)s") % {"roles": ", ".join(added)})
    if removed:
        parts.append(_("no longer %(roles)s") % {"roles": ", ".join(removed)})
    labels = {"is_staff": _("admin access"), "is_superuser": _("administrator (all rights)")}
    for name, (_old, now) in sorted(flags.items()):
        label = labels.get(name, name)
        parts.append((_("%(flag)s granted") if now else _("%(flag)s removed")) % {"flag": label})
    return record(
        AuditAction.ROLE_CHANGE,
        actor=actor,
        actor_name=actor_name,
        obj=person,
        summary=capfirst("; ".join(parts)) + ".",
        detail={
            "added": added,
            "removed": removed,
            "flags": {name: list(pair) for name, pair in flags.items()},
        },
    )


def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes' `user_locked_out`: a user name (and address) locked after failed logins.
    The user name is what was typed (it may name nobody); it is kept, cut to the column.

    Axes says so again at every attempt while the lock lasts: one entry per lock, so that
    someone hammering a locked login cannot flood the log."""
    typed = (username or "")[:150]
    address = ip_address or ""
    if AuditEntry.objects.filter(
        action=AuditAction.LOGIN_LOCK,
        actor_name=typed,
        detail__ip_address=address,
        at__gte=get_cool_off_threshold(request),
    ).exists():
        return
    person = User.objects.filter(username=typed).first() if typed else None
    record(
        AuditAction.LOGIN_LOCK,
        obj=person,
        model=User,
        actor_name=typed,
        summary=_("Login locked after repeated failures from %(address)s.")
        % {"address": ip_address or _("an unknown address")},
        detail={"username": typed, "ip_address": address},
    )
