from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from formatting.regional_input import RegionalInputMixin
from publishing.admin import (
    PublishableAdmin,
    PublishableInlineMixin,
    publication_fieldset,
)
from richtext.admin import MarkdownAdminMixin
from wbportal.history_admin import ReadableHistoryAdmin

from .models import ApproachSection, Contact, Country, Office, Region


class ApproachSectionInline(MarkdownAdminMixin, RegionalInputMixin, admin.StackedInline):
    model = ApproachSection
    extra = 0
    classes = ["collapse"]
    fields = ["order", "title", "body"]


class OfficeInline(RegionalInputMixin, PublishableInlineMixin, admin.StackedInline):
    model = Office
    extra = 0
    classes = ["collapse"]
    fields = [
        ("name", "slug"),
        ("country", "city"),
        ("street_address", "postal_code"),
        ("phone", "email"),
        ("latitude", "longitude"),
        "is_regional_seat",
        "is_published",
        "publish_at",
        "unpublish_at",
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    show_change_link = True


class ContactInline(RegionalInputMixin, PublishableInlineMixin, admin.StackedInline):
    """Stacked, a few fields a line: as a table the nine columns were 2,000 px wide."""

    model = Contact
    extra = 0
    classes = ["collapse"]
    fields = [
        ("name", "role"),
        ("office", "display_order"),
        ("email", "phone"),
        # One a line: side by side, the date and time boxes with their help overflow a phone.
        "is_published",
        "publish_at",
        "unpublish_at",
    ]
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "office" in formset.form.base_fields:
            # Only the region's own offices (saved ones: a new office is chosen after saving).
            offices = obj.offices.all() if obj is not None else Office.objects.none()
            formset.form.base_fields["office"].queryset = offices
        return formset


@admin.register(Region)
class RegionAdmin(MarkdownAdminMixin, PublishableAdmin):
    list_display = ["name", "code", "country_count", "publication_status_display", "updated_at"]
    search_fields = ["name", "code", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["countries"]
    raw_id_fields = ["hero_image"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "code"]}),
        publication_fieldset(),
        # Long forms open section by section (Django's "collapse": a <details> element, shown
        # open when it holds an error); the summary stays open to say which region this is.
        (_("Summary"), {"fields": ["summary", "hero_image"]}),
        (_("Overview"), {"fields": ["body"], "classes": ["collapse"]}),
        (_("Where we work"), {"fields": ["countries"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [ApproachSectionInline, OfficeInline, ContactInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    @admin.display(description=_("countries"))
    def country_count(self, region):
        return len(region.countries.all())


@admin.register(Country)
class CountryAdmin(MarkdownAdminMixin, PublishableAdmin):
    list_display = [
        "name",
        "local_name",
        "iso_code",
        "member_state_since",
        "has_footnote",
        "publication_status_display",
    ]
    list_filter = [("member_state_since", admin.EmptyFieldListFilter), "regions"]
    search_fields = ["name", "local_name", "iso_code"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "local_name", "slug", "iso_code"]}),
        publication_fieldset(),
        (_("Text"), {"fields": ["member_state_since", "footnote", "profile", "hero_image"]}),
    ]
    raw_id_fields = ["hero_image"]

    @admin.display(boolean=True, description=_("footnote"))
    def has_footnote(self, country):
        return bool(country.footnote)


@admin.register(ApproachSection)
class ApproachSectionAdmin(MarkdownAdminMixin, ReadableHistoryAdmin):
    """Sections of an approved region are part of the region's review: someone who may not
    publish regions changes them in the region form (a proposed change), not here."""

    list_display = ["title", "region", "order"]
    list_filter = ["region"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]

    def _may_change_live(self, request):
        return request.user.has_perm("regions.publish_region")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.region.is_published and not self._may_change_live(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.region.is_published and not self._may_change_live(request):
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region" and not self._may_change_live(request):
            kwargs["queryset"] = Region.objects.filter(is_published=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Office)
class OfficeAdmin(PublishableAdmin):
    list_display = [
        "name",
        "city",
        "country",
        "region",
        "is_regional_seat",
        "publication_status_display",
    ]
    list_filter = ["region", "country", "is_regional_seat"]
    search_fields = ["name", "city", "street_address", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region", "country"]
    list_select_related = ["country", "region"]
    fieldsets = [
        (None, {"fields": ["region", "country", "name", "slug", "city", "is_regional_seat"]}),
        publication_fieldset(),
        (
            _("Address"),
            {"fields": ["street_address", "postal_code", "phone", "email"]},
        ),
        (_("On the map"), {"fields": [("latitude", "longitude")]}),
    ]


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
        (_("Portrait"), {"fields": ["portrait"]}),
        publication_fieldset(),
    ]
    raw_id_fields = ["portrait"]
    list_editable = ["display_order"]
    search_fields = ["name", "role", "email"]
    autocomplete_fields = ["region"]
    list_select_related = ["office", "region"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        office = form.base_fields.get("office")
        if office is not None:
            if obj is not None:
                office.queryset = Office.objects.filter(region=obj.region_id)
            else:  # the region is not chosen yet: every office, named with its region
                office.queryset = Office.objects.select_related("region")
                office.label_from_instance = lambda o: f"{o.name} ({o.region.name})"
        return form
