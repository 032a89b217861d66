"""Admin for import profiles and the shared area names (registered from statistics.admin)."""

import json
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms.fields import InvalidJSONInput
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from staff.users import staff_user

from ..imports.readers import FileError
from ..models import AreaName, ImportProfile, ImportRecord, PendingUpload
from .builder import BuilderForm, initial_from
from .format import (
    ProfileError,
    load_definition,
    nesting_problem,
    parse_profile,
    too_deep_message,
)
from .load import export_profile, import_with_profile
from .reshape import column_letters, rows_as_read

# Keys of a definition that the builder's form sets; the others of a saved profile are kept.
BUILDER_KEYS = ("markers", "areas", "defaults", "value_columns", "header_rows", "split_column")
PREVIEW_ROWS = 50

MAX_PROFILE_BYTES = 1_048_576


@admin.register(AreaName)
class AreaNameAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "country"]
    list_filter = ["country", "language"]
    search_fields = ["name", "country__name", "country__iso_code"]
    list_select_related = ["country"]
    ordering = ["country__name", "name"]


class DefinitionField(forms.JSONField):
    """The definition as JSON text: too deep a nesting is a form error, not a RecursionError
    (Django's JSONField catches only malformed JSON)."""

    def to_python(self, value: Any) -> Any:
        try:
            definition = super().to_python(value)
        except RecursionError:
            raise forms.ValidationError(too_deep_message(), code="too_deep") from None
        problem = nesting_problem(definition)
        if problem:
            raise forms.ValidationError(problem, code="too_deep")
        return definition

    def bound_data(self, data: Any, initial: Any) -> Any:
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return InvalidJSONInput(data)


class ImportProfileForm(forms.ModelForm):
    profile_file = forms.FileField(
        label=_("Load from a profile file"),
        required=False,
        help_text=_(
            "A .json profile file (wbportal-import-profile format): replaces the definition "
            "below. The name field is taken from the file when left blank."
        ),
    )

    class Meta:
        model = ImportProfile
        fields = ["name", "profile_file", "definition"]
        field_classes = {"definition": DefinitionField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["definition"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean() returns cleaned_data
        upload = cleaned.get("profile_file")
        if upload is not None:
            data = upload.read(MAX_PROFILE_BYTES + 1)
            if len(data) > MAX_PROFILE_BYTES:
                raise forms.ValidationError({"profile_file": gettext("The file is over 1 MB.")})
            try:
                definition = load_definition(data.decode("utf-8-sig"))
                parse_profile(definition)
            except (UnicodeDecodeError, ValueError) as error:
                problems = error.problems if isinstance(error, ProfileError) else [str(error)]
                raise forms.ValidationError({"profile_file": problems}) from None
            cleaned["definition"] = definition
            if not cleaned.get("name"):
                cleaned["name"] = definition.get("name", "")
        if not cleaned.get("name"):
            definition = cleaned.get("definition")
            if isinstance(definition, dict) and definition.get("name"):
                cleaned["name"] = definition["name"]
            else:
                self.add_error("name", gettext("Give the profile a name."))
        if not cleaned.get("definition"):
            self.add_error("definition", gettext("Write the profile, or load it from a file."))
        self.instance.name = cleaned.get("name", "")
        self.instance.definition = cleaned.get("definition")
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("A file from the source"),
        help_text=_("CSV or XLSX, as the source publishes it."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext("The file is over the upload limit of %(limit).1f MB.")
                % {"limit": settings.IMPORT_MAX_UPLOAD_BYTES / 1_048_576}
            )
        return upload


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    form = ImportProfileForm
    list_display = ["name", "description", "updated_at", "updated_by"]
    search_fields = ["name"]
    list_select_related = ["updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
    actions = ["download_profile"]

    @admin.display(description=_("description"))
    def description(self, profile: ImportProfile) -> str:
        return (profile.definition or {}).get("description", "")

    def save_model(self, request: HttpRequest, obj: ImportProfile, form: Any, change: bool) -> None:
        obj.updated_by = staff_user(request)
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("build/", view(self.build_upload_view), name="statistics_importprofile_build"),
            path(
                "build/<uuid:upload>/",
                view(self.build_view),
                name="statistics_importprofile_build_file",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "build_url": self.build_url(object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "build_url": self.build_url()}
        return super().changelist_view(request, extra_context)

    @staticmethod
    def build_url(profile: object = None) -> str:
        url = reverse("admin:statistics_importprofile_build")
        return f"{url}?profile={profile}" if profile else url

    def can_import(self, request: HttpRequest) -> bool:
        return request.user.has_perms(
            ["statistics.add_observation", "statistics.change_observation"]
        )

    def build_upload_view(self, request: HttpRequest) -> HttpResponse:
        """Step 1: upload a file from the source (optionally to use or edit a saved profile)."""
        if not (self.has_add_permission(request) or self.can_import(request)):
            raise PermissionDenied
        saved = None
        if request.GET.get("profile", "").isdigit():
            saved = ImportProfile.objects.filter(pk=request.GET["profile"]).first()
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            pending = PendingUpload.objects.store(
                staff_user(request), upload.name, b"".join(upload.chunks())
            )
            url = reverse("admin:statistics_importprofile_build_file", args=[pending.pk])
            return HttpResponseRedirect(f"{url}?profile={saved.pk}" if saved else url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import profile: start from a file"),
            "form": form,
            "saved": saved,
        }
        return TemplateResponse(
            request, "admin/statistics/importprofile/build_upload.html", context
        )

    def build_view(self, request: HttpRequest, upload: uuid.UUID) -> HttpResponse:
        """Step 2: the first rows as read, the form, the preview; save or import."""
        if not (self.has_add_permission(request) or self.can_import(request)):
            raise PermissionDenied
        pending = PendingUpload.objects.filter(pk=upload, user=staff_user(request)).first()
        if pending is None or pending.is_expired:
            messages.error(
                request, gettext("That upload has expired or is not yours; upload the file again.")
            )
            return HttpResponseRedirect(reverse("admin:statistics_importprofile_build"))
        saved = None
        if request.GET.get("profile", "").isdigit():
            saved = ImportProfile.objects.filter(pk=request.GET["profile"]).first()
        data = bytes(pending.data)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import profile for %(file)s") % {"file": pending.file_name},
            "pending": pending,
            "saved": saved,
        }
        try:
            encoding = (saved.definition.get("encoding") if saved else None) or "auto"
            encoding = {
                "auto": None,
                "utf-8": "utf-8-sig",
                "windows-1250": "cp1250",
                "windows-1251": "cp1251",
            }.get(encoding)
            kind, _delimiter, rows = rows_as_read(data, encoding=encoding)
        except FileError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:statistics_importprofile_build"))
        posted = request.POST.get("header_row", "") if request.method == "POST" else None
        header_row = int(posted) if posted and posted.isdigit() else None
        if header_row is None:
            header_row = (saved.definition.get("header_row", 1) or 0) if saved else 1
        header = next((cells for number, cells in rows if number == header_row), [])
        width = max((len(cells) for _n, cells in rows), default=0)
        columns = [
            (
                n,
                f"{n} ({column_letters(n)}): {header[n - 1]}"
                if n <= len(header) and header[n - 1].strip()
                else f"{n} ({column_letters(n)})",
            )
            for n in range(1, width + 1)
        ]
        initial = initial_from(saved.definition, header) if saved else {"header_row": 1}
        if request.method == "POST":
            parts = request.POST.get("split_into", "").split()
        else:
            parts = initial.get("split_into", "").split()
        form = BuilderForm(request.POST or None, columns=columns, parts=parts, initial=initial)
        context.update(
            {
                "kind": kind,
                "rows": [(n, cells + [""] * (width - len(cells))) for n, cells in rows],
                "column_heads": [f"{n} ({column_letters(n)})" for n in range(1, width + 1)],
                "form": form,
            }
        )
        if request.method != "POST" and saved is not None:
            # The next file from a saved profile's source: its preview at once, then one click.
            try:
                profile = saved.profile()
            except ProfileError as error:
                context["problems"] = error.problems
            else:
                context["report"] = import_with_profile(
                    data, profile, saved.name, file_name=pending.file_name,
                    user=staff_user(request), via=ImportRecord.Via.ADMIN, dry_run=True,
                    preview_limit=PREVIEW_ROWS,
                )  # fmt: skip
                context["can_import"] = self.can_import(request)
            return TemplateResponse(request, "admin/statistics/importprofile/build.html", context)
        if request.method != "POST" or not form.is_valid():
            return TemplateResponse(request, "admin/statistics/importprofile/build.html", context)
        definition = form.definition(header)
        if saved is not None:
            merged = {**saved.definition, **definition}
            for key in BUILDER_KEYS:
                if key not in definition:
                    merged.pop(key, None)
            definition = merged
        context["definition"] = json.dumps(definition, ensure_ascii=False, indent=2)
        try:
            profile = parse_profile(definition)
        except ProfileError as error:
            context["problems"] = error.problems
            return TemplateResponse(request, "admin/statistics/importprofile/build.html", context)
        action = request.POST.get("action", "preview")
        if action == "save":
            return self.save_built(request, saved, definition, context)
        if action == "import":
            if not self.can_import(request):
                raise PermissionDenied
            report = import_with_profile(
                data,
                profile,
                saved.name if saved and saved.name == profile.name else profile.name,
                file_name=pending.file_name,
                user=staff_user(request),
                via=ImportRecord.Via.ADMIN,
                preview_limit=PREVIEW_ROWS,
            )
            if not report.has_errors:
                pending.delete()
                counts = report.counts
                messages.success(
                    request,
                    gettext(
                        "Import of %(file)s with the profile “%(profile)s” finished: %(new)d "
                        "new, %(updated)d updated, %(unchanged)d unchanged observations."
                    )
                    % {"file": pending.file_name, "profile": profile.name, **counts},
                )
                return HttpResponseRedirect(reverse("admin:statistics_observation_changelist"))
        else:
            report = import_with_profile(
                data, profile, file_name=pending.file_name, user=staff_user(request),
                via=ImportRecord.Via.ADMIN, dry_run=True, preview_limit=PREVIEW_ROWS,
            )  # fmt: skip
        context.update({"report": report, "can_import": self.can_import(request)})
        return TemplateResponse(request, "admin/statistics/importprofile/build.html", context)

    def save_built(
        self,
        request: HttpRequest,
        saved: ImportProfile | None,
        definition: dict[str, Any],
        context: dict[str, Any],
    ) -> HttpResponse:
        if not (self.has_change_permission(request) if saved else self.has_add_permission(request)):
            raise PermissionDenied
        profile = saved or ImportProfile()
        profile.name = definition["name"]
        profile.definition = definition
        profile.updated_by = staff_user(request)
        try:
            profile.full_clean()
        except Exception as error:  # ValidationError: the name is taken, or the definition
            context["problems"] = [
                message
                for messages_ in getattr(error, "message_dict", {}).values()
                for message in messages_
            ] or [str(error)]
            return TemplateResponse(request, "admin/statistics/importprofile/build.html", context)
        profile.save()
        messages.success(
            request, gettext("The profile “%(name)s” was saved.") % {"name": profile.name}
        )
        return HttpResponseRedirect(
            reverse("admin:statistics_importprofile_change", args=[profile.pk])
        )

    @admin.action(description=_("Download the selected profile as a file"))
    def download_profile(
        self, request: HttpRequest, queryset: QuerySet[ImportProfile]
    ) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(
                request, gettext("Select exactly one profile to download."), messages.WARNING
            )
            return None
        profile = queryset.get()
        response = HttpResponse(
            export_profile(profile), content_type="application/json; charset=utf-8"
        )
        name = slugify(profile.name) or "profile"
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
