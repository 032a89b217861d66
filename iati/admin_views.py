"""The admin page "IATI: what is missing": every project, whether it is in the IATI file,
and if not, why. Read-only; served by the project admin (projects/admin.py), whose view
permission it requires, at /admin/projects/project/iati/."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pages.models import SiteSettings
from projects.models import Project

from .building import Publisher, missing, now_and_today


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


def missing_view(request, model_admin):
    publisher = Publisher.from_site(SiteSettings.objects.current())
    _now, today = now_and_today()
    projects = Project.objects.for_iati()
    query = request.GET.get("q", "").strip()[:200]
    if query:
        projects, _distinct = model_admin.get_search_results(request, projects, query)
    rows = [
        (project, in_file, reasons, reverse("admin:projects_project_change", args=[project.pk]))
        for project, in_file, reasons in report(projects, publisher, today)
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": gettext_lazy("IATI: what is missing"),
        "publisher_missing": publisher.missing(),
        "settings_url": reverse("admin:pages_sitesettings_changelist"),
        "rows": rows,
        "in_file": sum(1 for row in rows if row[1]),
        "query": query,
        "file_url": reverse("iati:activities"),
    }
    return TemplateResponse(request, "admin/iati/missing.html", context)
