"""The public project list's filters: an explicit whitelist, values are slugs in the URL."""

import django_filters
from django.utils.translation import gettext_lazy as _

from listing.filters import ListedModelChoiceFilter
from regions.models import Country, Region

from .models import Facility, Organisation, Project, ProjectStatus, ThematicArea


def _published_projects():
    return Project.objects.published()


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=200,
        help_text=_("Words in the title, acronym or summary, or a country's name."),
    )
    region = ListedModelChoiceFilter(
        label=_("Region"),
        empty_label=_("All regions"),
        method="filter_region",
        to_field_name="slug",
        queryset=lambda request: Region.objects.published(),
    )
    country = ListedModelChoiceFilter(
        label=_("Country"),
        empty_label=_("All countries"),
        field_name="countries",
        to_field_name="slug",
        queryset=lambda request: Country.objects.public(),
        distinct=True,
    )
    # Thematic areas and facilities (like donors) only as published projects use them: one
    # nothing approved uses is an Editor's to add and rename, never shown (staff/shared_content).
    thematic_area = ListedModelChoiceFilter(
        label=_("Thematic area"),
        empty_label=_("All thematic areas"),
        field_name="thematic_areas",
        to_field_name="slug",
        queryset=lambda request: ThematicArea.objects.filter(
            projects__in=_published_projects()
        ).distinct(),
        distinct=True,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProjectStatus.choices, empty_label=_("All statuses")
    )
    facility = ListedModelChoiceFilter(
        label=_("Facility"),
        empty_label=_("All facilities"),
        to_field_name="slug",
        queryset=lambda request: Facility.objects.filter(
            projects__in=_published_projects()
        ).distinct(),
    )
    donor = ListedModelChoiceFilter(
        label=_("Donor"),
        empty_label=_("All donors"),
        field_name="donors",
        to_field_name="slug",
        queryset=lambda request: Organisation.objects.filter(
            funded_projects__in=_published_projects()
        ).distinct(),
        distinct=True,
    )

    class Meta:
        model = Project
        fields = ["q", "region", "country", "thematic_area", "status", "facility", "donor"]

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_region(self, queryset, name, value):
        """Projects of the region or of one of its countries: what its region page counts."""
        return queryset.in_region(value)
