"""The admin page "IATI activities (what is missing)": every project, whether it is in the
IATI file, and if not, why. Read-only: projects are edited in their own admin."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pages.models import SiteSettings

from .building import Publisher, missing, now_and_today
from .models import IatiActivity


def report(projects, publisher, today):
    """(project, in the file?, reasons) for every project, the left-out ones first."""
    rows = []
    for project in projects:
        reasons = []
        if not project.is_public_now:
            reasons.append(_("Not published: only public projects are in the file"))
        reasons += missing(project, publisher, today)
        rows.append((project, not reasons and not publisher.missing(), reasons))
    rows.sort(key=lambda row: (row[1], row[0].title.lower()))
    return rows


@admin.register(IatiActivity)
class IatiActivityAdmin(admin.ModelAdmin):
    """The list only; a row links to the project's own change form."""

    search_fields = ["title", "acronym", "iati_identifier"]
    # No form is ever shown here (nothing can be added or changed); the project's own admin
    # has the real one.
    fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)
        publisher = Publisher.from_site(SiteSettings.objects.current())
        _now, today = now_and_today()
        projects = IatiActivity.objects.for_iati()
        query = request.GET.get("q", "").strip()[:200]
        if query:
            projects, _distinct = self.get_search_results(request, projects, query)
        rows = [
            (project, in_file, reasons, reverse("admin:projects_project_change", args=[project.pk]))
            for project, in_file, reasons in report(projects, publisher, today)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext_lazy("IATI activities: what is missing"),
            "publisher_missing": publisher.missing(),
            "settings_url": reverse("admin:pages_sitesettings_changelist"),
            "rows": rows,
            "in_file": sum(1 for row in rows if row[1]),
            "query": query,
            "file_url": reverse("iati:activities"),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/iati/missing.html", context)
