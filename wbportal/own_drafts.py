"""Editors may delete their own drafts: items they created that were never approved.

Deleting is otherwise the Publisher's (the `delete_<model>` permission). A draft someone
else created, or anything that was ever approved for publication (even if withdrawn since),
stays for a Publisher to delete. Who created an item and whether it was ever approved are
read from its history, which every save and the admin keep.
"""


def is_own_unpublished_draft(user, obj):
    flag = type(obj).publish_flag
    if obj.pk is None or getattr(obj, flag):
        return False
    versions = obj.history.all()
    creator = (
        versions.filter(history_type="+")
        .order_by("history_date")
        .values_list("history_user_id", flat=True)
    ).first()
    if creator is None or creator != user.pk:
        return False
    return not versions.filter(**{flag: True}).exists()


class OwnDraftDeletionMixin:
    """For the admin of a publishable model: the creator of a never-approved draft may
    delete it, if they may change it."""

    def has_delete_permission(self, request, obj=None):
        if super().has_delete_permission(request, obj):
            return True
        return (
            obj is not None
            and isinstance(obj, self.model)
            and self.has_change_permission(request, obj)
            and is_own_unpublished_draft(request.user, obj)
        )
