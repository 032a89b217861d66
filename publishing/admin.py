"""Admin side of the publishing workflow (see publishing): a thin caller of
`actions`.

Editors write and submit for review; only users with the model's `publish_<model>`
permission (the Publisher role) set the approval flag and the schedule (read-only fields,
actions not offered, stored values put back on save: `enforce_publication_rules`).

How a save of the change form goes (`save_mode()`, decided from the request and the
stored rows alone):
- directly to the item: a draft never approved, or a Publisher's edit of the live item;
- as a proposal: a live item saved by someone who may not publish, a Publisher's "Save as
  a proposal", or whenever the person has their own open proposal for the item (the form
  then opens on that proposal, not on the live version). The admin's own save runs inside a
  savepoint that is rolled back; the state it produced is kept by `actions.save_draft`;
- as a preview: the same, rendered by the public view instead of kept.

Every form carries a version (`versions`): a save that would replace a change made after
the form was opened is refused with a message, the input kept. The history revert, inlines,
list actions and the changelist's editable columns ask the same object-level permissions.
"""

# Annotations are not evaluated: Django's form classes cannot be subscripted at run time.
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from formatting.display import format_datetime
from formatting.regional_input import RegionalSplitDateTimeField
from wbportal.history_admin import ReadableHistoryAdmin
from wbportal.own_drafts import OwnDraftDeletionMixin

from . import actions, versions
from .actions import Actor, NotAllowed, Refused
from .diff import ItemChanges, compare
from .models import PUBLICATION_FIELDS, PublicationStatus, Publishable, as_publishable
from .notifications import NotificationPreference
from .preview import publish_for_preview, render_public_page
from .revisions import OPEN_STATUSES, Revision, RevisionKind, RevisionStatus
from .snapshots import (
    Row,
    apply_snapshot,
    child_accessors,
    child_relation,
    deserialize_row,
    existing_child_ids,
    merge,
    rolled_back,
    take_snapshot,
)

if TYPE_CHECKING:
    from django.contrib.admin.options import BaseModelAdmin, InlineModelAdmin
    from django_stubs_ext import StrPromise

    # For the type checker the mixins are the model admin they are mixed into.
    _ModelAdminBase = BaseModelAdmin[Publishable]
else:
    _ModelAdminBase = object


# How a save of the change form is kept (PublishableAdmin.save_mode).
DIRECT, PROPOSAL, PREVIEW = "direct", "proposal", "preview"


def publication_fieldset() -> tuple[StrPromise, dict[str, list[str | tuple[str, ...]]]]:
    """The "Publication" fieldset every publishable admin form shows. Submitting for review
    is a button of the form, not a field."""
    return (
        gettext_lazy("Publication"),
        {
            "fields": [
                "publication_status_display",
                ("is_published", "publish_at", "unpublish_at"),
                "review_note",
            ]
        },
    )


def has_publish_permission(request: HttpRequest, model: type[Model]) -> bool:
    opts = model._meta
    return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('publish', opts)}")


def enforce_publication_rules(request: HttpRequest, obj: Publishable, is_new: bool) -> None:
    """Keep publication fields as stored unless the user may publish; normalise the rest."""
    model = type(obj)
    if not has_publish_permission(request, model):
        stored = None
        if not is_new and obj.pk is not None:
            stored = model._default_manager.filter(pk=obj.pk).values(*PUBLICATION_FIELDS).first()
        for field in PUBLICATION_FIELDS:
            # The publication fields are concrete fields, which have defaults.
            default = model._meta.get_field(field).get_default()  # type: ignore[union-attr]
            setattr(obj, field, stored[field] if stored else default)
    elif obj.is_published and obj.publish_at is None:
        live_since = _live_since(model, obj, is_new)
        # An item already public keeps its record when saved with the date left blank:
        # only an approval is dated, never a save nobody meant as one.
        obj.publish_at = live_since[0] if live_since else timezone.now()
    if obj.is_published:
        obj.review_requested = False


def _live_since(
    model: type[Publishable], obj: Publishable, is_new: bool
) -> tuple[datetime | None] | None:
    """(stored publish_at,) if the stored item is public now, else None."""
    if is_new or obj.pk is None:
        return None
    return (
        as_publishable(model._default_manager.all())
        .live()
        .filter(pk=obj.pk)
        .values_list("publish_at")
        .first()
    )


class PublishableForm(forms.ModelForm):
    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data is None:
            return data
        # Publishing answers the review request (the database refuses both at once).
        if data.get("is_published"):
            data["review_requested"] = False
        # Approved with "publish from" blank means "from now": a withdrawal time already
        # past would break the rule that withdrawal follows publication.
        withdraw = data.get("unpublish_at")
        if (
            data.get("is_published")
            and "is_published" in self.fields
            and not data.get("publish_at")
            and withdraw is not None
            and withdraw <= timezone.now()
            and not self._already_public_since(withdraw)
        ):
            self.add_error(
                "unpublish_at",
                _(
                    "This withdrawal time has passed: the item would be published now and "
                    "withdrawn at once. Clear it or set a later time."
                ),
            )
        return data

    def _already_public_since(self, moment: datetime) -> bool:
        stored = self.instance
        return bool(
            stored.pk
            and getattr(stored, "is_published", False)
            and stored.publish_at is not None
            and stored.publish_at < moment
        )


class PublicationStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("publication status")
    parameter_name = "publication"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, StrPromise]]:
        return PublicationStatus.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value in PublicationStatus.values:
            return as_publishable(queryset).with_status(value)
        return queryset


class PublishingPermissionMixin(_ModelAdminBase):
    def has_publish_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_publish_permission(request, self.model)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Publishable | None = None
    ) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly += [f for f in PUBLICATION_FIELDS if f not in readonly]
        return readonly


class PublishableInlineMixin(PublishingPermissionMixin):
    """For inlines of a publishable model whose rows are publishable too (offices, contacts
    in the region form)."""


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    go_live_at = RegionalSplitDateTimeField(
        label=gettext_lazy("Goes live at"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=gettext_lazy("Blank: at once."),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("Required when you return the change."),
    )


class SavedInSavepoint(HttpResponse):
    """What the admin's save view answers when its save is only to be looked at (a
    proposal, a preview): the object as saved inside the savepoint, for the caller that
    rolls it back."""

    def __init__(self, obj: Publishable) -> None:
        super().__init__()
        self.saved = obj


class PublishableAdmin(OwnDraftDeletionMixin, PublishingPermissionMixin, ReadableHistoryAdmin):
    form = PublishableForm
    actions = ["submit_for_review", "publish", "unpublish"]
    change_form_template = "admin/publishing/change_form.html"
    # The restore form carries the version it was opened on, as the change form does.
    object_history_form_template = "admin/publishing/object_history_form.html"

    # Who acts

    def actor(self, request: HttpRequest) -> Actor:
        """The person behind `request`, with this model admin's object-level checks."""
        user = request.user
        assert user.is_authenticated, "the admin only serves signed-in staff"
        return Actor(
            user,
            lambda obj: self._admin_for(obj).has_change_permission(request, obj),
            lambda obj: has_publish_permission(request, type(obj)),
        )

    def _admin_for(self, obj: Model) -> admin.ModelAdmin[Any]:
        if isinstance(obj, self.model):
            return self
        return self.admin_site.get_model_admin(type(obj))

    # Listing and status

    def get_queryset(self, request: HttpRequest) -> QuerySet[Publishable]:
        return as_publishable(super().get_queryset(request)).with_publication_status()

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [PublicationStatusFilter, *super().get_list_filter(request)]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Publishable | None = None
    ) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "publication_status_display"]

    @admin.display(description=gettext_lazy("publication"), ordering="publication_status")
    def publication_status_display(self, obj: Publishable) -> str | StrPromise:
        status = getattr(obj, "publication_status", None)
        if status is None:  # an unsaved object
            return PublicationStatus.DRAFT.label
        label = PublicationStatus(status).label
        if status == PublicationStatus.SCHEDULED:
            return _("%(status)s for %(when)s") % {
                "status": label,
                "when": format_datetime(obj.publish_at),
            }
        if status == PublicationStatus.PUBLISHED and obj.unpublish_at:
            return _("%(status)s until %(when)s") % {
                "status": label,
                "when": format_datetime(obj.unpublish_at),
            }
        return label

    # What a save does

    def _stored(self, object_id: str | None) -> Publishable | None:
        if object_id is None:
            return None
        pk = unquote(object_id)
        try:
            self.model._meta.pk.to_python(pk)
        except ValidationError:
            return None
        return self.model._default_manager.filter(pk=pk).first()

    def edited_revision(self, request: HttpRequest, obj: Publishable | None) -> Revision | None:
        """The person's own open proposal for `obj`, which their form edits; None when the
        form edits the item (a Publisher may ask for the live version with ?live=1)."""
        if obj is None or obj.pk is None:
            return None
        if "live" in request.GET and self.has_publish_permission(request, obj):
            return None
        return actions.own_open_revision(obj, request.user)  # type: ignore[arg-type]

    def save_mode(self, request: HttpRequest, obj: Publishable | None) -> str:
        if "_preview" in request.POST:
            return PREVIEW
        if obj is None or obj.pk is None:
            return DIRECT
        if self.edited_revision(request, obj) is not None:
            return PROPOSAL
        stored = self.model._default_manager.filter(pk=obj.pk).values("is_published").first()
        if stored and stored["is_published"]:
            if not self.has_publish_permission(request, obj) or "_propose" in request.POST:
                return PROPOSAL
        return DIRECT

    def get_form(
        self,
        request: HttpRequest,
        obj: Publishable | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[forms.ModelForm[Publishable]]:
        form = super().get_form(request, obj, change, **kwargs)
        token = request.POST.get(versions.FIELD_NAME) if request.method == "POST" else None
        if obj is None or obj.pk is None or not token:
            return form
        # Read before anything of this save is written: the item as stored (the restore
        # form passes an earlier version of it), and the proposal the form edits.
        stored = self._stored(str(obj.pk)) or obj
        message = versions.stale_message(stored, self.edited_revision(request, stored), token)
        if message is None:
            return form

        class StaleForm(form):  # type: ignore[valid-type, misc]
            def clean(self) -> dict[str, Any] | None:
                data = super().clean()
                if data is not None and message is not None:
                    raise ValidationError(message, code="stale")
                return data

        return StaleForm

    def save_model(
        self,
        request: HttpRequest,
        obj: Publishable,
        form: forms.ModelForm[Publishable],
        change: bool,
    ) -> None:
        mode = self.save_mode(request, obj)
        stored = (
            self.model._default_manager.filter(pk=obj.pk)
            .values("is_published", "review_requested")
            .first()
            if change
            else None
        )
        if "_submit" in request.POST and mode == DIRECT and not obj.is_published:
            obj.review_requested = True
        enforce_publication_rules(request, obj, is_new=not change)
        super().save_model(request, obj, form, change)
        if mode == DIRECT:
            actions.after_direct_change(
                self.actor(request),
                obj,
                was_published=bool(stored and stored["is_published"]),
                was_in_review=bool(stored and stored["review_requested"]),
            )

    def save_formset(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Publishable],
        formset: forms.BaseModelFormSet[Any, Any],
        change: bool,
    ) -> None:
        direct = self.save_mode(request, form.instance) == DIRECT
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            if direct:
                self._check_child(request, obj, "delete")
            obj.delete()
        for obj in instances:
            if hasattr(obj, "is_published"):
                enforce_publication_rules(request, obj, is_new=obj._state.adding)
            if direct:
                self._check_child(request, obj, "add" if obj._state.adding else "change")
            obj.save()
        formset.save_m2m()

    def _check_child(self, request: HttpRequest, obj: Model, action: str) -> None:
        """A child written directly (not as a proposal) asks its own model admin, and a
        live publishable child is changed only by someone who may publish it."""
        child_admin = self._admin_for(obj)
        if action == "add":
            allowed = child_admin.has_add_permission(request)
        elif action == "delete":
            allowed = child_admin.has_delete_permission(request, obj)
        else:
            allowed = child_admin.has_change_permission(request, obj)
        stored_live = (
            isinstance(obj, Publishable)
            and action != "add"
            and type(obj)._default_manager.filter(pk=obj.pk, is_published=True).exists()
        )
        if stored_live and not has_publish_permission(request, type(obj)):
            allowed = False
        if not allowed:
            raise NotAllowed

    def response_add(
        self, request: HttpRequest, obj: Publishable, post_url_continue: str | None = None
    ) -> HttpResponse:
        if self.save_mode(request, obj) != DIRECT:
            return SavedInSavepoint(obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: Publishable) -> HttpResponse:
        if self.save_mode(request, obj) != DIRECT:
            return SavedInSavepoint(obj)
        if "_submit" in request.POST and obj.review_requested:
            self.message_user(request, _("Submitted for review."), messages.SUCCESS)
        return super().response_change(request, obj)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self._stored(object_id)
        if object_id is not None and obj is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        revision = self.edited_revision(request, obj)
        context = {**(extra_context or {}), **self._form_context(request, obj, revision)}
        if request.method == "POST":
            mode = self.save_mode(request, obj)
            if mode == DIRECT:
                return super().changeform_view(request, object_id, form_url, context)
            return self._save_in_savepoint(request, obj, revision, mode, object_id, context)
        if revision is not None and obj is not None:
            # The form opens on the person's own proposal: its changes applied to the live
            # rows inside a block that is rolled back once the page is rendered. Children
            # it adds are offered as new rows (get_formset_kwargs).
            with rolled_back():
                live = take_snapshot(obj)
                merged, _conflicts = merge(
                    revision.base or live, revision.snapshot, live, prefer_proposal=True
                )
                merged["children"] = {
                    accessor: [row for row in rows if row["pk"] is not None]
                    for accessor, rows in merged["children"].items()
                }
                apply_snapshot(obj, merged)
                response = super().changeform_view(request, object_id, form_url, context)
                if isinstance(response, TemplateResponse):
                    response.render()
                return response
        return super().changeform_view(request, object_id, form_url, context)

    def _save_in_savepoint(
        self,
        request: HttpRequest,
        obj: Publishable | None,
        revision: Revision | None,
        mode: str,
        object_id: str | None,
        context: dict[str, Any],
    ) -> HttpResponse:
        """Run the admin's save inside a savepoint, keep what it produced (a proposal) or
        render it (a preview), and roll it back."""
        known = (
            existing_child_ids(obj)
            if obj is not None
            else {accessor: set() for accessor in child_accessors(self.model)}
        )
        base = take_snapshot(obj) if obj is not None else None
        with rolled_back():
            response = super().changeform_view(request, object_id, "", context)
            if not isinstance(response, SavedInSavepoint):
                if isinstance(response, TemplateResponse):
                    response.render()  # the form with its errors, before the rollback
                return response
            saved = response.saved
            if revision is not None:
                self._remove_children_the_proposal_removed(saved, revision)
            if mode == PREVIEW:
                publish_for_preview(saved, known)
                return render_public_page(request, saved, _("Preview of your unsaved changes"))
            snapshot = take_snapshot(saved, known)
        assert obj is not None and base is not None, "a proposal changes a stored item"
        submit = "_submit" in request.POST
        revision = actions.save_draft(
            self.actor(request),
            obj,
            snapshot,
            base,
            submit=submit,
            note=request.POST.get("review_note", "").strip(),
        )
        if submit:
            text = _(
                "Your change is submitted for review (version %(version)s): the public site "
                "shows the live version until a Publisher approves it."
            )
        else:
            text = _(
                "Your change is saved as your draft (version %(version)s): the public site "
                "shows the live version. Submit it for review when it is ready."
            )
        self.message_user(request, text % {"version": revision.version}, messages.SUCCESS)
        if "_continue" in request.POST:
            return HttpResponseRedirect(request.get_full_path())
        return HttpResponseRedirect(revision.admin_url())

    def _remove_children_the_proposal_removed(self, obj: Publishable, revision: Revision) -> None:
        """The form of a reopened proposal does not show the children it removes: remove
        them again from the state being kept."""
        base = revision.base or {}
        for accessor in child_accessors(self.model):
            kept = {row["pk"] for row in revision.snapshot.get("children", {}).get(accessor, [])}
            removed = {
                row["pk"]
                for row in base.get("children", {}).get(accessor, [])
                if row["pk"] not in kept
            }
            getattr(obj, accessor).filter(pk__in=removed).delete()

    # The change form: what is pending for this item

    def _form_context(
        self, request: HttpRequest, obj: Publishable | None, revision: Revision | None
    ) -> dict[str, Any]:
        context: dict[str, Any] = {"can_publish": self.has_publish_permission(request, obj)}
        if obj is None:
            return context
        context["edit_version"] = versions.edit_token(obj, revision)
        context["edited_revision"] = revision
        live = take_snapshot(obj)
        if revision is not None and revision.base and revision.base != live:
            context["live_changes_since_mine"] = compare(revision.base, live)
        others = (
            Revision.objects.for_item(obj)
            .filter(status__in=[*OPEN_STATUSES, RevisionStatus.SCHEDULED])
            .select_related("author", "reviewer", "content_type")
        )
        if revision is not None:
            others = others.exclude(pk=revision.pk)
        context["other_revisions"] = [
            (other, compare(other.base or live, other.snapshot) if other.snapshot else [])
            for other in others
        ]
        return context

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Publishable | None = None,
    ) -> HttpResponse:
        context["is_live_item"] = bool(obj is not None and obj.pk and obj.is_published)
        context.setdefault("can_publish", self.has_publish_permission(request))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_formset_kwargs(
        self,
        request: HttpRequest,
        obj: Publishable,
        inline: InlineModelAdmin[Any, Any],
        prefix: str,
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "GET":
            initial = self._new_children(request, obj, inline)
            if initial:
                kwargs["initial"] = initial
        return kwargs

    def get_formsets_with_inlines(
        self, request: HttpRequest, obj: Publishable | None = None
    ) -> Iterator[tuple[Any, InlineModelAdmin[Any, Any]]]:
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            new = self._new_children(request, obj, inline) if request.method == "GET" else []
            if new:
                formset = inline.get_formset(request, obj, extra=len(new))
            yield formset, inline

    def _new_children(
        self, request: HttpRequest, obj: Publishable | None, inline: InlineModelAdmin[Any, Any]
    ) -> list[dict[str, Any]]:
        """The rows the person's own proposal adds under `inline`, as initial form data."""
        revision = self.edited_revision(request, obj)
        if revision is None:
            return []
        rows: list[Row] = []
        for accessor in child_accessors(self.model):
            child_model, _parent = child_relation(self.model, accessor)
            if child_model is inline.model:
                rows += [
                    row
                    for row in revision.snapshot.get("children", {}).get(accessor, [])
                    if row["pk"] is None
                ]
        return [model_to_dict(deserialize_row(row).object) for row in rows]

    # The history revert

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Restoring an earlier version asks the same as the change form: the object-level
        permission, then a direct save (a draft, or someone who may publish) or a proposal
        for review (a live item, someone who may not publish)."""
        if request.method != "POST":
            obj = self._stored(object_id)
            if obj is not None:
                token = versions.edit_token(obj, self.edited_revision(request, obj))
                extra_context = {**(extra_context or {}), "edit_version": token}
            return super().history_form_view(request, object_id, version_id, extra_context)
        self._require_valid_ids(object_id, version_id)
        obj = self._stored(object_id)
        if obj is None:
            raise Http404(_("No such item."))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        mode = self.save_mode(request, obj)
        if mode == DIRECT:
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if isinstance(response, HttpResponseRedirect):
                actions.record_restore(self.actor(request), obj)
            return response
        base = take_snapshot(obj)
        known = existing_child_ids(obj)
        with rolled_back():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if not isinstance(response, SavedInSavepoint):
                if isinstance(response, TemplateResponse):
                    response.render()
                return response
            snapshot = take_snapshot(response.saved, known)
        revision = actions.save_draft(
            self.actor(request), obj, snapshot, base, submit=True, restored=True
        )
        self.message_user(
            request,
            _(
                "The earlier version is submitted for review as a proposed change: the public "
                "site shows the live version until a Publisher approves it."
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(revision.admin_url())

    # The changelist's editable columns

    def get_changelist_formset(self, request: HttpRequest, **kwargs: Any) -> Any:
        formset_class = super().get_changelist_formset(request, **kwargs)
        model_admin = self

        class CheckedFormSet(formset_class):  # type: ignore[valid-type, misc]
            """A row written from the list is a direct change: it asks the object-level
            permission, and a live item is changed only by someone who may publish."""

            def clean(self) -> None:
                super().clean()
                for form in self.forms:
                    obj = form.instance
                    if not form.has_changed() or obj.pk is None:
                        continue
                    if not model_admin.has_change_permission(request, obj) or (
                        obj.is_published and not model_admin.has_publish_permission(request, obj)
                    ):
                        raise ValidationError(
                            _(
                                "“%(item)s” is public: change it in its own form, where the "
                                "change is kept for review."
                            )
                            % {"item": obj}
                        )

        return CheckedFormSet

    # The review page of a revision

    def get_urls(self) -> list[URLPattern]:
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/revision/<int:revision_id>/",
                self.admin_site.admin_view(self.revision_view),
                name=f"{name}_revision",
            ),
            path(
                "<path:object_id>/revision/<int:revision_id>/preview/",
                self.admin_site.admin_view(self.revision_preview_view),
                name=f"{name}_revision_preview",
            ),
            *super().get_urls(),
        ]

    def _item_and_revision(
        self, request: HttpRequest, object_id: str, revision_id: int
    ) -> tuple[Publishable, Revision]:
        obj = self._stored(object_id)
        if obj is None:
            raise Http404(_("No such item."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        revision = get_object_or_404(
            Revision.objects.for_item(obj).select_related("author", "reviewer"), pk=revision_id
        )
        return obj, revision

    def revision_view(self, request: HttpRequest, object_id: str, revision_id: int) -> HttpResponse:
        obj, revision = self._item_and_revision(request, object_id, revision_id)
        can_publish = self.has_publish_permission(request, obj)
        form = ReviewForm(request.POST or None, initial={"version": revision.version})
        if request.method == "POST":
            response = self._review_action(request, obj, revision, form)
            if response is not None:
                return response
        proposed: list[ItemChanges] | None = None
        live_since: list[ItemChanges] = []
        if revision.kind == RevisionKind.CHANGE and revision.status != RevisionStatus.PUBLISHED:
            live = take_snapshot(obj)
            base = revision.base or live
            proposed = compare(base, revision.snapshot)
            live_since = compare(base, live)
        reviewable = revision.status in (RevisionStatus.PENDING, RevisionStatus.DRAFT)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Proposed change to %(item)s") % {"item": obj},
            "subtitle": None,
            "opts": self.opts,
            "original": obj,
            "revision": revision,
            "changes": proposed,
            "live_since": live_since,
            "form": form,
            "can_publish": can_publish,
            "can_review": can_publish and reviewable,
            "can_request_review": self.has_change_permission(request, obj)
            and (revision.author_id == request.user.pk or can_publish)
            and revision.status in (RevisionStatus.DRAFT, RevisionStatus.RETURNED),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/publishing/revision.html", context)

    def _review_action(
        self, request: HttpRequest, obj: Publishable, revision: Revision, form: ReviewForm
    ) -> HttpResponse | None:
        action = request.POST.get("action")
        actor = self.actor(request)
        try:
            if action == "request_review":
                actions.submit(actor, revision)
                self.message_user(request, _("Review requested."), messages.SUCCESS)
                return HttpResponseRedirect(revision.admin_url())
            if action not in ("approve", "return"):
                return None
            if not actor.may_publish(obj):
                raise NotAllowed
            if not form.is_valid():
                return None
            comment = form.cleaned_data["comment"].strip()
            version = form.cleaned_data["version"]
            if action == "return":
                if not comment:
                    form.add_error("comment", _("Say what should change before returning it."))
                    return None
                actions.return_to_author(actor, revision, comment, version)
                self.message_user(request, _("Returned to the author."), messages.SUCCESS)
                return HttpResponseRedirect(revision.admin_url())
            actions.approve(actor, revision, version, form.cleaned_data["go_live_at"], comment)
        except Refused as refusal:
            revision.refresh_from_db()
            self.message_user(request, refusal.message, messages.ERROR)
            return HttpResponseRedirect(revision.admin_url())
        if revision.status == RevisionStatus.SCHEDULED:
            text = _("Approved: it goes live on %(when)s.") % {
                "when": format_datetime(revision.go_live_at)
            }
        else:
            text = _("Approved: the change is live.")
        self.message_user(request, text, messages.SUCCESS)
        return HttpResponseRedirect(revision.admin_url())

    def revision_preview_view(
        self, request: HttpRequest, object_id: str, revision_id: int
    ) -> HttpResponse:
        obj, revision = self._item_and_revision(request, object_id, revision_id)
        label = _("Preview of the proposed change (%(status)s)") % {
            "status": revision.get_status_display()
        }
        with rolled_back():
            known = existing_child_ids(obj)
            if revision.kind == RevisionKind.CHANGE:
                live = take_snapshot(obj)
                merged, _conflicts = merge(revision.base or live, revision.snapshot, live)
                apply_snapshot(obj, merged)
            publish_for_preview(obj, known)
            return render_public_page(request, obj, label)

    # Changelist actions: each object through its action, with its permission check

    def _act_on_each(
        self, request: HttpRequest, queryset: QuerySet[Publishable], action: Any, message: str
    ) -> tuple[int, int]:
        done = refused = 0
        actor = self.actor(request)
        for obj in queryset:
            try:
                changed = action(actor, obj)
            except NotAllowed:
                refused += 1
                continue
            if changed:
                self.log_change(request, obj, message)
                done += 1
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d item was left as it was: you may not change it.",
                    "%(count)d items were left as they were: you may not change them.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )
        return done, refused

    @admin.action(
        description=gettext_lazy("Submit selected drafts for review"), permissions=["change"]
    )
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[Publishable]) -> None:
        count, _refused = self._act_on_each(
            request, queryset, actions.submit_item, "Submitted for review"
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d item submitted for review.",
                "%(count)d items submitted for review.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Publish selected items"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Publishable]) -> None:
        count, _refused = self._act_on_each(request, queryset, actions.publish, "Published")
        self.message_user(
            request,
            ngettext("%(count)d item published.", "%(count)d items published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Unpublish selected items"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Publishable]) -> None:
        count, _refused = self._act_on_each(request, queryset, actions.withdraw, "Unpublished")
        self.message_user(
            request,
            ngettext("%(count)d item unpublished.", "%(count)d items unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """Each staff user edits their own notification settings, and only those: the list goes
    straight to the user's own row (made on first visit)."""

    fields = ["email_enabled"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(
        self, request: HttpRequest, obj: NotificationPreference | None = None
    ) -> bool:
        return self.has_module_permission(request) and (obj is None or obj.user == request.user)

    has_change_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: NotificationPreference | None = None
    ) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[NotificationPreference]:
        return super().get_queryset(request).filter(user=request.user)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        own, _created = NotificationPreference.objects.get_or_create(user=request.user)
        return HttpResponseRedirect(
            reverse("admin:publishing_notificationpreference_change", args=[own.pk])
        )
