from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from formatting.display import format_file_size
from links.usage import text_uses, uses_html
from publishing.admin import PublishableAdmin, publication_fieldset
from richtext.admin import MarkdownAdminMixin

from .files import ACCEPTED_EXTENSIONS
from .models import Document


@admin.register(Document)
class DocumentAdmin(MarkdownAdminMixin, PublishableAdmin):
    list_display = [
        "title",
        "date",
        "language",
        "file_display",
        "publication_status_display",
        "updated_at",
    ]
    list_filter = ["language", "regions", ("date", admin.DateFieldListFilter), "file_type"]
    search_fields = ["title", "author", "description", "original_name"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["regions", "projects"]
    readonly_fields = ["file_facts", "where_used", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("date", "language"), "author"]}),
        publication_fieldset(),
        # Long forms open section by section (Django's "collapse": a <details> element, shown
        # open when it holds an error).
        (_("Text"), {"fields": ["description"], "classes": ["collapse"]}),
        (_("File"), {"fields": ["file", "file_facts", "unavailable_note"]}),
        (
            _("Where it is listed"),
            {"fields": ["regions", "projects", "iati_category"], "classes": ["collapse"]},
        ),
        (_("Where it is used"), {"fields": ["where_used"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # a new document has no uses yet
            return [fieldset for fieldset in fieldsets if fieldset[0] != _("Where it is used")]
        return fieldsets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "file":
            # A hint for the browser's file picker only; the content decides (documents/files.py).
            field.widget.attrs["accept"] = ",".join(ACCEPTED_EXTENSIONS)
        return field

    @admin.display(description=_("file"), ordering="file_type")
    def file_display(self, document):
        if not document.file:
            return _("No file")
        return f"{document.file_type}, {format_file_size(document.file_size)}"

    @admin.display(description=_("linked from"))
    def where_used(self, document):
        """The texts that link to the document's page or to its file (the links index)."""
        return uses_html(text_uses(document)) or gettext("Not linked from any text yet.")

    @admin.display(description=_("stored file"))
    def file_facts(self, document):
        if not document.file:
            return _("No file: the note below is shown instead of a download link.")
        return format_html(
            '{type}, {size}; {downloaded_as} <a href="{url}">{name}</a>',
            type=document.file_type,
            size=format_file_size(document.file_size),
            downloaded_as=_("downloaded as"),
            url=document.file.url,
            name=document.download_name,
        )
