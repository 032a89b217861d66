"""History people can read: the base of every admin class whose model keeps history.

- Each version says who made it: "Elena proposed, Petar approved" for a change that came
  through review (the item's published revision of that moment), "Petar published" for a
  publication, the person otherwise, and "Loaded with the demo content" for what the demo
  loader made (wbportal/demo_history.py).
- The differences name only the changed fields, by their labels, and show values as the site
  does (local times in one style through formatting.display, "Yes"/"No", choice labels,
  related names). Long texts show only the changed paragraphs, their changed words marked
  (escaped first, then marked), with a paragraph of context; the rest is folded away
  (wbportal/history_text.py).
- Change forms ask for an optional change comment, kept as simple-history's change reason
  and shown in the history list.
- A save that changes nothing records nothing: no version appears that nobody made (a time
  shown to the second and posted back is not a change of its microseconds either).
- A person's name links to their account only for those whom the user admin lets view it,
  so no link leads to a refusal.
- An address whose object or version id is not of the ids' type (`.../history/abc/`) is not
  found (404), as Django's own change view answers, never an error.
"""

import datetime
from decimal import Decimal

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from formatting.display import format_date, format_datetime, format_exact
from formatting.regional_input import RegionalInputMixin
from publishing.diff import highlight, words_and_signs
from publishing.revisions import Revision, RevisionKind, RevisionStatus

from .demo_history import is_demo_version
from .history_text import text_changes

CHANGE_COMMENT = "change_comment"
# A version written by applying a revision and the revision's publication time are set in
# one transaction, moments apart.
REVISION_MATCH = datetime.timedelta(seconds=1)


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
        long = is_text and max(len(old or ""), len(new or "")) > 80
        if long:
            # Only the changed paragraphs, with a little context; the rest folded away.
            return {
                "field": capfirst(field.verbose_name),
                "long": True,
                "pieces": text_changes(old or "", new or ""),
            }
        if is_text and old is not None and new is not None:
            old_html, new_html = highlight(old, new, words_and_signs)
        else:
            old_html = escape(old) if old is not None else None
            new_html = escape(new) if new is not None else None
        return {
            "field": capfirst(field.verbose_name),
            "old": old_html,
            "new": new_html,
            "long": False,
        }


def people_of(records) -> set[int]:
    return {record.history_user_id for record in records} - {None}


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
        return super().history_view(request, object_id, extra_context=extra_context)

    # --- Who made each version ------------------------------------------------------------

    def person_html(self, request: HttpRequest, person, links: dict) -> str:
        """A person's name, linked to their account where the user admin lets this reader
        view it (never a link to a refusal). `links` caches the answer per person."""
        if person is None:
            return format_html('<span class="history-empty">{}</span>', _("a deleted account"))
        if person.pk not in links:
            links[person.pk] = None
            site = self.admin_site
            if site.is_registered(type(person)) and site.get_model_admin(
                type(person)
            ).has_view_permission(request, person):
                opts = person._meta
                try:
                    links[person.pk] = reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change",
                        args=[quote(person.pk)],
                    )
                except NoReverseMatch:
                    pass
        name = person.get_full_name() or person.get_username()
        if links[person.pk]:
            return format_html('<a href="{}">{}</a>', links[person.pk], name)
        return format_html("{}", name)

    def publishing_revisions(self, obj, records) -> list[Revision]:
        """Published revisions that went live around the versions shown: the item's own, and
        (for a child edited in its parent's form, such as a region's contact) the parent's
        approved by the person who made the version."""
        if obj is None or not records:
            return []
        dates = [record.history_date for record in records]
        around = Revision.objects.filter(
            status=RevisionStatus.PUBLISHED,
            published_at__gte=min(dates) - REVISION_MATCH,
            published_at__lte=max(dates) + REVISION_MATCH,
        ).select_related("author", "reviewer")
        wanted = Q(kind=RevisionKind.CHANGE, reviewer_id__in=people_of(records))
        if hasattr(self.model, "publish_flag"):
            wanted |= Q(pk__in=Revision.objects.for_item(obj).values("pk"))
        return list(around.filter(wanted))

    @staticmethod
    def revision_of(record, obj, revisions):
        """The revision whose publication wrote this version, if any: the item's own nearest
        in time, else the one revision of another item (its parent) that the same person
        approved at that moment."""
        near = [
            revision
            for revision in revisions
            if abs(revision.published_at - record.history_date) <= REVISION_MATCH
        ]
        model_type = ContentType.objects.get_for_model(type(obj))
        own = [
            revision
            for revision in near
            if revision.content_type_id == model_type.pk and str(revision.object_id) == str(obj.pk)
        ]
        if own:
            return min(own, key=lambda revision: abs(revision.published_at - record.history_date))
        parents = [
            revision
            for revision in near
            if revision.kind == RevisionKind.CHANGE
            and revision.reviewer_id is not None
            and revision.reviewer_id == record.history_user_id
        ]
        return parents[0] if len(parents) == 1 else None

    def credit_versions(self, request: HttpRequest, obj, records) -> None:
        """Give each version `credit` (who made it, as HTML) and `comment` (the change
        comment, or the reviewer's for a change that came through review). A version made by
        applying a revision is written in the same transaction as the revision's publication:
        it is matched by time (within REVISION_MATCH)."""
        revisions = self.publishing_revisions(obj, records)
        links: dict = {}
        for record in records:
            record.comment = record.history_change_reason or ""
            revision = self.revision_of(record, obj, revisions) if revisions else None
            if is_demo_version(record):
                record.credit = format_html(
                    '<span class="history-demo">{}</span>', _("Loaded with the demo content")
                )
                record.comment = ""
            elif revision is not None and revision.kind == RevisionKind.PUBLICATION:
                record.credit = format_html(
                    _("{publisher} published"),
                    publisher=self.person_html(request, revision.reviewer, links),
                )
            elif revision is not None:
                author = self.person_html(request, revision.author, links)
                reviewer = self.person_html(request, revision.reviewer, links)
                if revision.author_id is not None and revision.author_id == revision.reviewer_id:
                    text = format_html(_("{reviewer} proposed and approved"), reviewer=reviewer)
                else:
                    text = format_html(
                        _("{author} proposed, {reviewer} approved"),
                        author=author,
                        reviewer=reviewer,
                    )
                record.credit = text
                record.comment = revision.comment
            elif record.history_user is not None:
                record.credit = self.person_html(request, record.history_user, links)
            else:
                record.credit = format_html(
                    '<span class="history-empty">{}</span>', _("not recorded")
                )

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
        page = context.get("page_obj")
        if page is not None:
            self.credit_versions(request, context.get("object"), list(page.object_list))
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
