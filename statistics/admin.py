from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, Observation, Source


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "url"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "unit", "breakdown_label", "is_featured", "order"]
    list_filter = ["is_featured", "unit"]
    list_editable = ["is_featured", "order"]
    search_fields = ["name", "code", "description"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "area", "period", "category", "value", "status", "source"]
    list_filter = ["indicator", "status", "country", "region", "source"]
    search_fields = ["indicator__code", "indicator__name", "category", "period", "note"]
    autocomplete_fields = ["indicator", "country", "region", "source"]
    list_select_related = ["indicator", "country", "region", "source"]
    fields = [
        "indicator",
        ("country", "region"),
        "period",
        "category",
        "value",
        "status",
        "source",
        "note",
    ]

    @admin.display(description=_("area"))
    def area(self, observation):
        return observation.area
