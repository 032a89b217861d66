from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from publishing.admin import PublishableAdmin, publication_fieldset
from richtext.admin import MarkdownAdminMixin
from wbportal.history_admin import ReadableHistoryAdmin

from .models import SITE_SETTINGS_PK, Page, SiteSettings


@admin.register(Page)
class PageAdmin(MarkdownAdminMixin, PublishableAdmin):
    list_display = ["title", "slug", "publication_status_display", "updated_at"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary"]}),
        publication_fieldset(),
        (_("Text"), {"fields": ["body"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(SiteSettings)
class SiteSettingsAdmin(ReadableHistoryAdmin):
    """One row: the list goes straight to its form; it can be neither added nor deleted."""

    readonly_fields = ["updated_at"]
    raw_id_fields = ["logo_image", "default_share_image"]
    autocomplete_fields = [
        "about_page",
        "imprint_page",
        "privacy_page",
        "licence_page",
        "methodology_page",
    ]
    fieldsets = [
        (_("Publisher"), {"fields": ["organisation_name", "short_name", "logo", "logo_image"]}),
        (_("Contact"), {"fields": ["address", "contact_email", "social_links"]}),
        (_("Data licence"), {"fields": ["data_licence_name", "data_licence_url"]}),
        (
            _("IATI publishing"),
            {
                "fields": ["iati_organisation_identifier", "iati_organisation_type"],
                "description": _(
                    "The reporting organisation of /iati/activities.xml. What each project "
                    "still needs: Projects, “IATI: what is missing”."
                ),
            },
        ),
        (_("Sharing"), {"fields": ["share_image", "default_share_image"]}),
        (
            _("Footer pages"),
            {
                "fields": [
                    "about_page",
                    "imprint_page",
                    "privacy_page",
                    "licence_page",
                    "methodology_page",
                ]
            },
        ),
        (_("Record"), {"fields": ["updated_at"], "classes": ["collapse"]}),
    ]

    def has_add_permission(self, request):
        exists = SiteSettings.objects.filter(pk=SITE_SETTINGS_PK).exists()
        return not exists and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if SiteSettings.objects.filter(pk=SITE_SETTINGS_PK).exists():
            return HttpResponseRedirect(
                reverse("admin:pages_sitesettings_change", args=[SITE_SETTINGS_PK])
            )
        return super().changelist_view(request, extra_context)
