"""Stored files that nothing refers to any more (orphans), under MEDIA_ROOT's `library/` and
`documents/`: a file whose row was deleted or whose upload was rolled back, a replaced file
whose deletion after commit did not happen (a crash between the commit and the deletion),
a rendition of a replaced file or focal point, an upload of a preview that saved nothing.

A file is referenced when a file field of any current row holds its name (the history's
copies do not count: an old version's file is not kept for it), when a change still
waiting for review or scheduled proposes it (its revision's snapshot names it), or, for a
rendition, when its image exists with the rendition key in its name. Files younger than
`min_age` are left alone: an upload is stored before its row is committed.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalChanges

from publishing.revisions import OPEN_STATUSES, Revision, RevisionStatus

from .models import Image
from .renditions import RENDITION_DIR, rendition_owner

SCANNED_DIRS = ("library", "documents")


@dataclass(frozen=True)
class Orphan:
    name: str  # relative to the storage's root, e.g. "documents/abc.pdf"
    size: int


def find_orphans(min_age: datetime.timedelta) -> list[Orphan]:
    storage = storages["default"]
    names = referenced_names()
    renditions = set(Image.objects.values_list("pk", "content_hash", "focal_x", "focal_y"))
    live_keys = {
        (pk, Image(content_hash=content_hash, focal_x=x, focal_y=y).rendition_key)
        for pk, content_hash, x, y in renditions
    }
    cutoff = timezone.now() - min_age
    orphans = []
    for name in stored_names(storage):
        if name in names:
            continue
        folder, _slash, base = name.rpartition("/")
        if folder == RENDITION_DIR and rendition_owner(base) in live_keys:
            continue
        if storage.get_modified_time(name) > cutoff:
            continue
        orphans.append(Orphan(name, storage.size(name)))
    return orphans


def delete_orphans(orphans: list[Orphan]) -> None:
    storage = storages["default"]
    for orphan in orphans:
        storage.delete(orphan.name)


def stored_names(storage) -> Iterator[str]:
    for folder in SCANNED_DIRS:
        yield from _walk(storage, folder)


def _walk(storage, folder: str) -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for directory in sorted(directories):
        yield from _walk(storage, f"{folder}/{directory}")


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(
                    model._base_manager.exclude(**{field.name: ""}).values_list(
                        field.name, flat=True
                    )
                )
    proposals = Revision.objects.filter(
        status__in=[*OPEN_STATUSES, RevisionStatus.SCHEDULED]
    ).values_list("snapshot", flat=True)
    for snapshot in proposals:
        names.update(_strings(snapshot))
    return names


def _strings(value) -> Iterator[str]:
    """Every text in a snapshot (the file fields among its rows' fields)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
