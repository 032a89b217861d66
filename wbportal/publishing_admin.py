"""Admin side of the publishing workflow (see wbportal.publishing).

Editors write and tick "ready for review"; only users with the model's `publish_<model>`
permission (the Publisher role) set the approval flag and the publish date. This is enforced
three times: the fields are read-only in the form, the publish actions are not offered, and
save_model() puts back the stored values whatever was posted (a forged POST, a history
revert, an inline) by someone without the permission.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .history_admin import ReadableHistoryAdmin
from .own_drafts import OwnDraftDeletionMixin
from .publishing import PublicationStatus

PUBLICATION_FIELDS = ["publish_at"]


def publication_fields(model):
    return [model.publish_flag, *PUBLICATION_FIELDS]


def has_publish_permission(request, model):
    opts = model._meta
    return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('publish', opts)}")


def enforce_publication_rules(request, obj, is_new):
    """Keep publication fields as stored unless the user may publish; normalise the rest."""
    model = type(obj)
    flag = model.publish_flag
    if not has_publish_permission(request, model):
        stored = None
        if not is_new and obj.pk is not None:
            stored = (
                model._default_manager.filter(pk=obj.pk).values(*publication_fields(model)).first()
            )
        for field in publication_fields(model):
            default = model._meta.get_field(field).get_default()
            setattr(obj, field, stored[field] if stored else default)
    elif getattr(obj, flag) and obj.publish_at is None:
        live_since = _live_since(model, obj, is_new)
        # An item already public keeps its record when saved with the date left blank:
        # only an approval is dated, never a save nobody meant as one.
        obj.publish_at = live_since[0] if live_since else timezone.now()
    if getattr(obj, flag):
        obj.review_requested = False


def _live_since(model, obj, is_new):
    """(stored publish_at,) if the stored item is public now, else None."""
    if is_new or obj.pk is None:
        return None
    return model._default_manager.live().filter(pk=obj.pk).values_list("publish_at").first()


class PublishableForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        # Publishing answers the review request (the database refuses both at once).
        if data.get(self._meta.model.publish_flag):
            data["review_requested"] = False
        return data


class PublicationStatusFilter(admin.SimpleListFilter):
    title = _("publication status")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return PublicationStatus.choices

    def queryset(self, request, queryset):
        if self.value() in PublicationStatus.values:
            return queryset.with_status(self.value())
        return queryset


class PublishingPermissionMixin:
    def has_publish_permission(self, request, obj=None):
        return has_publish_permission(request, self.model)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly += [f for f in publication_fields(self.model) if f not in readonly]
        # (An inline gets the parent object: only a publishable object itself counts.)
        if isinstance(obj, self.model) and getattr(obj, self.model.publish_flag):
            readonly.append("review_requested")
        return readonly


class PublishableInlineMixin(PublishingPermissionMixin):
    """For inlines of a publishable model (contacts in the region form)."""


class PublishableAdmin(OwnDraftDeletionMixin, PublishingPermissionMixin, ReadableHistoryAdmin):
    form = PublishableForm
    actions = ["submit_for_review", "publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_publication_status()

    def get_list_filter(self, request):
        return [PublicationStatusFilter, *super().get_list_filter(request)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "publication_status_display"]

    @admin.display(description=_("publication"), ordering="publication_status")
    def publication_status_display(self, obj):
        status = getattr(obj, "publication_status", None)
        if status is None:  # an unsaved object
            return PublicationStatus.DRAFT.label
        label = PublicationStatus(status).label
        if status == PublicationStatus.SCHEDULED:
            when = timezone.localtime(obj.publish_at).strftime("%Y-%m-%d %H:%M")
            return _("%(status)s for %(when)s") % {"status": label, "when": when}
        return label

    def save_model(self, request, obj, form, change):
        enforce_publication_rules(request, obj, is_new=not change)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if hasattr(type(obj), "publish_flag"):
                enforce_publication_rules(request, obj, is_new=obj._state.adding)
            obj.save()
        formset.save_m2m()

    def _save_each(self, request, queryset, change, reason):
        changed = 0
        for obj in queryset:
            change(obj)
            obj._change_reason = reason
            obj.save()
            self.log_change(request, obj, reason)
            changed += 1
        return changed

    @admin.action(description=_("Submit selected drafts for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        drafts = queryset.filter(**{self.model.publish_flag: False}, review_requested=False)

        def change(obj):
            obj.review_requested = True

        count = self._save_each(request, drafts, change, "Submitted for review")
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

    @admin.action(description=_("Publish selected items"), permissions=["publish"])
    def publish(self, request, queryset):
        flag = self.model.publish_flag
        now = timezone.now()

        def change(obj):
            setattr(obj, flag, True)
            obj.review_requested = False
            if obj.publish_at is None:
                obj.publish_at = now

        count = self._save_each(request, queryset.filter(**{flag: False}), change, "Published")
        self.message_user(
            request,
            ngettext("%(count)d item published.", "%(count)d items published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected items"), permissions=["publish"])
    def unpublish(self, request, queryset):
        flag = self.model.publish_flag

        def change(obj):
            setattr(obj, flag, False)
            obj.publish_at = None

        count = self._save_each(request, queryset.filter(**{flag: True}), change, "Unpublished")
        self.message_user(
            request,
            ngettext("%(count)d item unpublished.", "%(count)d items unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )
