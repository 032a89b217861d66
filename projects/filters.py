"""The public project list's filters: an explicit whitelist, values are slugs in the URL."""

import django_filters
import django_filters.fields
from django.utils.translation import gettext_lazy as _

from regions.models import Country, Region

from .models import Facility, Organisation, Project, ProjectStatus, ThematicArea


def _published_projects():
    return Project.objects.published()


class ListedModelChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A select's choices from one plain query.

    Django's iterator reads them with QuerySet.iterator(), which on PostgreSQL opens a
    server-side cursor WITH HOLD (DECLARE, FETCH, CLOSE, and a result materialised at
    commit) for a list of a dozen names: with five such selects that was about a fifth of an
    uncached project list (bench/NOTES.md).
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedModelChoiceIterator


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=200,
        help_text=_("Words in the title, acronym or summary, or a country's name."),
    )
    region = ModelChoiceFilter(
        label=_("Region"),
        empty_label=_("All regions"),
        method="filter_region",
        to_field_name="slug",
        queryset=lambda request: Region.objects.published(),
    )
    country = ModelChoiceFilter(
        label=_("Country"),
        empty_label=_("All countries"),
        field_name="countries",
        to_field_name="slug",
        queryset=lambda request: Country.objects.public(),
        distinct=True,
    )
    thematic_area = ModelChoiceFilter(
        label=_("Thematic area"),
        empty_label=_("All thematic areas"),
        field_name="thematic_areas",
        to_field_name="slug",
        queryset=lambda request: ThematicArea.objects.all(),
        distinct=True,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProjectStatus.choices, empty_label=_("All statuses")
    )
    facility = ModelChoiceFilter(
        label=_("Facility"),
        empty_label=_("All facilities"),
        to_field_name="slug",
        queryset=lambda request: Facility.objects.all(),
    )
    donor = ModelChoiceFilter(
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
