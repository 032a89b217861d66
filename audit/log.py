"""`record()`: the one way any code writes to the audit log."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditAction, AuditEntry


def record(
    action: AuditAction | str,
    *,
    actor: User | AnonymousUser | None = None,
    obj: models.Model | None = None,
    model: type[models.Model] | None = None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """Record that `actor` did `action` to `obj` (or to the model `model`, for a batch).

    `actor` None is the system (the scheduler, the demo loader): pass `actor_name` to say which.
    Called inside the transaction of the change, so a rolled-back change leaves no entry.
    """
    person = actor if isinstance(actor, User) else None
    target_model = type(obj) if obj is not None else model
    return AuditEntry.objects.create(
        actor=person,
        actor_name=actor_name or (person.get_username() if person else ""),
        action=AuditAction(action),
        content_type=ContentType.objects.get_for_model(target_model) if target_model else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        summary=summary,
        detail=detail or {},
    )
