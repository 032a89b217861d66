"""Admin for import profiles and the shared area names (registered from statistics.admin)."""

import json

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import AreaName, ImportProfile
from .format import ProfileError, parse_profile
from .load import export_profile

MAX_PROFILE_BYTES = 1_048_576


@admin.register(AreaName)
class AreaNameAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "country"]
    list_filter = ["country", "language"]
    search_fields = ["name", "country__name", "country__iso_code"]
    list_select_related = ["country"]
    ordering = ["country__name", "name"]


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["definition"].required = False

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("profile_file")
        if upload is not None:
            data = upload.read(MAX_PROFILE_BYTES + 1)
            if len(data) > MAX_PROFILE_BYTES:
                raise forms.ValidationError({"profile_file": gettext("The file is over 1 MB.")})
            try:
                definition = json.loads(data.decode("utf-8-sig"))
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


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    form = ImportProfileForm
    list_display = ["name", "description", "updated_at", "updated_by"]
    search_fields = ["name"]
    list_select_related = ["updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
    actions = ["download_profile"]

    @admin.display(description=_("description"))
    def description(self, profile):
        return (profile.definition or {}).get("description", "")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Download the selected profile as a file"))
    def download_profile(self, request, queryset):
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
