"""The audit log in the admin: read by Publishers and administrators, changed by nobody.

Filtered by person, kind of item, action and a date range (typed the regional way,
"08.12.2026"), searched by name, item and summary, and downloaded as CSV with the same
filters. Each entry links to its item where the reader may view it.

Also here: the user admin records a change of a person's roles (groups, staff and superuser
switches) in the log.
"""

import csv
import datetime
import json
from collections import defaultdict
from collections.abc import Iterator

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from formatting.display import format_datetime
from formatting.regional_input import DATE_HELP, parse_date
from formatting.spreadsheet import neutralise

from .models import AuditEntry
from .recorders import record_role_change


class DateRangeFilter(admin.ListFilter):
    """Entries from one date to another (both included, in the site's time zone), typed as
    staff type dates everywhere: "08.12.2026" or "2026-12-08"."""

    title = _("date")
    template = "admin/audit/date_range_filter.html"
    parameter_names = ("date_from", "date_to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.texts: dict[str, str] = {}
        self.dates: dict[str, datetime.date] = {}
        self.errors: dict[str, str] = {}
        for name in self.parameter_names:
            value = params.pop(name, None)
            if value is None:
                continue
            text = (value[-1] if isinstance(value, list) else value).strip()[:40]
            self.used_parameters[name] = text
            self.texts[name] = text
            if not text:
                continue
            try:
                self.dates[name] = parse_date(text)
            except ValidationError as error:
                self.errors[name] = error.messages[0]

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameter_names)

    @staticmethod
    def _start_of(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def queryset(self, request, queryset):
        if "date_from" in self.dates:
            queryset = queryset.filter(at__gte=self._start_of(self.dates["date_from"]))
        if "date_to" in self.dates:
            day_after = self.dates["date_to"] + datetime.timedelta(days=1)
            queryset = queryset.filter(at__lt=self._start_of(day_after))
        return queryset

    def choices(self, changelist):
        # One "choice": the form. It carries the list's other parameters, so a date range
        # narrows the current filters and search instead of replacing them.
        kept = [
            (name, value)
            for name, value in changelist.params.items()
            if name not in self.parameter_names and name != PAGE_VAR
        ]
        yield {
            "kept": kept,
            "fields": [
                {
                    "name": name,
                    "label": label,
                    "value": self.texts.get(name, ""),
                    "error": self.errors.get(name, ""),
                }
                for name, label in zip(self.parameter_names, (_("From"), _("To")), strict=True)
            ],
            "help": DATE_HELP,
            "clear": changelist.get_query_string(remove=list(self.parameter_names)),
            "active": bool(self.dates),
        }


class KindOfItemFilter(admin.SimpleListFilter):
    """The kinds of item the log names, by their names (not "app | model")."""

    title = _("kind of item")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        used = AuditEntry.objects.exclude(content_type=None).values("content_type").distinct()
        kinds = []
        for content_type in ContentType.objects.filter(pk__in=used):
            model = content_type.model_class()
            label = capfirst(model._meta.verbose_name_plural) if model else content_type.name
            kinds.append((str(content_type.pk), label))
        return sorted(kinds, key=lambda kind: str(kind[1]))

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(content_type_id=int(value))


def kind_label(content_type: ContentType | None) -> str:
    if content_type is None:
        return ""
    model = content_type.model_class()
    return str(capfirst(model._meta.verbose_name)) if model else content_type.name


class AuditChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        attach_item_urls(request, self.model_admin.admin_site, self.result_list)


def attach_item_urls(request: HttpRequest, site: admin.AdminSite, entries: list[AuditEntry]):
    """Give each entry `item_url`: its item's admin page, where the reader may view that item
    (None for items deleted since, or out of the reader's reach). One query per kind of item
    on the page, never one per entry."""
    by_kind: dict[int, list[AuditEntry]] = defaultdict(list)
    for entry in entries:
        entry.item_url = None
        if entry.content_type_id and entry.object_id:
            by_kind[entry.content_type_id].append(entry)
    for kind_entries in by_kind.values():
        model = kind_entries[0].content_type.model_class()
        if model is None or not site.is_registered(model):
            continue
        model_admin = site.get_model_admin(model)
        if not model_admin.has_view_permission(request):
            continue
        ids = set()
        for entry in kind_entries:
            try:
                ids.add(model._meta.pk.to_python(entry.object_id))
            except ValidationError:
                continue
        items = {
            str(item.pk): item for item in model_admin.get_queryset(request).filter(pk__in=ids)
        }
        opts = model._meta
        for entry in kind_entries:
            item = items.get(entry.object_id)
            if item is None or not model_admin.has_view_permission(request, item):
                continue
            try:
                entry.item_url = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(item.pk)]
                )
            except NoReverseMatch:
                continue


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_COLUMNS = [
    _("when (UTC, ISO 8601)"),
    _("person"),
    _("action"),
    _("kind of item"),
    _("item id"),
    _("item"),
    _("what"),
    _("detail (JSON)"),
]


def csv_lines(entries) -> Iterator[str]:
    """The entries as CSV text (a BOM first, so Excel reads UTF-8), text neutralised against
    spreadsheet formulas (formatting.spreadsheet): a person's name, an item's name or a typed
    user name may start with "=" or "@"."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff"
    yield writer.writerow([str(column) for column in CSV_COLUMNS])
    for entry in entries.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                entry.at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
                neutralise(entry.actor_name),
                neutralise(entry.get_action_display()),
                neutralise(kind_label(entry.content_type)),
                neutralise(entry.object_id),
                neutralise(entry.object_repr),
                neutralise(entry.summary),
                neutralise(json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)),
            ]
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    change_list_template = "admin/audit/auditentry/change_list.html"
    list_display = ["when", "person", "action", "kind", "item", "summary"]
    list_display_links = ["when"]
    list_filter = [
        ("actor", admin.RelatedOnlyFieldListFilter),
        KindOfItemFilter,
        "action",
        DateRangeFilter,
    ]
    search_fields = ["actor_name", "object_repr", "summary"]
    list_select_related = ["content_type"]
    list_per_page = 50
    # Entries without a signed-in person: a command, the scheduler, a lockout.
    empty_value_display = _("no signed-in person")
    fields = ["when", "person", "action", "kind", "item", "summary", "detail_text"]
    readonly_fields = fields

    # Nobody adds, changes or deletes an entry from the admin, administrators included: the
    # log is only worth reading if nobody could have tidied it.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": _("Audit log: who did what, when"), **(extra_context or {})}
        )

    def get_changelist(self, request, **kwargs):
        return AuditChangeList

    def get_urls(self):
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_csv_view),
                name="audit_auditentry_export",
            ),
            *super().get_urls(),
        ]

    def export_csv_view(self, request):
        """The entries the list shows with its current filters and search, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = self.get_changelist_instance(request).get_queryset(request)
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in csv_lines(entries)),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
        return response

    @admin.display(description=_("when"), ordering="at")
    def when(self, entry):
        return format_datetime(entry.at)

    @admin.display(description=_("person"), ordering="actor_name")
    def person(self, entry):
        return entry.actor_name or _("the system")

    @admin.display(description=_("kind of item"))
    def kind(self, entry):
        return kind_label(entry.content_type)

    @admin.display(description=_("item"))
    def item(self, entry):
        url = getattr(entry, "item_url", None)
        if url:
            return format_html('<a href="{}">{}</a>', url, entry.object_repr)
        return entry.object_repr

    @admin.display(description=_("detail"))
    def detail_text(self, entry):
        if not entry.detail:
            return ""
        text = json.dumps(entry.detail, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html('<pre class="audit-detail">{}</pre>', text)

    def get_object(self, request, object_id, from_field=None):
        entry = super().get_object(request, object_id, from_field)
        if entry is not None:
            attach_item_urls(request, self.admin_site, [entry])
        return entry


# --- Role changes through the user admin ------------------------------------------------------

ROLE_FLAGS = ("is_staff", "is_superuser")


class RoleRecordingUserAdmin(UserAdmin):
    """Django's user admin; a change of a person's groups or of their staff and superuser
    switches is recorded in the audit log as a role change."""

    def save_related(self, request, form, formsets, change):
        person = form.instance
        before = list(person.groups.all()) if change else []
        super().save_related(request, form, formsets, change)
        flags = {
            name: (bool(form.initial.get(name, False)), bool(getattr(person, name)))
            for name in ROLE_FLAGS
            if name in form.fields
        }
        if not change:
            flags = {name: pair for name, pair in flags.items() if pair[1]}
        record_role_change(
            person,
            before=before,
            after=person.groups.all(),
            flags=flags,
            actor=request.user,
        )


admin.site.unregister(User)
admin.site.register(User, RoleRecordingUserAdmin)
