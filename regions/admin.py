from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from wbportal.markdown_admin import MarkdownAdminMixin
from wbportal.publishing_admin import PublishableAdmin, PublishableInlineMixin

from .models import ApproachSection, Contact, Country, Office, Region


class ApproachSectionInline(MarkdownAdminMixin, admin.StackedInline):
    model = ApproachSection
    extra = 0
    fields = ["order", "title", "body"]


class OfficeInline(admin.StackedInline):
    model = Office
    extra = 0
    fields = [
        ("name", "slug"),
        ("country", "city"),
        ("street_address", "postal_code"),
        ("phone", "email"),
        ("latitude", "longitude"),
        "is_regional_seat",
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    show_change_link = True


class ContactInline(PublishableInlineMixin, admin.TabularInline):
    model = Contact
    extra = 0
    fields = [
        "display_order",
        "name",
        "role",
        "office",
        "email",
        "phone",
        "is_public",
        "publish_at",
    ]
    autocomplete_fields = ["office"]
    show_change_link = True


@admin.register(Region)
class RegionAdmin(MarkdownAdminMixin, PublishableAdmin):
    list_display = ["name", "code", "country_count", "publication_status_display", "updated_at"]
    search_fields = ["name", "code", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["countries"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "code"]}),
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
        (_("Text"), {"fields": ["summary", "body"]}),
        (_("Where we work"), {"fields": ["countries"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [ApproachSectionInline, OfficeInline, ContactInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    @admin.display(description=_("countries"))
    def country_count(self, region):
        return len(region.countries.all())


@admin.register(Country)
class CountryAdmin(MarkdownAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "local_name", "iso_code", "member_state_since", "has_footnote"]
    list_filter = [("member_state_since", admin.EmptyFieldListFilter), "regions"]
    search_fields = ["name", "local_name", "iso_code"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(boolean=True, description=_("footnote"))
    def has_footnote(self, country):
        return bool(country.footnote)


@admin.register(ApproachSection)
class ApproachSectionAdmin(MarkdownAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "region", "order"]
    list_filter = ["region"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "city", "country", "region", "is_regional_seat"]
    list_filter = ["region", "country", "is_regional_seat"]
    search_fields = ["name", "city", "street_address", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region", "country"]
    list_select_related = ["country", "region"]


@admin.register(Contact)
class ContactAdmin(PublishableAdmin):
    list_display = [
        "name",
        "role",
        "office",
        "region",
        "display_order",
        "publication_status_display",
    ]
    list_filter = ["region", "office"]
    fieldsets = [
        (None, {"fields": ["region", "office", "name", "role", "email", "phone", "display_order"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "publication_status_display",
                    ("is_public", "publish_at"),
                    "review_requested",
                    "review_note",
                ]
            },
        ),
    ]
    list_editable = ["display_order"]
    search_fields = ["name", "role", "email"]
    autocomplete_fields = ["region", "office"]
    list_select_related = ["office", "region"]
