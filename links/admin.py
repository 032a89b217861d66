from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import LinkStatus, LinkUse


class LinkStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return LinkStatus.choices

    def queryset(self, request, queryset):
        if self.value() in LinkStatus.values:
            return queryset.filter(link__status=self.value())
        return queryset


class LinkPlaceFilter(admin.SimpleListFilter):
    title = _("link to")
    parameter_name = "to"

    def lookups(self, request, model_admin):
        return [("site", _("this site")), ("external", _("other sites"))]

    def queryset(self, request, queryset):
        if self.value() in {"site", "external"}:
            return queryset.filter(link__is_internal=self.value() == "site")
        return queryset


@admin.register(LinkUse)
class LinkUseAdmin(admin.ModelAdmin):
    """Every link in the content with where it is; filter by status to see the broken ones.
    Read-only: links change by editing the text that holds them."""

    list_display = [
        "address",
        "status",
        "result",
        "last_checked",
        "content_kind",
        "where",
        "field_name",
    ]
    list_filter = [LinkStatusFilter, LinkPlaceFilter, "content_type"]
    search_fields = ["link__url", "object_label"]
    list_select_related = ["link", "content_type"]
    ordering = ["link__status", "link__url"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("address"), ordering="link__url")
    def address(self, use):
        return use.link.url

    @admin.display(description=_("status"), ordering="link__status")
    def status(self, use):
        return use.link.get_status_display()

    @admin.display(description=_("result"))
    def result(self, use):
        return use.link.message

    @admin.display(description=_("last checked"), ordering="link__last_checked")
    def last_checked(self, use):
        return use.link.last_checked

    @admin.display(description=_("kind of content"), ordering="content_type")
    def content_kind(self, use):
        model = use.content_type.model_class()
        return model._meta.verbose_name if model else use.content_type.model

    @admin.display(description=_("in"), ordering="object_label")
    def where(self, use):
        url = use.admin_url()
        return (
            format_html('<a href="{}">{}</a>', url, use.object_label) if url else use.object_label
        )

    @admin.display(description=_("field"), ordering="field")
    def field_name(self, use):
        model = use.content_type.model_class()
        try:
            return model._meta.get_field(use.field).verbose_name
        except (AttributeError, FieldDoesNotExist):  # a model or field since removed
            return use.field
