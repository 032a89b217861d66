"""Approved changes waiting for their go-live time, made as the workflow stores them (the
Revision fields keep their meaning whichever code path writes them)."""

from django.contrib.contenttypes.models import ContentType

from publishing.revisions import Revision, RevisionKind, RevisionStatus
from publishing.snapshots import take_snapshot


def scheduled_change(item, go_live_at, author=None, reviewer=None, **fields):
    """An approved change of `item`'s `fields`, to go live at `go_live_at`."""
    base = take_snapshot(item)
    snapshot = take_snapshot(item)
    snapshot["object"]["fields"].update(fields)
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(type(item)),
        object_id=item.pk,
        object_repr=str(item),
        kind=RevisionKind.CHANGE,
        status=RevisionStatus.SCHEDULED,
        snapshot=snapshot,
        base=base,
        author=author,
        reviewer=reviewer,
        reviewed_at=go_live_at,
        go_live_at=go_live_at,
    )
