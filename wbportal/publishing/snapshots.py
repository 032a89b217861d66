"""The state of a publishable item as data: its own fields, its many-to-many links and its
children edited with it (a region's approach sections, offices and contacts).

A model names those children in `revision_children` (reverse accessors). A snapshot is plain
JSON (Django's serializer), so a revision keeps a proposed state without touching the live
rows; `apply_snapshot()` writes it back onto the live item.

    {"object": {"model": ..., "pk": ..., "fields": {...}},
     "children": {"offices": [{"model": ..., "pk": 7 or null, "fields": {...}}, ...]}}

Workflow fields (approval, schedule, review) are never part of what a snapshot changes:
they stay as the Publisher set them.
"""

import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.core import serializers
from django.core.serializers.base import DeserializedObject
from django.db import models, transaction
from django.utils.translation import gettext

from .models import WORKFLOW_FIELDS, Publishable


class Row(TypedDict):
    """One object as Django's JSON serializer writes it."""

    model: str  # "app_label.modelname"
    pk: Any  # the model's key; None for a child that is new in the proposal
    fields: dict[str, Any]


class Snapshot(TypedDict):
    object: Row
    children: dict[str, list[Row]]  # by reverse accessor (`revision_children`)


# The ids of an item's children stored before an edit, by reverse accessor.
ChildIds = dict[str, set[Any]]


def _row(obj: models.Model) -> Row:
    return json.loads(serializers.serialize("json", [obj]))[0]


def _deserialize(row: Row) -> DeserializedObject:
    return next(serializers.deserialize("json", json.dumps([row]), ignorenonexistent=True))


def child_accessors(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(getattr(model, "revision_children", ()))


def child_relation(model: type[models.Model], accessor: str) -> tuple[type[models.Model], str]:
    """The reverse foreign key behind `accessor`: (child model, name of its parent field)."""
    manager_descriptor = getattr(model, accessor)
    field = manager_descriptor.rel.field
    return field.model, field.name


def existing_child_ids(obj: models.Model) -> ChildIds:
    return {
        accessor: set(getattr(obj, accessor).values_list("pk", flat=True))
        for accessor in child_accessors(type(obj))
    }


def take_snapshot(obj: models.Model, known_child_ids: ChildIds | None = None) -> Snapshot:
    """The item's state as stored now (call it where the proposed state is stored, e.g.
    inside a savepoint that is rolled back afterwards). Children whose id is not in
    `known_child_ids` are new: kept without an id, since that id is rolled back with them."""
    snapshot: Snapshot = {"object": _row(obj), "children": {}}
    for accessor in child_accessors(type(obj)):
        rows = []
        for child in getattr(obj, accessor).all():
            row = _row(child)
            if known_child_ids is not None and child.pk not in known_child_ids[accessor]:
                row["pk"] = None
            rows.append(row)
        snapshot["children"][accessor] = rows
    return snapshot


def content_fields(model: type[models.Model]) -> list["models.Field[Any, Any]"]:
    """Fields a proposed change may set: editable, concrete, not the key, not timestamps
    kept by Django, not the workflow's."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.editable
        and field.name not in WORKFLOW_FIELDS
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ]


def _copy_fields(target: models.Model, source: models.Model, exclude: Collection[str] = ()) -> None:
    for field in content_fields(type(target)):
        if field.name not in exclude:
            setattr(target, field.attname, getattr(source, field.attname))


def _set_m2m(target: models.Model, deserialized: DeserializedObject) -> None:
    for name, values in (deserialized.m2m_data or {}).items():
        getattr(target, name).set(values)


def apply_snapshot(
    obj: Publishable,
    snapshot: Snapshot,
    publish_new_children: bool = False,
    change_reason: str | None = None,
    user: User | None = None,
) -> None:
    """Write the snapshot's content onto the live `obj` and its children: changed children
    are updated, missing ones deleted, new ones created. New publishable children are
    published with the item when `publish_new_children` (an approval covers them). The
    history records `change_reason` and `user` (the approver, also when the scheduler
    applies the change)."""
    model = type(obj)
    proposed = _deserialize(snapshot["object"])
    _copy_fields(obj, proposed.object)
    if change_reason:
        obj._change_reason = change_reason
    if user is not None:
        obj._history_user = user
    obj.save()
    _set_m2m(obj, proposed)
    for accessor, rows in snapshot.get("children", {}).items():
        if accessor not in child_accessors(model):
            continue
        child_model, parent_field = child_relation(model, accessor)
        live = {child.pk: child for child in getattr(obj, accessor).all()}
        kept = {row["pk"] for row in rows if row["pk"] in live}
        # Deletions first: a removed child may hold a unique value a new one takes over.
        for pk, child in live.items():
            if pk not in kept:
                child.delete()
        for row in rows:
            deserialized = _deserialize(row)
            if row["pk"] in live:
                child = live[row["pk"]]
                _copy_fields(child, deserialized.object, exclude=[parent_field])
            else:
                child = deserialized.object
                child.pk = None
                child._state.adding = True
                if publish_new_children and isinstance(child, Publishable):
                    child.is_published = True
                    child.review_requested = False
            setattr(child, parent_field, obj)
            if change_reason:
                child._change_reason = change_reason
            if user is not None:
                child._history_user = user
            child.save()
            _set_m2m(child, deserialized)


@contextmanager
def rolled_back() -> Iterator[None]:
    """A block whose database writes are all undone when it ends (previews, comparisons)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def display_value(field: "models.Field[Any, Any]", value: Any) -> str:
    """A stored value as a person reads it: choices by label, related rows by name."""
    if value is None or value == "":
        return ""
    if isinstance(field, models.ManyToManyField):
        related = field.remote_field.model._default_manager.filter(pk__in=value)
        return ", ".join(str(item) for item in related)
    if isinstance(field, models.ForeignKey):
        target = field.remote_field.model._default_manager.filter(pk=value).first()
        return str(target) if target is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    return str(value)
