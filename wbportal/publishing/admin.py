"""Admin side of the publishing workflow (see wbportal.publishing).

Editors write and tick "ready for review"; only users with the model's `publish_<model>`
permission (the Publisher role) set the approval flag and the schedule. This is enforced
three times: the fields are read-only in the form, the publish actions are not offered, and
save_model() puts back the stored values whatever was posted (a forged POST, a history
revert, an inline) by someone without the permission.

A save of an approved item by someone who may not publish (or a Publisher's "Save as a
proposal") is not written: the admin's own save runs inside a savepoint, the result is
kept as a snapshot in a Revision and the savepoint is rolled back. "Preview" renders the
unsaved form the same way through the real public view. Each revision has a review page
(`<item>/revision/<id>/`): the comparison with the live version, the preview, and the
Publisher's approve (now or at a time) or return with a comment.
"""

# Annotations are not evaluated: Django's form classes cannot be subscripted at run time.
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from formatting.display import format_datetime
from formatting.regional_input import RegionalSplitDateTimeField
from staff.users import staff_user
from wbportal.history_admin import ReadableHistoryAdmin
from wbportal.own_drafts import OwnDraftDeletionMixin

from . import notifications, workflow
from .diff import compare
from .models import PUBLICATION_FIELDS, PublicationStatus, Publishable, as_publishable
from .preview import publish_for_preview, render_public_page
from .revisions import Revision, RevisionKind, RevisionStatus
from .snapshots import (
    ChildIds,
    Snapshot,
    apply_snapshot,
    child_accessors,
    existing_child_ids,
    rolled_back,
    take_snapshot,
)

if TYPE_CHECKING:
    from django.contrib.admin.options import BaseModelAdmin
    from django_stubs_ext import StrPromise

    # For the type checker the mixins are the model admin they are mixed into.
    _ModelAdminBase = BaseModelAdmin[Publishable]
else:
    _ModelAdminBase = object


class PublishingState(TypedDict, total=False):
    """What a proposal or preview save keeps on the request between the admin's hooks."""

    mode: Literal["preview", "revision"]
    savepoint: str
    known: ChildIds
    ready: bool
    note: str
    response: HttpResponse
    snapshot: Snapshot
    revision: Revision


def publication_fieldset() -> tuple[StrPromise, dict[str, list[str | tuple[str, ...]]]]:
    """The "Publication" fieldset every publishable admin form shows."""
    return (
        gettext_lazy("Publication"),
        {
            "fields": [
                "publication_status_display",
                ("is_published", "publish_at", "unpublish_at"),
                "review_requested",
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


def _state(request: HttpRequest) -> PublishingState | None:
    """The state save_model() kept for a proposal or preview save, if this is one."""
    return getattr(request, "_publishing", None)


class PublishableForm(forms.ModelForm):
    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        # Publishing answers the review request (the database refuses both at once).
        if data is not None and data.get("is_published"):
            data["review_requested"] = False
        return data


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


class PublishableAdmin(OwnDraftDeletionMixin, PublishingPermissionMixin, ReadableHistoryAdmin):
    form = PublishableForm
    actions = ["submit_for_review", "publish", "unpublish"]
    change_form_template = "admin/publishing/change_form.html"

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

    # Saving: directly, as a proposal, or only to preview

    def _workflow_mode(
        self, request: HttpRequest, obj: Publishable, change: bool
    ) -> Literal["preview", "revision"] | None:
        if "_preview" in request.POST:
            return "preview"
        if not change:
            return None
        stored = self.model._default_manager.filter(pk=obj.pk).values("is_published").first()
        if stored and stored["is_published"]:
            if not self.has_publish_permission(request) or "_propose" in request.POST:
                return "revision"
        return None

    def save_model(
        self,
        request: HttpRequest,
        obj: Publishable,
        form: forms.ModelForm[Publishable],
        change: bool,
    ) -> None:
        mode = self._workflow_mode(request, obj, change)
        stored = (
            self.model._default_manager.filter(pk=obj.pk)
            .values("is_published", "review_requested")
            .first()
            if change
            else None
        )
        if mode:
            if not connection.in_atomic_block:  # AdminWriteMiddleware opens one for every POST
                raise RuntimeError("A proposal or preview needs the admin's transaction.")
            # The state of this one save, for the hooks Django calls after this one.
            request._publishing = {  # type: ignore[attr-defined]
                "mode": mode,
                "savepoint": transaction.savepoint(),
                "known": existing_child_ids(obj)
                if change
                else {accessor: set() for accessor in child_accessors(self.model)},
                "ready": bool(form.cleaned_data.get("review_requested")),
                "note": form.cleaned_data.get("review_note", ""),
            }
        enforce_publication_rules(request, obj, is_new=not change)
        super().save_model(request, obj, form, change)
        if mode:
            return
        was_published = bool(stored and stored["is_published"])
        if obj.is_published and not was_published:
            workflow.record_publication(obj, staff_user(request))
        elif obj.review_requested and not (stored and stored["review_requested"]):
            notifications.review_requested(
                self.model, str(obj), staff_user(request), workflow.change_url(obj)
            )

    def save_formset(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Publishable],
        formset: forms.BaseModelFormSet[Any, Any],
        change: bool,
    ) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if hasattr(obj, "is_published"):
                enforce_publication_rules(request, obj, is_new=obj._state.adding)
            obj.save()
        formset.save_m2m()

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Publishable],
        formsets: Iterable[forms.BaseModelFormSet[Any, Any]],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        state = _state(request)
        if not state:
            return
        obj = form.instance
        try:
            if state["mode"] == "preview":
                publish_for_preview(obj, state["known"])
                state["response"] = render_public_page(
                    request, obj, _("Preview of your unsaved changes")
                )
            else:
                state["snapshot"] = take_snapshot(obj, state["known"])
        finally:
            transaction.savepoint_rollback(state["savepoint"])
        if state["mode"] == "revision":
            state["revision"] = workflow.propose(
                obj, state["snapshot"], staff_user(request), state["ready"], state["note"]
            )

    def log_addition(self, request: HttpRequest, obj: Publishable, message: Any) -> Any:
        if _state(request):
            return None
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Publishable, message: Any) -> Any:
        state = _state(request)
        if state and state["mode"] == "preview":
            return None
        if state:
            message = _("Proposed a change for review (revision %(id)s).") % {
                "id": state["revision"].pk
            }
        return super().log_change(request, obj, message)

    def _workflow_response(self, request: HttpRequest) -> HttpResponse | None:
        state = _state(request)
        if not state:
            return None
        if state["mode"] == "preview":
            return state["response"]
        revision = state["revision"]
        if revision.status == RevisionStatus.PENDING:
            text = _(
                "Your change is kept for review: the public site shows the live version "
                "until a Publisher approves it."
            )
        else:
            text = _(
                "Your change is kept as a draft change: the public site shows the live version. "
                "Tick “ready for review” when it is ready for a Publisher."
            )
        self.message_user(request, text, messages.SUCCESS)
        return HttpResponseRedirect(revision.admin_url())

    def response_add(
        self, request: HttpRequest, obj: Publishable, post_url_continue: str | None = None
    ) -> HttpResponse:
        return self._workflow_response(request) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request: HttpRequest, obj: Publishable) -> HttpResponse:
        return self._workflow_response(request) or super().response_change(request, obj)

    # The change form: what is pending for this item

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = extra_context or {}
        obj_id = unquote(object_id)
        if request.method == "GET" and str(obj_id).isdigit():
            revisions = list(
                Revision.objects.filter(
                    content_type__app_label=self.opts.app_label,
                    content_type__model=self.opts.model_name,
                    object_id=int(obj_id),
                    status__in=[
                        RevisionStatus.DRAFT,
                        RevisionStatus.PENDING,
                        RevisionStatus.RETURNED,
                        RevisionStatus.SCHEDULED,
                    ],
                ).select_related("author", "content_type")
            )
            extra_context["pending_revisions"] = revisions
        extra_context["can_publish"] = self.has_publish_permission(request)
        return super().change_view(request, object_id, form_url, extra_context)

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
        obj = self.get_object(request, unquote(object_id))
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
        form = ReviewForm(request.POST or None)
        if request.method == "POST":
            response = self._review_action(request, obj, revision, form, can_publish)
            if response is not None:
                return response
        changes = None
        if revision.kind == RevisionKind.CHANGE and revision.status != RevisionStatus.PUBLISHED:
            changes = compare(take_snapshot(obj), revision.snapshot)
        opts = self.opts
        context = {
            **self.admin_site.each_context(request),
            "title": _("Proposed change to %(item)s") % {"item": obj},
            "subtitle": None,
            "opts": opts,
            "original": obj,
            "revision": revision,
            "changes": changes,
            "form": form,
            "can_publish": can_publish,
            "can_review": can_publish
            and revision.status in (RevisionStatus.PENDING, RevisionStatus.DRAFT),
            "can_request_review": self.has_change_permission(request, obj)
            and revision.status == RevisionStatus.DRAFT,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/publishing/revision.html", context)

    def _review_action(
        self,
        request: HttpRequest,
        obj: Publishable,
        revision: Revision,
        form: ReviewForm,
        can_publish: bool,
    ) -> HttpResponse | None:
        action = request.POST.get("action")
        if action == "request_review":
            if revision.status != RevisionStatus.DRAFT or not self.has_change_permission(
                request, obj
            ):
                raise PermissionDenied
            workflow.request_review(revision)
            self.message_user(request, _("Review requested."), messages.SUCCESS)
            return HttpResponseRedirect(revision.admin_url())
        if action not in ("approve", "return"):
            return None
        if not can_publish or revision.status not in (
            RevisionStatus.PENDING,
            RevisionStatus.DRAFT,
        ):
            raise PermissionDenied
        if not form.is_valid():
            return None
        comment = form.cleaned_data["comment"].strip()
        if action == "return":
            if not comment:
                form.add_error("comment", _("Say what should change before returning it."))
                return None
            workflow.return_to_author(revision, staff_user(request), comment)
            self.log_change(request, obj, _("Returned revision %(id)s.") % {"id": revision.pk})
            self.message_user(request, _("Returned to the author."), messages.SUCCESS)
            return HttpResponseRedirect(revision.admin_url())
        workflow.approve(revision, staff_user(request), form.cleaned_data["go_live_at"], comment)
        if revision.status == RevisionStatus.SCHEDULED:
            text = _("Approved: it goes live on %(when)s.") % {
                "when": format_datetime(revision.go_live_at)
            }
        else:
            text = _("Approved: the change is live.")
        self.log_change(request, obj, _("Approved revision %(id)s.") % {"id": revision.pk})
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
                apply_snapshot(obj, revision.snapshot)
            publish_for_preview(obj, known)
            return render_public_page(request, obj, label)

    # Changelist actions

    def _save_each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Publishable],
        change: Callable[[Publishable], None],
        reason: str,
    ) -> list[Publishable]:
        changed = []
        for obj in queryset:
            change(obj)
            obj._change_reason = reason
            obj.save()
            self.log_change(request, obj, reason)
            changed.append(obj)
        return changed

    @admin.action(
        description=gettext_lazy("Submit selected drafts for review"), permissions=["change"]
    )
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[Publishable]) -> None:
        drafts = queryset.filter(is_published=False, review_requested=False)

        def change(obj: Publishable) -> None:
            obj.review_requested = True

        changed = self._save_each(request, drafts, change, "Submitted for review")
        for obj in changed:
            notifications.review_requested(
                self.model, str(obj), staff_user(request), workflow.change_url(obj)
            )
        count = len(changed)
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
        now = timezone.now()

        def change(obj: Publishable) -> None:
            obj.is_published = True
            obj.review_requested = False
            if obj.publish_at is None:
                obj.publish_at = now

        changed = self._save_each(request, queryset.filter(is_published=False), change, "Published")
        for obj in changed:
            workflow.record_publication(obj, staff_user(request))
        count = len(changed)
        self.message_user(
            request,
            ngettext("%(count)d item published.", "%(count)d items published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Unpublish selected items"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Publishable]) -> None:
        def change(obj: Publishable) -> None:
            obj.is_published = False
            obj.publish_at = None
            obj.unpublish_at = None

        count = len(
            self._save_each(request, queryset.filter(is_published=True), change, "Unpublished")
        )
        self.message_user(
            request,
            ngettext("%(count)d item unpublished.", "%(count)d items unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )
