"""The public document list's filters: an explicit whitelist, values are slugs in the URL."""

import django_filters
from django.utils.translation import gettext_lazy as _

from listing.filters import ListedModelChoiceFilter
from projects.models import Project
from regions.models import Region

from .models import Document, Language


class DocumentFilter(django_filters.FilterSet):
    region = ListedModelChoiceFilter(
        label=_("Region"),
        empty_label=_("All regions"),
        field_name="regions",
        to_field_name="slug",
        queryset=lambda request: Region.objects.published(),
    )
    project = ListedModelChoiceFilter(
        label=_("Project"),
        empty_label=_("All projects"),
        field_name="projects",
        to_field_name="slug",
        queryset=lambda request: (
            Project.objects.published()
            .filter(documents__in=Document.objects.published())
            .distinct()
        ),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Language.choices, empty_label=_("All languages")
    )

    class Meta:
        model = Document
        fields = ["region", "project", "language"]
