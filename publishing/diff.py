"""A readable comparison of two snapshots (publishing.snapshots): the live version
and a proposed one, field by field with labels, long texts with the changed words marked."""

import difflib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .snapshots import Row, Snapshot, content_fields, display_value

# Two sizes of unit a change is marked in. Whole words (with the signs stuck to them) and the
# white space between them, for the comparison of a proposal with the live version.
WORDS = re.compile(r"(\s+)")
# Words, runs of white space and single signs, for the admin's history of one field.
WORDS_AND_SIGNS = re.compile(r"\s+|\w+|[^\w\s]")


def whole_words(text: str) -> list[str]:
    """`text` cut into whole words and the white space between them."""
    return WORDS.split(text)


def words_and_signs(text: str) -> list[str]:
    """`text` cut into words, runs of white space and single signs."""
    return WORDS_AND_SIGNS.findall(text)


def highlight(
    old: str, new: str, units: Callable[[str], list[str]] = whole_words
) -> tuple[SafeString, SafeString]:
    """(old, new) as HTML: each escaped, the units (`whole_words` or `words_and_signs`) only in
    `old` in <del>, only in `new` in <ins>."""
    old_units, new_units = units(old), units(new)
    old_html: list[str] = []
    new_html: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_units, b=new_units, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed = escape("".join(old_units[old_start:old_end]))
        added = escape("".join(new_units[new_start:new_end]))
        if operation == "equal":
            old_html.append(removed)
            new_html.append(added)
            continue
        if removed:
            old_html.append(f"<del>{removed}</del>")
        if added:
            new_html.append(f"<ins>{added}</ins>")
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))  # noqa: S308 (escaped)


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class ItemChanges:
    """The changes of one item (the item itself or one of its children)."""

    title: str
    kind: str  # "changed", "added", "removed"
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"changed": _("changed"), "added": _("added"), "removed": _("removed")}[self.kind]


def _model(row: Row) -> type[models.Model]:
    return apps.get_model(row["model"])


def _fields(model: type[models.Model]) -> list["models.Field[Any, Any]"]:
    return [
        *content_fields(model),
        *[f for f in model._meta.many_to_many if f.editable],
    ]


def _value(model_field: "models.Field[Any, Any]", row: Row) -> Any:
    value = row["fields"].get(model_field.name)
    if isinstance(model_field, models.ManyToManyField) and value is not None:
        value = sorted(value)
    if isinstance(value, str):
        # Browsers post text areas with CRLF line ends: the same text, not a change.
        value = value.replace("\r\n", "\n")
    return value


def _changes(
    model: type[models.Model], old_row: Row | None, new_row: Row | None, skip: Collection[str] = ()
) -> list[FieldChange]:
    changes = []
    for model_field in _fields(model):
        if model_field.name in skip:
            continue
        old = _value(model_field, old_row) if old_row else None
        new = _value(model_field, new_row) if new_row else None
        if old == new or (old in (None, "", []) and new in (None, "", [])):
            continue
        old_text = display_value(model_field, old)
        new_text = display_value(model_field, new)
        old_html, new_html = highlight(old_text, new_text)
        changes.append(FieldChange(str(model_field.verbose_name).capitalize(), old_html, new_html))
    return changes


def _title(model: type[models.Model], row: Row) -> str:
    name = row["fields"].get("name") or row["fields"].get("title") or row.get("pk") or ""
    return f"{str(model._meta.verbose_name).capitalize()}: {name}"


def compare(live: Snapshot, proposed: Snapshot) -> list[ItemChanges]:
    """[ItemChanges] from the live snapshot to the proposed one; empty when they agree."""
    model = _model(live["object"])
    result = []
    own = _changes(model, live["object"], proposed["object"])
    if own:
        result.append(ItemChanges(_title(model, proposed["object"]), "changed", own))
    for accessor, new_rows in proposed.get("children", {}).items():
        old_rows = {row["pk"]: row for row in live.get("children", {}).get(accessor, [])}
        seen = set()
        for row in new_rows:
            child_model = _model(row)
            parent = _parent_field_name(model, accessor)
            old = old_rows.get(row["pk"]) if row["pk"] is not None else None
            if old is None:
                changes = _changes(child_model, None, row, skip=[parent])
                result.append(ItemChanges(_title(child_model, row), "added", changes))
                continue
            seen.add(row["pk"])
            changes = _changes(child_model, old, row, skip=[parent])
            if changes:
                result.append(ItemChanges(_title(child_model, row), "changed", changes))
        for pk, row in old_rows.items():
            if pk not in seen:
                result.append(ItemChanges(_title(_model(row), row), "removed"))
    return result


def _parent_field_name(model: type[models.Model], accessor: str) -> str:
    return getattr(model, accessor).rel.field.name
