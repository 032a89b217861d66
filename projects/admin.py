from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from wbportal.markdown_admin import MarkdownAdminMixin
from wbportal.publishing_admin import PublishableAdmin

from .models import Facility, Organisation, Project, ThematicArea


@admin.register(ThematicArea)
class ThematicAreaAdmin(MarkdownAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Facility)
class FacilityAdmin(MarkdownAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "acronym", "website"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "organisation_type"]
    list_filter = ["organisation_type"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Project)
class ProjectAdmin(MarkdownAdminMixin, PublishableAdmin):
    list_display = [
        "title",
        "acronym",
        "status",
        "facility",
        "start",
        "end",
        "publication_status_display",
    ]
    list_filter = ["status", "facility", "regions", "countries", "thematic_areas"]
    search_fields = ["title", "acronym", "summary", "iati_identifier"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "regions",
        "countries",
        "thematic_areas",
        "facility",
        "donors",
        "implementing_partners",
        "contact",
    ]
    list_select_related = ["facility"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "planned_start"
    fieldsets = [
        (
            None,
            {"fields": ["title", "acronym", "slug", "iati_identifier", "status"]},
        ),
        (
            _("Publication"),
            {
                "fields": [
                    "publication_status_display",
                    ("is_published", "publish_at"),
                    "review_requested",
                    "review_note",
                ]
            },
        ),
        (_("Text"), {"fields": ["summary", "description", "website"]}),
        (
            _("Dates"),
            {"fields": [("planned_start", "planned_end"), ("actual_start", "actual_end")]},
        ),
        (_("Where and what"), {"fields": ["regions", "countries", "thematic_areas", "facility"]}),
        (
            _("Funding and partners"),
            {"fields": ["donors", "implementing_partners", ("budget", "currency")]},
        ),
        (_("Contact"), {"fields": ["contact"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("start"), ordering="planned_start")
    def start(self, project):
        return project.start_date

    @admin.display(description=_("end"), ordering="planned_end")
    def end(self, project):
        return project.end_date
