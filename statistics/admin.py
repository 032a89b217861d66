import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ExportMixin
from import_export.forms import ExportForm

from formatting.display import format_number, format_observation
from formatting.regional_input import RegionalSplitDateTimeField
from pagecache import PageCacheUnavailable
from pagecache.middleware import commits_in_steps
from richtext.admin import MarkdownAdminMixin
from wbportal.history_admin import ReadableHistoryAdmin

from .derived import recompute_for
from .derived.rules import unit_change_errors
from .derived.store import recompute_all, recompute_indicator
from .downloads import content_disposition, export_file_stem
from .imports.pipeline import import_observations
from .imports.release import ReleasePlan
from .imports.undo import UndoRefused, added_examples, summary_of, undo_import
from .models import (
    STATUSES_WITHOUT_VALUE,
    DataRelease,
    Derivation,
    ImportRecord,
    Indicator,
    Observation,
    PendingUpload,
    ReleaseStatus,
    Source,
)
from .resources import ContractCSVFormat, ObservationResource, RegionalCSVFormat, XLSXFormat

logger = logging.getLogger(__name__)
# The preview lists the first rows and every row with an error (the report caps those).
ADMIN_PREVIEW_ROWS = 1000


@admin.register(Source)
class SourceAdmin(ReadableHistoryAdmin):
    list_display = ["name", "code", "publisher", "terms_summary", "reference_date"]
    list_filter = ["is_own_compilation"]
    search_fields = ["name", "code", "publisher"]
    prepopulated_fields = {"code": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "code", "url", "description"]}),
        (
            _("Whose figures, under what terms"),
            {
                "description": _(
                    "Every figure is attributed to its source on the site and in the downloads. "
                    "Enter only what the source itself states: a licence (e.g. CC BY 4.0, with "
                    "its URL), or its terms of use in a sentence, or nothing, and the site then "
                    "says that the source states no licence or terms. Tick “own compilation” "
                    "only for figures the portal compiles itself: only those fall under the "
                    "portal's data licence (Site settings)."
                ),
                "fields": ["publisher", "is_own_compilation", "licence", "licence_url", "terms"],
            },
        ),
        (
            _("Citation and date"),
            {
                "description": _(
                    "How the source asks to be cited, word for word, and the date it published "
                    "or presented these figures: pages show it with each figure (“as of 14 May "
                    "2025”)."
                ),
                "fields": ["citation", "reference_date"],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # a rate's note names its denominator's source
            recompute_all(
                list(
                    Derivation.objects.filter(denominator__observations__source=obj)
                    .distinct()
                    .values_list("pk", flat=True)
                )
            )

    @admin.display(description=_("licence or terms"))
    def terms_summary(self, source):
        if source.is_own_compilation:
            return _("The portal's data licence")
        if source.licence:
            return source.licence
        if source.terms or source.licence_url:
            return _("Terms of use")
        return _("Not stated")


class IndicatorAdminForm(forms.ModelForm):
    """Refuses a unit that would make a derivation mix cases and persons."""

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        errors = unit_change_errors(self.instance, unit)
        if errors:
            raise forms.ValidationError(errors)
        return unit


@admin.register(Indicator)
class IndicatorAdmin(MarkdownAdminMixin, ReadableHistoryAdmin):
    form = IndicatorAdminForm
    list_display = ["name", "code", "unit", "breakdown_label", "is_featured", "order"]
    list_filter = ["is_featured", "unit"]
    list_editable = ["is_featured", "order"]
    search_fields = ["name", "code", "description"]
    prepopulated_fields = {"code": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # derived notes quote names; rates are rounded to the decimals
            recompute_indicator(obj.pk)


class ObservationImportForm(forms.Form):
    PUBLISH, SCHEDULE, HOLD = "publish", "schedule", "hold"

    import_file = forms.FileField(
        label=_("File to import"),
        help_text=_("CSV or XLSX: the encoding, the delimiter and the type are detected."),
    )

    release_mode = forms.ChoiceField(
        label=_("Publication"),
        choices=[
            (PUBLISH, _("Public at once (where their areas are public)")),
            (SCHEDULE, _("Stage as a data release, public at the time below")),
            (
                HOLD,
                _("Stage as a data release, held until a Publisher or Data manager releases it"),
            ),
        ],
        initial=PUBLISH,
        required=False,  # not chosen (a script's upload): public at once, as before
        widget=forms.RadioSelect,
        help_text=_(
            "A staged import may only add new observations; until its release, staff see "
            "them on the region and country pages and nobody else sees them anywhere."
        ),
    )
    release_at = RegionalSplitDateTimeField(
        label=_("Release at"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("Local time (%(zone)s).") % {"zone": settings.TIME_ZONE},
    )
    release_name = forms.CharField(
        label=_("Release name"),
        required=False,
        max_length=DataRelease._meta.get_field("name").max_length,
        help_text=_("Blank: the file name."),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload is not None and upload.size > limit:
            self.add_error(
                "import_file",
                gettext("The file is %(size).1f MB; the limit is %(limit).1f MB.")
                % {"size": upload.size / 1_048_576, "limit": limit / 1_048_576},
            )
        self.release_plan = self.clean_release_plan(cleaned, upload)
        return cleaned

    def clean_release_plan(self, cleaned, upload):
        """The ReleasePlan chosen (None: public at once); errors go to the time field."""
        mode = cleaned.get("release_mode")
        if mode not in (self.SCHEDULE, self.HOLD):
            return None
        release_at = cleaned.get("release_at") if mode == self.SCHEDULE else None
        if mode == self.SCHEDULE and release_at is None:
            if "release_at" not in self.errors:
                self.add_error("release_at", gettext("Give the time the release becomes public."))
            return None
        name = cleaned.get("release_name") or (upload.name if upload is not None else "")
        try:
            return ReleasePlan.checked(name, release_at)
        except ValueError as error:
            self.add_error("release_at", str(error))
            return None


class ObservationAdminForm(forms.ModelForm):
    """Refuses a figure typed in for a derived indicator: the portal computes those."""

    def clean_indicator(self):
        indicator = self.cleaned_data["indicator"]
        if indicator is not None and Derivation.objects.filter(indicator=indicator).exists():
            raise forms.ValidationError(
                gettext(
                    "“%(indicator)s” is computed by the portal from other indicators; its "
                    "figures cannot be typed in."
                )
                % {"indicator": indicator}
            )
        return indicator


class ConfirmUploadForm(forms.Form):
    """The confirm step: the id of the user's PendingUpload, and nothing else from the client."""

    upload = forms.UUIDField(widget=forms.HiddenInput)


@admin.register(Observation)
class ObservationAdmin(ExportMixin, ReadableHistoryAdmin):
    """Observations, and their import (upload -> preview -> confirm) and export.

    The import is a plain flow on the shared pipeline: the upload is previewed as a dry run,
    a passed preview is kept as the user's PendingUpload, and the confirm step imports that
    upload, named by its id alone. The export is django-import-export's (statistics/resources.py).
    """

    form = ObservationAdminForm
    list_display = ["indicator", "area", "period", "category", "shown_value", "status", "source"]
    list_filter = [
        "indicator",
        "status",
        "qualifier",
        "country",
        "region",
        "source",
        "release",
        "is_derived",
    ]
    search_fields = ["indicator__code", "indicator__name", "category", "period", "note"]
    autocomplete_fields = ["indicator", "country", "region", "source"]
    list_select_related = ["indicator", "country", "region", "source"]
    fields = [
        "indicator",
        ("country", "region"),
        "period",
        "category",
        ("value", "qualifier"),
        "status",
        "source",
        "note",
        "area_label",
        "release",
        "is_derived",
    ]

    readonly_fields = ["release", "is_derived"]
    resource_classes = [ObservationResource]
    export_formats = [ContractCSVFormat, RegionalCSVFormat, XLSXFormat]
    export_form_class = ExportForm  # the format only: the columns are the contract's
    import_export_change_list_template = "admin/statistics/observation/change_list.html"
    import_template_name = "admin/statistics/observation/import.html"

    @admin.display(description=_("area"))
    def area(self, observation):
        return observation.area

    @admin.display(description=_("value"), ordering="value")
    def shown_value(self, observation):
        """As the site shows it: the indicator's decimals and unit."""
        indicator = observation.indicator
        text = format_observation(observation, indicator)
        without_number = observation.value is None or observation.status in STATUSES_WITHOUT_VALUE
        if without_number or indicator.is_percentage or not indicator.unit:
            return text
        return f"{text} {indicator.unit}"

    # Derived figures (statistics.derived) are computed, never edited: read-only here, and
    # every change of an input recomputes what is computed from it, in this transaction.

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_derived:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_derived:
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and obj.is_derived and request.method == "GET":
            messages.info(
                request,
                gettext(
                    "This figure is computed by the portal (%(how)s). It cannot be changed or "
                    "deleted here: correct its inputs, or the definition of “%(indicator)s”."
                )
                % {"how": obj.note, "indicator": obj.indicator},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = {obj.indicator_id, form.initial.get("indicator") if change else None}
        recompute_for(pk for pk in changed if pk is not None)

    def delete_model(self, request, obj):
        indicator_id = obj.indicator_id
        super().delete_model(request, obj)
        recompute_for([indicator_id])

    def delete_queryset(self, request, queryset):
        indicator_ids = set(queryset.values_list("indicator_id", flat=True))
        super().delete_queryset(request, queryset)
        recompute_for(indicator_ids)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_action),
                name=f"{prefix}_import",
            ),
            path(
                "process_import/",
                # Outside the admin POST's one transaction: the claim commits first.
                commits_in_steps(self.admin_site.admin_view(self.process_import)),
                name=f"{prefix}_process_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {})}
        extra_context["has_import_permission"] = self.has_import_permission(request)
        return super().changelist_view(request, extra_context)

    def get_export_resource_kwargs(self, request, **kwargs):
        """The resource writes decimal commas for the regional layout."""
        form = kwargs.get("export_form")
        formats = self.get_export_formats()
        chosen = formats[int(form.cleaned_data["format"])] if form is not None else formats[0]
        return {"regional": chosen.regional, "typed": getattr(chosen, "typed", False)}

    def get_export_filename(self, request, queryset, file_format):
        """What the file holds: "refugees-hosted_TR_2015-2025.csv" (the indicator when there is
        one, the area when there is one, the first and last period)."""
        suffix = "regional" if getattr(file_format, "regional", False) else ""
        return f"{export_file_stem(queryset, suffix)}.{file_format.get_extension()}"

    def export_action(self, request):
        """django-import-export's export, its file name also given as `filename*`."""
        response = super().export_action(request)
        disposition = response.get("Content-Disposition", "")
        if disposition.startswith("attachment; filename="):
            name = disposition.split('filename="', 1)[1].rstrip('"')
            response["Content-Disposition"] = content_disposition(name)
        return response

    def has_import_permission(self, request):
        """Importing adds and changes observations: it needs both permissions."""
        opts = self.opts
        return all(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("add", "change")
        )

    def import_action(self, request):
        """The upload form; on a valid upload, the preview (a dry run) and, if it passed and
        would change something, the confirm form naming the upload kept for this user."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = ObservationImportForm(request.POST, request.FILES)
        else:
            form = ObservationImportForm()
        report = confirm_form = None
        if form.is_valid():
            upload = form.cleaned_data["import_file"]
            data = b"".join(upload.chunks())
            plan = form.release_plan
            report = import_observations(
                data,
                file_name=upload.name,
                user=request.user,
                dry_run=True,
                via=ImportRecord.Via.ADMIN,
                preview_limit=ADMIN_PREVIEW_ROWS,
                release=plan,
            )
            if not report.has_errors and not report.nothing_to_change:
                pending = PendingUpload.objects.store(
                    request.user,
                    upload.name,
                    data,
                    release_name=plan.name if plan else "",
                    release_at=plan.release_at if plan else None,
                )
                confirm_form = ConfirmUploadForm(initial={"upload": pending.pk})
        return self.render_import(request, form, report, confirm_form)

    def render_import(self, request, form, report=None, confirm_form=None):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.opts,
            "form": form,
            "report": report,
            "confirm_form": confirm_form,
            # The date and time boxes' calendar and clock (AdminSplitDateTime).
            "media": self.media + form.media if form else self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    @method_decorator(require_POST)
    def process_import(self, request):
        """Import the user's pending upload named by the posted id, once, and delete it."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ConfirmUploadForm(request.POST)
        if not form.is_valid():
            return self.refuse_confirm(request, gettext("The confirmation named no upload."))
        # Claimed (deleted, committed) before the import starts, not inside its transaction
        # (this view commits in steps: see get_urls): a confirm that fails in any way, a worker
        # killed at its timeout included, must not leave an upload to confirm again, whose
        # retry could fail the same way or import it twice.
        try:
            pending = PendingUpload.objects.claim(form.cleaned_data["upload"], request.user)
        except PendingUpload.DoesNotExist:
            return self.refuse_confirm(
                request,
                gettext(
                    "This upload is not waiting for confirmation: it was already imported, "
                    "expired or replaced by a newer upload, or it is not yours."
                ),
            )
        except PendingUpload.Expired as expired:
            return self.refuse_confirm(
                request,
                gettext("The upload of %(file)s expired before it was confirmed.")
                % {"file": expired.file_name},
            )
        release = None
        if pending.release_name:
            try:  # the time may have passed while the preview was open
                release = ReleasePlan.checked(pending.release_name, pending.staged_release_at)
            except ValueError as error:
                return self.refuse_confirm(request, str(error))
        try:
            report = import_observations(
                bytes(pending.data),
                file_name=pending.file_name,
                user=request.user,
                via=ImportRecord.Via.ADMIN,
                preview_limit=ADMIN_PREVIEW_ROWS,
                release=release,
            )
        except PageCacheUnavailable:
            # Rolled back, nothing written: the upload waits again, to be confirmed once the
            # cache is back. The outage itself is answered site-wide, not per view.
            PendingUpload.objects.put_back(pending)
            raise
        except Exception:
            logger.exception("Import of the pending upload %s failed", pending.file_name)
            return self.refuse_confirm(
                request,
                gettext(
                    "The import of %(file)s failed with an unexpected error, which was logged "
                    "for the site's administrators."
                )
                % {"file": pending.file_name},
            )
        if report.has_errors:
            # The data changed between preview and confirm: show why, write nothing.
            return self.render_import(request, None, report)
        counts = report.counts
        messages.success(
            request,
            gettext(
                "Import of %(file)s finished: %(new)s new, %(updated)s updated, "
                "%(unchanged)s unchanged observations."
            )
            % {
                "file": report.file_name,
                "new": format_number(counts["new"]),
                "updated": format_number(counts["updated"]),
                "unchanged": format_number(counts["unchanged"]),
            },
        )
        if report.release is not None:
            messages.info(request, report.release_plan.describe())
        elif report.release_plan is not None:
            messages.info(request, gettext("Nothing new to stage: no data release was made."))
        return HttpResponseRedirect(reverse("admin:statistics_observation_changelist"))

    def refuse_confirm(self, request, reason):
        messages.error(
            request, f"{reason} {gettext('Nothing was imported; upload the file again.')}"
        )
        return HttpResponseRedirect(reverse("admin:statistics_observation_import"))


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """The record of imports: read-only, nobody edits or deletes history. A written import's
    page shows what it added and changed (field by field, as its preview did) and, for those
    who may import, undoes it as one step (statistics.imports.undo)."""

    list_display = [
        "created_at",
        "user",
        "file_name",
        "via",
        "dry_run",
        "committed",
        "new",
        "updated",
        "unchanged",
        "errors",
        "profile",
        "undone_at",
    ]
    list_filter = ["via", "dry_run", "committed", ("undone_at", admin.EmptyFieldListFilter)]
    search_fields = ["file_name", "user__username", "profile"]
    list_select_related = ["user", "undone_by"]
    date_hierarchy = "created_at"
    change_form_template = "admin/statistics/importrecord/change_form.html"
    fields = [
        "created_at",
        "user",
        "file_name",
        "profile",
        "via",
        ("dry_run", "committed"),
        ("new", "updated", "unchanged", "errors"),
        "messages",
        ("undone_at", "undone_by"),
    ]
    readonly_fields = [
        name for entry in fields for name in (entry if isinstance(entry, tuple) else (entry,))
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # The ids of what an import added are read on its own page (and by undo), not listed.
        return super().get_queryset(request).defer("added_observations")

    def has_undo_permission(self, request):
        """Undoing adds back, changes and deletes observations: only who may import and
        delete them (Data managers)."""
        return request.user.has_perms(
            [f"statistics.{action}_observation" for action in ("add", "change", "delete")]
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="statistics_importrecord_undo",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {})}
        record = self.get_object(request, object_id)
        if record is not None and record.committed:
            added, summary = summary_of(record)
            examples = added_examples(record)
            extra_context.update(
                {
                    "added": added,
                    "added_examples": examples,
                    "added_more": added - len(examples),
                    "summary": summary,
                    "can_undo": record.can_be_undone and self.has_undo_permission(request),
                    "undo_url": reverse("admin:statistics_importrecord_undo", args=[record.pk]),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def undo_view(self, request, object_id):
        if not self.has_undo_permission(request):
            raise PermissionDenied
        record = self.get_object(request, object_id)
        if record is None:
            raise Http404
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        back = reverse("admin:statistics_importrecord_change", args=[record.pk])
        try:
            result = undo_import(record, request.user)
        except UndoRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(back)
        messages.success(
            request,
            gettext(
                "The import of %(file)s was undone: %(restored)d observations have their "
                "values from before it again, %(deleted)d it had added were deleted."
            )
            % {"file": record.file_name, "restored": result.restored, "deleted": result.deleted},
        )
        return HttpResponseRedirect(back)


class ReleaseStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ReleaseStatus.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == ReleaseStatus.HELD:
            return queryset.filter(release_at__isnull=True)
        if value == ReleaseStatus.SCHEDULED:
            return queryset.filter(release_at__gt=now)
        if value == ReleaseStatus.RELEASED:
            return queryset.filter(release_at__lte=now)
        return queryset


class DataReleaseForm(forms.ModelForm):
    class Meta:
        model = DataRelease
        fields = ["name", "release_at"]

    def clean_release_at(self):
        release_at = self.cleaned_data["release_at"]
        changed = "release_at" in self.changed_data
        if changed and release_at is not None and release_at <= timezone.now():
            raise forms.ValidationError(
                gettext(
                    "This time has passed. Choose a future time, or use “Release now” to "
                    "make the data public at once."
                )
            )
        return release_at


@admin.register(DataRelease)
class DataReleaseAdmin(ReadableHistoryAdmin):
    """Staged imports (embargoes): when each becomes public, and "Release now".

    Releases are made by imports (no add form). Publishers and Data managers may change the
    time of a pending release and release it; a released one keeps its time (taking public
    figures back is not a release's job). Deleting is possible only for a pending release
    whose observations were deleted first (PROTECT): it never publishes them.
    """

    form = DataReleaseForm
    change_form_template = "admin/statistics/datarelease/change_form.html"
    list_display = [
        "name",
        "status_label",
        "release_at",
        "observation_count",
        "created_by",
        "created_at",
        "released_by",
    ]
    list_filter = [ReleaseStatusFilter]
    search_fields = ["name"]
    list_select_related = ["created_by", "released_by"]
    fields = [
        "name",
        "release_at",
        "status_label",
        "observation_count",
        "created_by",
        "created_at",
        "released_by",
        "import_record",
    ]
    actions = ["release_now"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_observation_count()

    def get_readonly_fields(self, request, obj=None):
        readonly = [name for name in self.fields if name not in ("name", "release_at")]
        if obj is not None and obj.is_released:
            readonly.append("release_at")
        return readonly

    @admin.display(description=_("status"))
    def status_label(self, release):
        status = ReleaseStatus(release.status)
        return status.label

    @admin.display(description=_("observations"), ordering="observation_count")
    def observation_count(self, release):
        return release.observation_count

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_released:
            return False
        return super().has_delete_permission(request, obj)

    def has_release_permission(self, request, obj=None):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.release_{opts.model_name}")

    @admin.action(permissions=["release"], description=_("Release now (make public at once)"))
    def release_now(self, request, queryset):
        pending = list(queryset.pending())
        for release in pending:
            release.release_now(request.user)
        if pending:
            messages.success(
                request,
                gettext("Released now: %(names)s.")
                % {"names": ", ".join(release.name for release in pending)},
            )
        skipped = queryset.count() - len(pending)
        if skipped:
            messages.info(
                request,
                gettext("%(count)d selected release(s) had been released already.")
                % {"count": skipped},
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_release_now"] = (
            obj is not None
            and not obj.is_released
            and self.has_change_permission(request, obj)
            and self.has_release_permission(request, obj)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if "_release_now" in request.POST:
            if obj.is_released:
                messages.info(
                    request, gettext("“%(name)s” had been released already.") % {"name": obj.name}
                )
            elif not self.has_release_permission(request, obj):
                raise PermissionDenied
            else:
                obj.release_now(request.user)
                messages.success(request, gettext("“%(name)s” is public now.") % {"name": obj.name})
            return HttpResponseRedirect(reverse("admin:statistics_datarelease_changelist"))
        return super().response_change(request, obj)


# Derived indicator definitions have their own module beside their computation; import
# profiles and the shared area names theirs beside the profile engine.
from .derived import admin as _derived_admin  # noqa: E402, F401
from .profiles import admin as _profiles_admin  # noqa: E402, F401
