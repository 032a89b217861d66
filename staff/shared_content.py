"""Shared content a live page shows: who may change it.

Library images, organisations, thematic areas and facilities have no review workflow of
their own, yet a live page shows them (a region's hero image, a project's donors). So that
nothing reaches a live page unreviewed, an object that an approved page uses (live now or
scheduled to be) may be changed or deleted only by someone with the model's
`change_live_<model>` permission, which the Publisher role holds (staff/roles.py). Editors
still add new ones (the image chooser's upload among them) and change those no approved page
uses yet, such as an image they just uploaded for a draft.

Where an object is used is a query: foreign keys and many-to-many fields that choose it, and
the links app's index of texts that show or link to it (links.usage). The rule is enforced in
the model admin's object permissions, which Django's change, delete and bulk delete views,
related-object popups and simple-history's history pages ask; a history revert posted by
someone who may not change the object is refused here too (simple-history checks only that
they may view it).
"""

from django.apps import apps
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.translation import ngettext

from links.usage import Use, relation_uses, text_uses
from publishing.revisions import Revision, RevisionStatus

LIVE_PERMISSION = "change_live"


def is_approved(obj) -> bool:
    """Whether a public page shows `obj` now or once scheduled: its own publication flag, a
    parent's (an approach section's region), or always for content without a workflow (the
    site settings' logo)."""
    flag = getattr(type(obj), "publish_flag", None)
    if flag:
        return bool(getattr(obj, flag))
    for field in obj._meta.concrete_fields:
        related = field.related_model
        if field.many_to_one and related is not None and getattr(related, "publish_flag", None):
            parent = getattr(obj, field.name)
            return parent is None or bool(getattr(parent, related.publish_flag))
    return True


def approved_uses(target) -> list[Use]:
    """The uses of `target` by pages that are (or are scheduled to be) public."""
    if target.pk is None:
        return []
    return [use for use in relation_uses(target) + text_uses(target) if is_approved(use.obj)]


# Changes a Publisher is reading or has approved: what they chose must stay as it was read.
PROPOSAL_STATUSES = (RevisionStatus.PENDING, RevisionStatus.SCHEDULED)


def proposed_uses(target, text_ids=None) -> set[tuple[str, object]]:
    """The items whose change awaiting review or approved for later chooses `target` (in a
    foreign key or many-to-many field of the item or of a child, or, through `text_ids`, in
    a text), as (content type id, item id) pairs: a Publisher approves what they read, so
    it must not change between reading and going live."""
    if target.pk is None:
        return set()
    found = set()
    for revision in Revision.objects.filter(status__in=PROPOSAL_STATUSES).only(
        "content_type_id", "object_id", "snapshot"
    ):
        snapshot = revision.snapshot or {}
        rows = [snapshot.get("object") or {}]
        for children in (snapshot.get("children") or {}).values():
            rows.extend(children)
        if any(_row_chooses(row, target, text_ids) for row in rows):
            found.add((revision.content_type_id, revision.object_id))
    return found


def _row_chooses(row, target, text_ids) -> bool:
    try:
        model = apps.get_model(row.get("model", ""))
    except (LookupError, ValueError):
        return False
    for name, value in (row.get("fields") or {}).items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a field removed since the snapshot was taken
            continue
        if field.is_relation and field.related_model is type(target):
            values = value if isinstance(value, list) else [value]
            if target.pk in values:
                return True
        elif text_ids is not None and isinstance(value, str) and target.pk in text_ids(value):
            return True
    return False


def live_permission(model) -> str:
    opts = model._meta
    return f"{opts.app_label}.{LIVE_PERMISSION}_{opts.model_name}"


class SharedContentAdmin:
    """For the admin of a shared model (put before the admin base class)."""

    # For a model that texts show by id (library images): the ids a Markdown text refers to.
    text_reference_ids = None

    def may_change_live(self, request) -> bool:
        return request.user.has_perm(live_permission(self.model))

    def live_pages(self, obj) -> int:
        """How many approved pages use `obj`, or will once a change awaiting review or
        approved for later goes live (memoised on it for this request's checks)."""
        if obj is None or obj.pk is None:
            return 0
        if not hasattr(obj, "_approved_page_count"):
            pages = {
                (ContentType.objects.get_for_model(type(use.obj)).pk, use.obj.pk)
                for use in approved_uses(obj)
            }
            text_ids = type(self).text_reference_ids
            pages |= proposed_uses(obj, text_ids)
            obj._approved_page_count = len(pages)
        return obj._approved_page_count

    def refuses_live_change(self, request, obj) -> bool:
        return not self.may_change_live(request) and self.live_pages(obj) > 0

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return not self.refuses_live_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return not self.refuses_live_change(request, obj)

    def refusal_message(self, obj) -> str:
        count = self.live_pages(obj)
        return ngettext(
            "This %(model)s is shown on %(count)d live page (or in a change a Publisher is "
            "reviewing or has approved); a Publisher must change it. You may add a new one "
            "and choose it in a proposed change to that page.",
            "This %(model)s is shown on %(count)d live pages (or in changes a Publisher is "
            "reviewing or has approved); a Publisher must change it. You may add a new one "
            "and choose it in a proposed change to those pages.",
            count,
        ) % {"model": self.opts.verbose_name, "count": count}

    def _refused_for(self, request, obj) -> bool:
        """Someone who could change the model in general, refused for this object."""
        return (
            obj is not None
            and super().has_change_permission(request, obj)
            and self.refuses_live_change(request, obj)
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if self._refused_for(request, obj):
            if request.method == "POST":
                # The page may have become used since the form was opened: say why the save
                # was not made rather than answering 403.
                self.message_user(request, self.refusal_message(obj), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            self.message_user(request, self.refusal_message(obj), messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and not self.has_change_permission(request, obj):
                if self._refused_for(request, obj):
                    self.message_user(request, self.refusal_message(obj), messages.ERROR)
                    return HttpResponseRedirect(request.get_full_path())
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
