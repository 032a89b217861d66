from statistics.models import Observation

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from documents.models import Document
from listing.views import FilteredListView
from publishing.models import last_change
from publishing.preview import DraftPreviewMixin
from regions.models import Contact, Country, Office, Region
from regions.views import AreaFigures

from .filters import ProjectFilter
from .models import Project


class ProjectListView(FilteredListView):
    """Published projects by title, filtered by region, country, theme, status, facility,
    donor and words."""

    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    context_object_name = "projects"
    title = gettext_lazy("Projects")
    paged_title = gettext_lazy("Projects, page %(number)s")
    description = gettext_lazy(
        "All our published projects in the Western Balkans and Türkiye, by region, "
        "country, theme, status, facility and donor."
    )

    def get_queryset(self):
        return Project.objects.published().for_listing().order_by("title", "pk")


class ProjectDetailView(DraftPreviewMixin, DetailView):
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("facility", "image")
            .prefetch_related(
                Prefetch("countries", queryset=Country.objects.visible_to(self.request.user)),
                "thematic_areas",
                "donors",
                "implementing_partners",
                Prefetch("regions", queryset=Region.objects.published()),
                "indicators",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        contact = (
            Contact.objects.public()
            .select_related("office__country")
            .annotate(
                office_is_public=Exists(Office.objects.public().filter(pk=OuterRef("office")))
            )
            .filter(pk=project.contact_id)
            .first()
            if project.contact_id
            else None
        )
        addressed = addressed_figures(project)
        documents = list(Document.objects.published().of_project(project).newest_first())
        context.update(
            addressed_figures=addressed,
            documents=documents,
            last_updated=last_change(
                project.updated_at,
                *[o.updated_at for _area, _figures, rows in addressed for o in rows],
                *[document.updated_at for document in documents],
            ),
            breadcrumbs=[
                (_("Home"), reverse("home")),
                (_("Projects"), reverse("projects:project-list")),
                (project.acronym or project.title, None),
            ],
            page_title=str(project),
            page_description=project.summary,
            og_type="article",
            # The project's contact only if that contact is public now: templates use this,
            # never project.contact directly.
            contact=contact,
            # The contact's office only if it is public too: a draft office is an Editor's to
            # change directly, never shown.
            contact_office=contact.office if contact and contact.office_is_public else None,
        )
        return context


def addressed_figures(project):
    """(area, AreaFigures, observations) of the indicators `project` addresses: their
    latest public values in each published region of the project (in each of its public
    countries when it names no region). Two queries an area, whatever the number of values."""
    indicators = project.indicators.all()
    if not indicators:
        return []
    # A country that is not public has no public values: public() leaves it out.
    areas = list(project.regions.all()) or list(project.countries.all())
    found = []
    for area in areas:
        observations = list(
            Observation.objects.public().latest_per_indicator(area, indicators=indicators)
        )
        if observations:
            found.append((area, AreaFigures(observations), observations))
    return found
