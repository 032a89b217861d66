from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from .importing import export_csv_bytes
from .models import ImportRecord, Indicator, Observation, Source
from .resources import ContractCSVFormat, DetectedFileFormat, ObservationResource


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "url"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
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
