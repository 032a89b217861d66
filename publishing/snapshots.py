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

import hashlib
import json
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any, TypedDict

from django.apps import apps
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


def deserialize_row(row: Row) -> DeserializedObject:
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
    proposed = deserialize_row(snapshot["object"])
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
            deserialized = deserialize_row(row)
            if row["pk"] in live:
                child = live[row["pk"]]
                before = _content_values(child)
                _copy_fields(child, deserialized.object, exclude=[parent_field])
                if _content_values(child) == before and not deserialized.m2m_data:
                    # Unchanged: no save, so no history version that nobody made.
                    continue
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


def _content_values(obj: models.Model) -> list[Any]:
    return [getattr(obj, field.attname) for field in content_fields(type(obj))]


def content_hash(snapshot: Snapshot) -> str:
    """A short fingerprint of a stored state: it changes with any save of the item or of
    one of its children (their `updated_at` included)."""
    text = json.dumps(snapshot, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        # Browsers post text areas with CRLF line ends: the same text, not a change.
        return value.replace("\r\n", "\n")
    if isinstance(value, list):
        return sorted(value, key=str)
    if value == "":
        return None
    return value


def _mergeable(model: type[models.Model]) -> list["models.Field[Any, Any]"]:
    return [*content_fields(model), *[f for f in model._meta.many_to_many if f.editable]]


def _row_title(model: type[models.Model], row: Row) -> str:
    name = row["fields"].get("name") or row["fields"].get("title") or row.get("pk") or ""
    return f"{str(model._meta.verbose_name).capitalize()}: {name}"


def _merge_row(
    model: type[models.Model],
    base: Row,
    proposed: Row,
    live: Row,
    conflicts: list[str],
    skip: Collection[str] = (),
    prefer_proposal: bool = False,
) -> Row:
    fields = dict(live["fields"])
    for field in _mergeable(model):
        name = field.name
        if name in skip:
            continue
        old = _norm(base["fields"].get(name))
        new = _norm(proposed["fields"].get(name))
        now = _norm(live["fields"].get(name))
        if new == old:
            continue  # not part of the proposal: the live value stays
        if now in (old, new) or prefer_proposal:
            fields[name] = proposed["fields"].get(name)
        if now not in (old, new):
            conflicts.append(f"{_row_title(model, live)} - {str(field.verbose_name).capitalize()}")
    return {"model": live["model"], "pk": live["pk"], "fields": fields}


def _differs(model: type[models.Model], one: Row, other: Row, skip: Collection[str]) -> bool:
    return any(
        _norm(one["fields"].get(f.name)) != _norm(other["fields"].get(f.name))
        for f in _mergeable(model)
        if f.name not in skip
    )


def merge(
    base: Snapshot, proposed: Snapshot, live: Snapshot, prefer_proposal: bool = False
) -> tuple[Snapshot, list[str]]:
    """The live state with only what the proposal changed (compared with `base`, the live
    state it was taken from) applied: (merged snapshot, conflicts).

    A conflict is a field (or child) that both the proposal and the live state changed
    since `base`, differently. Children added to the live state since `base` are kept;
    children the proposal removed are removed unless they changed meanwhile (a conflict).
    `prefer_proposal`: on a conflict the proposal's value is taken (a draft reopened in its
    author's form, which shows the conflicts); otherwise the live one stays.
    """
    model = apps.get_model(live["object"]["model"])
    conflicts: list[str] = []
    merged: Snapshot = {
        "object": _merge_row(
            model,
            base["object"],
            proposed["object"],
            live["object"],
            conflicts,
            prefer_proposal=prefer_proposal,
        ),
        "children": {},
    }
    for accessor in child_accessors(model):
        child_model, parent_field = child_relation(model, accessor)
        skip = [parent_field]
        base_rows = {row["pk"]: row for row in base.get("children", {}).get(accessor, [])}
        live_rows = live.get("children", {}).get(accessor, [])
        live_pks = {row["pk"] for row in live_rows}
        proposed_rows = proposed.get("children", {}).get(accessor, [])
        proposed_by_pk = {row["pk"]: row for row in proposed_rows if row["pk"] is not None}
        rows: list[Row] = []
        for row in live_rows:
            if row["pk"] not in base_rows:
                rows.append(row)  # added meanwhile: never removed by this proposal
                continue
            base_row = base_rows[row["pk"]]
            if row["pk"] in proposed_by_pk:
                rows.append(
                    _merge_row(
                        child_model,
                        base_row,
                        proposed_by_pk[row["pk"]],
                        row,
                        conflicts,
                        skip,
                        prefer_proposal,
                    )
                )
            elif _differs(child_model, base_row, row, skip):
                conflicts.append(
                    gettext("%(item)s - removed, but changed on the live page meanwhile")
                    % {"item": _row_title(child_model, row)}
                )
                if not prefer_proposal:
                    rows.append(row)
            # else: removed by the proposal
        for pk, base_row in base_rows.items():
            if pk in live_pks or pk not in proposed_by_pk:
                continue
            if _differs(child_model, base_row, proposed_by_pk[pk], skip):
                conflicts.append(
                    gettext("%(item)s - changed, but removed from the live page meanwhile")
                    % {"item": _row_title(child_model, base_row)}
                )
        rows += [row for row in proposed_rows if row["pk"] is None]
        merged["children"][accessor] = rows
    return merged, conflicts


_undone = threading.local()


@contextmanager
def rolled_back() -> Iterator[None]:
    """A block whose database writes are all undone when it ends (previews, comparisons).
    What is read inside it may show those writes: `in_rolled_back_block()` tells caches to
    keep none of it."""
    _undone.depth = getattr(_undone, "depth", 0) + 1
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        _undone.depth -= 1


def in_rolled_back_block() -> bool:
    """Whether this thread is inside `rolled_back()`: its reads may show writes that will
    be undone (a preview's draft made public without a signal)."""
    return getattr(_undone, "depth", 0) > 0


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
