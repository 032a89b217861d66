from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _

from formatting.display import format_date
from iati import building as iati
from iati import codelists
from iati.admin_views import missing_view
from iati.fields import parse_sectors
from iati.widgets import CodeListInput
from pages.models import SiteSettings
from publishing.admin import PublishableAdmin, publication_fieldset
from richtext.admin import MarkdownAdminMixin
from staff.shared_content import SharedContentAdmin
from wbportal.history_admin import ReadableHistoryAdmin

from .models import Facility, Organisation, Project, ThematicArea


@admin.register(ThematicArea)
class ThematicAreaAdmin(MarkdownAdminMixin, SharedContentAdmin, ReadableHistoryAdmin):
    list_display = ["name", "order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Facility)
class FacilityAdmin(MarkdownAdminMixin, SharedContentAdmin, ReadableHistoryAdmin):
    list_display = ["name", "acronym", "website"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(SharedContentAdmin, ReadableHistoryAdmin):
    list_display = ["name", "acronym", "organisation_type", "iati_identifier"]
    list_filter = ["organisation_type"]
    search_fields = ["name", "acronym", "iati_identifier"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Project)
class ProjectAdmin(MarkdownAdminMixin, PublishableAdmin):
    change_list_template = "admin/projects/project/change_list.html"
    # Few, narrow columns, so that the publication column fits at 1280 px beside the filters.
    list_display = ["title", "project_status", "dates", "publication_status_display"]
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
        "indicators",
        "contact",
    ]
    list_select_related = ["facility"]
    raw_id_fields = ["image"]
    readonly_fields = ["created_at", "updated_at", "iati_sector_names", "iati_missing"]
    date_hierarchy = "planned_start"
    fieldsets = [
        (
            None,
            {"fields": ["title", "acronym", "slug", "iati_identifier", "status"]},
        ),
        publication_fieldset(),
        # Long forms open section by section (Django's "collapse": a <details> element, shown
        # open when it holds an error).
        (_("Summary"), {"fields": ["summary", "image", "website"]}),
        (_("Description"), {"fields": ["description"], "classes": ["collapse"]}),
        (
            _("Dates"),
            {
                "fields": [("planned_start", "planned_end"), ("actual_start", "actual_end")],
                "classes": ["collapse"],
            },
        ),
        (
            _("Where and what"),
            {
                "fields": ["regions", "countries", "thematic_areas", "facility"],
                "classes": ["collapse"],
            },
        ),
        (
            _("Figures it addresses"),
            {
                "fields": ["indicators"],
                "description": _(
                    "The project page shows these indicators' latest public values, and each "
                    "indicator's page links back to the project."
                ),
                "classes": ["collapse"],
            },
        ),
        (
            _("Funding and partners"),
            {
                "fields": ["donors", "implementing_partners", ("budget", "currency")],
                "classes": ["collapse"],
            },
        ),
        (
            _("IATI"),
            {
                "fields": ["iati_sectors", "iati_sector_names", "iati_missing"],
                "description": _(
                    "What the IATI file needs beside the fields above: the IATI identifier "
                    "(top), a start date, a donor or implementing partner, and the DAC "
                    "sectors. The project list's “IATI: what is missing” lists the gaps of "
                    "every project."
                ),
                "classes": ["collapse"],
            },
        ),
        (_("Contact"), {"fields": ["contact"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_urls(self):
        iati_page = path(
            "iati/",
            self.admin_site.admin_view(self.iati_missing_view),
            name="projects_project_iati",
        )
        return [iati_page, *super().get_urls()]

    def iati_missing_view(self, request):
        """IATI: what each project still needs (iati/admin_views.py)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return missing_view(request, self)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "iati_sectors":
            kwargs["widget"] = CodeListInput("Sector", attrs={"size": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("DAC sectors, by name"))
    def iati_sector_names(self, project):
        try:
            sectors = parse_sectors(project.iati_sectors)
        except ValidationError as error:
            return " ".join(error.messages)
        # None when there are none: the admin then shows its "-" rather than an empty line.
        return (
            "; ".join(
                codelists.label("Sector", sector.code)
                + (f" ({sector.percentage} %)" if sector.percentage is not None else "")
                for sector in sectors
            )
            or None
        )

    @admin.display(description=_("missing for IATI"))
    def iati_missing(self, project):
        """What keeps the project (as stored) out of the IATI file."""
        if project.pk is None:
            return _("Saved projects are checked.")
        publisher = iati.Publisher.from_site(SiteSettings.objects.current())
        _now, today = iati.now_and_today()
        gaps = [*publisher.missing(), *iati.missing(project, publisher, today)]
        return "; ".join(gaps) or _("Nothing: the project is in the IATI file while it is public.")

    @admin.display(description=_("project status"), ordering="status")
    def project_status(self, project):
        return project.get_status_display()

    @admin.display(description=_("dates"), ordering="planned_start")
    def dates(self, project):
        start, end = format_date(project.start_date), format_date(project.end_date)
        if start and end:
            return f"{start} \u2013 {end}"
        if start:
            return _("from %(date)s") % {"date": start}
        if end:
            return _("until %(date)s") % {"date": end}
        return ""
