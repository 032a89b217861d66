"""History people can read: the base of every admin class whose model keeps history.

- The differences name fields by their labels and show values as the site does (local times
  in one style through formatting.display, "Yes"/"No", choice labels, related names), texts
  in full with the changed words marked (escaped first, then marked).
- Change forms ask for an optional change comment, kept as simple-history's change reason
  and shown in the history list.
- A save that changes nothing records nothing: no version appears that nobody made (a time
  shown to the second and posted back is not a change of its microseconds either).
- "Changed by" links to the user only for those who may view users.
- An address whose object or version id is not of the ids' type (`.../history/abc/`) is not
  found (404), as Django's own change view answers, never an error.
"""

from decimal import Decimal

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from formatting.display import format_date, format_datetime, format_exact
from formatting.regional_input import RegionalInputMixin
from publishing.diff import highlight, words_and_signs

CHANGE_COMMENT = "change_comment"


def _automatic(field):
    """Fields the database or Django fill on every save: their change is the save itself."""
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def shown_value(field, value):
    """One value of a field, as plain text the way the site shows it."""
    if value is None or value == "":
        return None
    if isinstance(value, list):  # many-to-many: the related objects
        return ", ".join(str(item) for item in value) if value else None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField):
        return format_datetime(value)
    if isinstance(field, models.DateField):
        return format_date(value)
    if isinstance(value, (Decimal, float)) and not isinstance(field, models.CharField):
        return format_exact(value)
    return str(value)


class ReadableRecordHelper(HistoricalRecordContextHelper):
    def context_for_delta_changes(self, delta):
        return [self.readable_change(change) for change in delta.changes]

    def readable_change(self, change):
        field = self.model._meta.get_field(change.field)
        old = shown_value(field, self.prepare_delta_change_value(change, change.old))
        new = shown_value(field, self.prepare_delta_change_value(change, change.new))
        is_text = isinstance(field, (models.CharField, models.TextField)) and not field.choices
        if is_text and old is not None and new is not None:
            old_html, new_html = highlight(old, new, words_and_signs)
        else:
            old_html = escape(old) if old is not None else None
            new_html = escape(new) if new is not None else None
        return {
            "field": capfirst(field.verbose_name),
            "old": old_html,
            "new": new_html,
            "long": is_text and max(len(old or ""), len(new or "")) > 80,
        }


def change_comment_field():
    return forms.CharField(
        label=gettext_lazy("Change comment (optional)"),
        required=False,
        max_length=100,  # simple-history's history_change_reason column
        help_text=gettext_lazy("Why you made this change; shown in the history."),
    )


class ReadableHistoryAdmin(RegionalInputMixin, SimpleHistoryAdmin):
    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"

    # --- The history list -------------------------------------------------------------------

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableRecordHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        automatic = [field.name for field in self.model._meta.fields if _automatic(field)]
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=automatic,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def _require_valid_ids(self, object_id, version_id=None):
        """Http404 unless the ids could be ids of this model and of its history (simple-history
        passes them to the database as they are, which raises on `abc` for an integer)."""
        history_model = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        checks = [(self.model._meta.pk, unquote(object_id))]
        if version_id is not None:
            checks.append((history_model._meta.pk, version_id))
        for field, value in checks:
            try:
                field.to_python(value)
            except ValidationError as error:
                raise Http404 from error

    def history_view(self, request, object_id, extra_context=None):
        self._require_valid_ids(object_id)
        opts = get_user_model()._meta
        context = {
            "may_view_users": request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
            or request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_valid_ids(object_id, version_id)
        if request.method == "POST":
            # simple-history lets anyone who may view the history post the revert form: a
            # revert is a change, asked of this model admin's own object-level rules, for
            # the item as it is now.
            current = self.get_object(request, unquote(object_id))
            if current is None:
                raise Http404
            history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
            version = history.filter(history_id=version_id).first()
            restored = version.instance if version is not None else None
            if not self.has_change_permission(request, current) or (
                restored is not None and not self.has_change_permission(request, restored)
            ):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # --- The change comment ---------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets.append((None, {"fields": [CHANGE_COMMENT]}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The comment is no model field: the model form is made without it, then gets it.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != CHANGE_COMMENT]
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            return form
        return type(form.__name__, (form,), {CHANGE_COMMENT: change_comment_field()})

    # --- Saving: no phantom versions ------------------------------------------------------

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        if change:
            # A field nobody touched keeps its stored value exactly: the form shows times to
            # the second, and posting them back must not cut the stored microseconds.
            for name, field in form.fields.items():
                if (
                    isinstance(field, forms.SplitDateTimeField)
                    and name not in form.changed_data
                    and name in form.initial
                ):
                    setattr(obj, name, form.initial[name])
        return obj

    def save_model(self, request, obj, form, change):
        comment = (form.cleaned_data.get(CHANGE_COMMENT) or "").strip()
        obj._change_reason = comment or None
        skip = change and not comment and not self.differs_from_last_version(obj)
        if skip:
            obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            if skip:
                del obj.skip_history_when_saving

    def differs_from_last_version(self, obj):
        latest = obj.history.order_by("-history_date", "-history_id").first()
        if latest is None:
            return True
        tracked = [
            field for field in latest.tracked_fields if not _automatic(field) and field.concrete
        ]
        return any(
            getattr(obj, field.attname) != getattr(latest, field.attname) for field in tracked
        )

    # --- The revert page --------------------------------------------------------------------

    def render_history_view(self, request, template, context, **kwargs):
        original = context.get("original")
        if original is not None and hasattr(self.model, "publish_flag"):
            # The version comes from the history table, without the publication status the
            # changelist annotates: show the item's status now, which a restore as someone
            # who may not publish keeps.
            current = (
                self.model._default_manager.with_publication_status()
                .filter(pk=original.pk)
                .values("publication_status", "publish_at")
                .first()
            )
            if current is not None:
                original.publication_status = current["publication_status"]
                context["current_publication_status"] = current
        return super().render_history_view(request, template, context, **kwargs)
