import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from wbportal.markdown_admin import MarkdownAdminMixin
from wbportal.pagecache import PageCacheUnavailable

from .importing import export_csv_bytes
from .models import ImportRecord, Indicator, Observation, PendingUpload, Source
from .resources import (
    ContractCSVFormat,
    DetectedFileFormat,
    ObservationResource,
    PreviewOnlyStorage,
)

logger = logging.getLogger(__name__)


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "url"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Indicator)
class IndicatorAdmin(MarkdownAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "unit", "breakdown_label", "is_featured", "order"]
    list_filter = ["is_featured", "unit"]
    list_editable = ["is_featured", "order"]
    search_fields = ["name", "code", "description"]
    prepopulated_fields = {"code": ["name"]}


class ObservationImportForm(ImportForm):
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
        return cleaned


class ConfirmUploadForm(forms.Form):
    """The confirm step: the id of the user's PendingUpload, and nothing else from the client."""

    upload = forms.UUIDField(widget=forms.HiddenInput)


@admin.register(Observation)
class ObservationAdmin(ImportExportMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "area", "period", "category", "value", "status", "source"]
    list_filter = ["indicator", "status", "country", "region", "source"]
    search_fields = ["indicator__code", "indicator__name", "category", "period", "note"]
    autocomplete_fields = ["indicator", "country", "region", "source"]
    list_select_related = ["indicator", "country", "region", "source"]
    fields = [
        "indicator",
        ("country", "region"),
        "period",
        "category",
        "value",
        "status",
        "source",
        "note",
    ]

    resource_classes = [ObservationResource]
    import_formats = [DetectedFileFormat]
    export_formats = [ContractCSVFormat]
    import_form_class = ObservationImportForm
    import_template_name = "admin/statistics/observation/import.html"
    tmp_storage_class = PreviewOnlyStorage
    skip_export_form = True  # one format: the Export button downloads the filtered list
    skip_admin_log = True  # every import is an ImportRecord; 100,000 log entries help nobody

    @admin.display(description=_("area"))
    def area(self, observation):
        return observation.area

    def has_import_permission(self, request):
        """Importing adds and changes observations: it needs both permissions."""
        opts = self.opts
        return all(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("add", "change")
        )

    def create_confirm_form(self, request, import_form=None):
        if import_form is None:  # the confirm step: the posted id
            return ConfirmUploadForm(request.POST)
        # Called once the preview passed: keep the upload for this user to confirm.
        upload = import_form.cleaned_data["import_file"]
        pending = PendingUpload.objects.store(request.user, upload.name, b"".join(upload.chunks()))
        return ConfirmUploadForm(initial={"upload": pending.pk})

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Import the user's pending upload named by the posted id, once, and delete it."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            return self.refuse_confirm(request, gettext("The confirmation named no upload."))
        # Claimed (deleted, committed) before the import starts, not inside its transaction:
        # a confirm that fails in any way, a worker killed at its timeout included, must not
        # leave an upload whose every retry fails the same way again.
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
        try:
            dataset = DetectedFileFormat().create_dataset(pending.data)
            result = self.process_dataset(dataset, form, request, file_name=pending.file_name)
        except PageCacheUnavailable:
            raise  # rolled back; a cache outage is answered site-wide, not per view
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
        return self.process_result(result, request)

    def refuse_confirm(self, request, reason):
        messages.error(
            request, f"{reason} {gettext('Nothing was imported; upload the file again.')}"
        )
        return HttpResponseRedirect(reverse("admin:statistics_observation_import"))

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        return export_csv_bytes(queryset)

    def process_result(self, result, request):
        report = result.report
        if report.has_errors:
            # The data changed between preview and confirm: show why, write nothing.
            context = self.admin_site.each_context(request)
            context.update(
                {"title": _("Import"), "opts": self.model._meta, "result": result, "form": None}
            )
            return TemplateResponse(request, [self.import_template_name], context)
        counts = report.counts
        messages.success(
            request,
            gettext(
                "Import of %(file)s finished: %(new)d new, %(updated)d updated, "
                "%(unchanged)d unchanged observations."
            )
            % {
                "file": report.file_name,
                "new": counts["new"],
                "updated": counts["updated"],
                "unchanged": counts["unchanged"],
            },
        )
        return HttpResponseRedirect(reverse("admin:statistics_observation_changelist"))


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """The record of imports: read-only, nobody edits or deletes history."""

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
    ]
    list_filter = ["via", "dry_run", "committed"]
    search_fields = ["file_name", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
