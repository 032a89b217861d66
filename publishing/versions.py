"""The version check on save: no silent replacement of someone's change.

A change form carries the version of what it was opened on (`edit_token()`, a hidden
field): a fingerprint of the stored state of the item and its children, plus the person's
own proposal (id and version) when the form edits that, and the moment it was opened. A
save whose fingerprint no longer matches is refused, with a message naming who changed
what since (`changes_since()`, read from the history); the person's input stays in the
form, which now carries the new version, so a second save is a decision, not an accident.
"""

from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from formatting.display import format_datetime

from .revisions import Revision
from .snapshots import child_accessors, child_relation, content_hash, take_snapshot

FIELD_NAME = "_version"


def fingerprint(obj: models.Model, revision: Revision | None) -> str:
    live = content_hash(take_snapshot(obj))
    if revision is None:
        return live
    return f"r{revision.pk}.{revision.version}.{revision.status}:{live}"


def edit_token(obj: models.Model, revision: Revision | None) -> str:
    return f"{fingerprint(obj, revision)}@{timezone.now().timestamp():.6f}"


def parse_token(token: str) -> tuple[str, datetime | None]:
    text, _sep, moment = token.partition("@")
    try:
        opened = datetime.fromtimestamp(float(moment), tz=timezone.get_current_timezone())
    except (ValueError, OverflowError, OSError):  # a garbled token: "inf", "1e20"
        opened = None
    return text, opened


def _record_changes(record: Any) -> list[str]:
    """The labels of the fields a history record changed (all of them for a creation)."""
    if record.history_type == "+":
        return [_("added")]
    if record.history_type == "-":
        return [_("deleted")]
    previous = record.prev_record
    model = record.instance_type
    if previous is None:  # content loaded without history: the fields are unknown
        return [_("changed")]
    delta = record.diff_against(previous)
    labels = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        if getattr(field, "auto_now", False):
            continue
        labels.append(str(getattr(field, "verbose_name", change.field)).capitalize())
    return labels


def changes_since(obj: models.Model, moment: datetime | None) -> list[str]:
    """ "petar, 10:42: Phone (Office: Skopje)" for each saved version of the item and its
    children after `moment`."""
    if moment is None:
        return []
    records: list[tuple[models.Model | None, Any]] = [
        (obj, record)
        for record in obj.history.filter(history_date__gt=moment)  # type: ignore[attr-defined]
    ]
    for accessor in child_accessors(type(obj)):
        child_model, parent_field = child_relation(type(obj), accessor)
        history = getattr(child_model, "history", None)
        if history is None:
            continue
        records += [
            (None, record)
            for record in history.filter(
                **{f"{parent_field}_id": obj.pk, "history_date__gt": moment}
            )
        ]
    lines = []
    for parent, record in sorted(records, key=lambda pair: pair[1].history_date):
        who = record.history_user.get_username() if record.history_user else _("someone")
        what = ", ".join(_record_changes(record)) or _("saved")
        if parent is None:
            what = f"{record.instance_type._meta.verbose_name} “{record.instance}”: {what}"
        lines.append(f"{who}, {format_datetime(record.history_date)}: {what}")
    return lines


def stale_message(obj: models.Model, revision: Revision | None, token: str) -> str | None:
    """Why a save of a form opened with `token` would replace a later change, or None."""
    seen, opened = parse_token(token)
    if seen == fingerprint(obj, revision):
        return None
    if revision is not None and not seen.startswith(f"r{revision.pk}.{revision.version}."):
        return _(
            "Not saved: this proposed change was saved or reviewed after you opened it "
            "(now version %(version)s, %(status)s, last changed %(when)s). Your input is "
            "still in the form: compare it with the change's page, then save again to "
            "replace it."
        ) % {
            "version": revision.version,
            "status": revision.get_status_display(),
            "when": format_datetime(revision.updated_at),
        }
    changes = changes_since(obj, opened)
    return _(
        "Not saved: someone changed this item after you opened it (%(changes)s). Your "
        "input is still in the form: check those fields, then save again to replace "
        "their change with yours."
    ) % {"changes": "; ".join(changes) or _("no details recorded")}
