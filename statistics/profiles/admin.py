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

from formatting.display import format_number
from staff.users import staff_user

from ..imports.readers import FileError
from ..imports.report import ImportReport, skipped_lines
from ..models import AreaName, ImportProfile, ImportRecord, Indicator, PendingUpload, Source
from .builder import BuilderForm, initial_from, unwritten, whole_number
from .format import (
    ProfileError,
    load_definition,
    nesting_problem,
    parse_profile,
    too_deep_message,
)
from .header import Header, detect_header
from .load import export_profile, import_with_profile
from .reshape import column_letters, rows_as_read

# Keys of a definition that the builder's form sets; the others of a saved profile are kept.
BUILDER_KEYS = (
    "markers",
    "areas",
    "defaults",
    "value_columns",
    "header_rows",
    "split_column",
    "measures",
    "keep",
    "skip",
    "unknown_areas",
)
PREVIEW_ROWS = 50
# The rows the builder reads to find the header (a preamble may be long) and shows.
HEADER_SEARCH_ROWS = 60
ROWS_SHOWN = 20

MAX_PROFILE_BYTES = 1_048_576


def skipped_summary(report: object) -> list[str]:
    """The rows and area names the profile skipped (`ImportReport.skipped`), one line per
    reason."""
    return skipped_lines(getattr(report, "skipped", None) or {})


def header_note(detected: Header | None, rows: list[tuple[int, list[str]]]) -> str:
    """What the builder says of the header row it pre-fills."""
    if not rows:
        return ""
    if detected is None:
        return gettext(
            "No row looks like a header (the first rows hold figures): “Header row” is 0, so "
            "columns are chosen by number. Write the header's row number if it has one."
        )
    labels = detected.labels
    shown = ", ".join(labels[:8]) + (", …" if len(labels) > 8 else "")
    if detected.rows == 2:
        return gettext(
            "Rows %(row)d and %(next)d look like the header (periods above, categories "
            "below): %(cells)s"
        ) % {"row": detected.row, "next": detected.row + 1, "cells": shown}
    return gettext("Row %(row)d looks like the header: %(cells)s") % {
        "row": detected.row,
        "cells": shown,
    }


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


class HttpsURLField(forms.URLField):
    """A URL written without its scheme is taken as https://."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(assume_scheme="https", **kwargs)


class NewIndicatorForm(forms.ModelForm):
    """An indicator the preview names but the portal lacks: what its page needs at least."""

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "decimals"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if Indicator.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(
                gettext("An indicator with the code “%(code)s” already exists.") % {"code": code}
            )
        return code


class NewSourceForm(forms.ModelForm):
    """A source the preview names but the portal lacks: who publishes it, under what licence."""

    class Meta:
        model = Source
        fields = ["code", "name", "publisher", "licence", "licence_url", "url"]
        field_classes = {"licence_url": HttpsURLField, "url": HttpsURLField}

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if Source.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(
                gettext("A source with the code “%(code)s” already exists.") % {"code": code}
            )
        return code


NEW_FORMS: dict[str, type[forms.ModelForm]] = {
    "indicator": NewIndicatorForm,
    "source": NewSourceForm,
}
NEW_PERMISSIONS = {"indicator": "statistics.add_indicator", "source": "statistics.add_source"}


def new_prefix(kind: str, code: str) -> str:
    return f"new-{kind}-{code}"


def missing_codes(
    report: ImportReport, definition: dict[str, Any]
) -> list[tuple[str, str, list[int]]]:
    """[(kind, code, first rows)]: the indicator and source codes the file or the profile
    names that the portal does not have, each once (not once per row)."""
    known = {
        "indicator": {code.casefold() for code in Indicator.objects.values_list("code", flat=True)},
        "source": {
            text.strip().casefold()
            for pair in Source.objects.values_list("code", "name")
            for text in pair
        },
    }
    found: dict[tuple[str, str], list[int]] = {}
    defaults = definition.get("defaults") or {}
    named = [("indicator", defaults.get("indicator")), ("source", defaults.get("source"))]
    for measure in definition.get("measures") or []:
        if isinstance(measure, dict):
            named.append(("indicator", measure.get("indicator")))
    for kind, code in named:
        if isinstance(code, str) and code.strip() and code.strip().casefold() not in known[kind]:
            found.setdefault((kind, code.strip()), [])
    for row in report.error_rows:
        for kind in ("indicator", "source"):
            code = (row.values.get(kind) or "").strip()
            if code and code.casefold() not in known[kind]:
                rows = found.setdefault((kind, code), [])
                # A row of several measures gives several observations: named once.
                if len(rows) < 3 and row.number not in rows:
                    rows.append(row.number)
    return [(kind, code, rows) for (kind, code), rows in found.items()]


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
        kept = self.kept_upload(request, request.GET.get("file", ""))
        if kept is not None and whole_number(object_id) is not None:
            url = reverse("admin:statistics_importprofile_build_file", args=[kept.pk])
            extra_context["kept_file"] = kept
            extra_context["import_kept_url"] = f"{url}?profile={object_id}"
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def kept_upload(request: HttpRequest, upload: str) -> PendingUpload | None:
        """The user's upload kept when the profile was saved, if it is still there."""
        try:
            pk = uuid.UUID(upload)
        except ValueError:
            return None
        pending = (
            PendingUpload.objects.defer("data").filter(pk=pk, user=staff_user(request)).first()
        )
        return None if pending is None or pending.is_expired else pending

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
        if (pk := whole_number(request.GET.get("profile", ""))) is not None:
            saved = ImportProfile.objects.filter(pk=pk).first()
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
        action = request.POST.get("action", "") if request.method == "POST" else ""
        kind = action.removeprefix("create-").partition(":")[0]
        if action.startswith("create-") and not request.user.has_perm(
            NEW_PERMISSIONS.get(kind, "-")
        ):
            raise PermissionDenied
        pending = PendingUpload.objects.filter(pk=upload, user=staff_user(request)).first()
        if pending is None or pending.is_expired:
            messages.error(
                request, gettext("That upload has expired or is not yours; upload the file again.")
            )
            return HttpResponseRedirect(reverse("admin:statistics_importprofile_build"))
        saved = None
        if (pk := whole_number(request.GET.get("profile", ""))) is not None:
            saved = ImportProfile.objects.filter(pk=pk).first()
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
            kind, _delimiter, rows = rows_as_read(data, encoding=encoding, count=HEADER_SEARCH_ROWS)
        except FileError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:statistics_importprofile_build"))
        detected = detect_header(rows)
        context["header_note"] = header_note(detected, rows)
        posted = request.POST.get("header_row", "") if request.method == "POST" else None
        header_row = whole_number(posted) if posted else None
        if header_row is None:
            if saved:
                header_row = saved.definition.get("header_row", 1) or 0
            else:
                header_row = detected.row if detected else 0
        header = next((cells for number, cells in rows if number == header_row), [])
        # The first rows, and the header with a few rows below it when it is further down.
        shown = [
            (number, cells)
            for index, (number, cells) in enumerate(rows)
            if index < ROWS_SHOWN or number <= header_row + 5
        ]
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
        if saved:
            initial = initial_from(saved.definition, header)
        else:
            initial = {
                "header_row": detected.row if detected else 0,
                "header_rows": detected.rows if detected else 1,
            }
        if request.method == "POST":
            parts = request.POST.get("split_into", "").split()
        else:
            parts = initial.get("split_into", "").split()
        form = BuilderForm(request.POST or None, columns=columns, parts=parts, initial=initial)
        context.update(
            {
                "kind": kind,
                "rows": [(n, cells + [""] * (width - len(cells))) for n, cells in shown],
                "column_heads": [f"{n} ({column_letters(n)})" for n in range(1, width + 1)],
                "header_row": header_row,
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
                self.offer_missing(request, context, saved.definition)
            return TemplateResponse(request, "admin/statistics/importprofile/build.html", context)
        if request.method != "POST" or not form.is_valid():
            return TemplateResponse(request, "admin/statistics/importprofile/build.html", context)
        action = request.POST.get("action", "preview")
        if action.startswith("create-"):
            self.create_missing(request, action, context)
            action = "preview"
        definition = form.definition(header)
        if saved is not None:
            merged = {**saved.definition, **definition}
            for key in BUILDER_KEYS:
                if key not in definition:
                    merged.pop(key, None)
            # What the form's lines cannot write (a rule with "whole": true) stays as it was.
            for key, items in unwritten(saved.definition).items():
                merged[key] = [*merged.get(key, []), *items]
            definition = merged
        context["definition"] = json.dumps(definition, ensure_ascii=False, indent=2)
        try:
            profile = parse_profile(definition)
        except ProfileError as error:
            context["problems"] = error.problems
            return TemplateResponse(request, "admin/statistics/importprofile/build.html", context)
        if action == "save":
            return self.save_built(request, saved, definition, context)
        if action == "import":
            if not self.can_import(request):
                raise PermissionDenied
            # Claimed before the import, as the observation admin's confirm does: of two
            # clicks (or two tabs) on Import, only the one that takes the file imports it.
            try:
                pending = PendingUpload.objects.claim(pending.pk, staff_user(request))
            except (PendingUpload.DoesNotExist, PendingUpload.Expired):
                messages.error(
                    request,
                    gettext(
                        "%(file)s is no longer waiting to be imported: it was imported (by "
                        "another click or tab), or it expired. Nothing more was written."
                    )
                    % {"file": pending.file_name},
                )
                return HttpResponseRedirect(reverse("admin:statistics_observation_changelist"))
            report = import_with_profile(
                data,
                profile,
                saved.name if saved and saved.name == profile.name else profile.name,
                file_name=pending.file_name,
                user=staff_user(request),
                via=ImportRecord.Via.ADMIN,
                preview_limit=PREVIEW_ROWS,
            )
            if report.has_errors:
                # Nothing was written: the file stays, to fix the profile and try again.
                PendingUpload.objects.put_back(pending)
            else:
                counts = report.counts
                messages.success(
                    request,
                    gettext(
                        "Import of %(file)s with the profile “%(profile)s” finished: %(new)s "
                        "new, %(updated)s updated, %(unchanged)s unchanged observations."
                    )
                    % {
                        "file": pending.file_name,
                        "profile": profile.name,
                        **{key: format_number(count) for key, count in counts.items()},
                    },
                )
                return HttpResponseRedirect(reverse("admin:statistics_observation_changelist"))
        else:
            report = import_with_profile(
                data, profile, file_name=pending.file_name, user=staff_user(request),
                via=ImportRecord.Via.ADMIN, dry_run=True, preview_limit=PREVIEW_ROWS,
            )  # fmt: skip
        context.update({"report": report, "can_import": self.can_import(request)})
        self.offer_missing(request, context, definition)
        return TemplateResponse(request, "admin/statistics/importprofile/build.html", context)

    def create_missing(self, request: HttpRequest, action: str, context: dict[str, Any]) -> None:
        """Create the indicator or source the button names (“create-indicator:CODE”) from its
        small form; its errors go to the page. 403 without the permission to add one."""
        kind, _sep, code = action.removeprefix("create-").partition(":")
        if kind not in NEW_FORMS:
            raise PermissionDenied
        if not request.user.has_perm(NEW_PERMISSIONS[kind]):
            raise PermissionDenied
        form = NEW_FORMS[kind](request.POST, prefix=new_prefix(kind, code))
        if not form.is_valid():
            context["new_bound"] = (kind, code, form)
            return
        created = form.save()
        self.log_addition(request, created, [{"added": {}}])
        if kind == "indicator":
            text = gettext("The indicator “%(name)s” (%(code)s) was added; the preview uses it.")
        else:
            text = gettext("The source “%(name)s” (%(code)s) was added; the preview uses it.")
        messages.success(request, text % {"name": created, "code": created.code})

    def offer_missing(
        self, request: HttpRequest, context: dict[str, Any], definition: dict[str, Any]
    ) -> None:
        """One small form per indicator or source code the preview does not know."""
        report = context.get("report")
        if report is None:
            return
        context["skipped"] = skipped_summary(report)
        bound_kind, bound_code, bound = context.pop("new_bound", (None, None, None))
        offers = []
        units = {
            measure.get("indicator"): measure["unit"]
            for measure in definition.get("measures") or []
            if isinstance(measure, dict) and isinstance(measure.get("unit"), str)
        }
        missing = missing_codes(report, definition)
        if bound is not None and (bound_kind, bound_code) not in {(k, c) for k, c, _r in missing}:
            missing.insert(0, (bound_kind, bound_code, []))  # a code the preview did not name
        for kind, code, rows in missing:
            prefix = new_prefix(kind, code)
            if (kind, code) == (bound_kind, bound_code):
                form = bound
            else:
                posted = {
                    name.removeprefix(f"{prefix}-"): value
                    for name, value in request.POST.items()
                    if name.startswith(f"{prefix}-")
                }
                initial = {"code": code}
                if kind == "indicator" and code in units:
                    initial["unit"] = units[code]  # the unit its measure requires
                form = NEW_FORMS[kind](prefix=prefix, initial={**initial, **posted})
            offers.append(
                {
                    "kind": kind,
                    "code": code,
                    "rows": rows,
                    "form": form,
                    "action": f"create-{kind}:{code}",
                    "allowed": request.user.has_perm(NEW_PERMISSIONS[kind]),
                }
            )
        context["missing"] = offers

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
        # The uploaded file is kept: the profile's page offers to import it with the profile.
        url = reverse("admin:statistics_importprofile_change", args=[profile.pk])
        pending = context["pending"]
        return HttpResponseRedirect(f"{url}?file={pending.pk}")

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
