from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from links.usage import text_uses, uses_html
from staff.shared_content import SharedContentAdmin
from wbportal.history_admin import ReadableHistoryAdmin

from .forms import ImageForm
from .models import Image
from .renditions import WIDTHS, make_standard_renditions, shown_picture
from .usage import uses_of

# The Markdown editor's image picker shows at most this many images (newest first).
PICKER_RESULTS = 24
# The smallest standard rendition: already made for any image shown on a page.
PICKER_THUMBNAIL_WIDTH = WIDTHS[0]


def _thumbnail(image, width):
    if not image.pk or not image.file:
        return ""
    shown = shown_picture(image)
    if shown is None:
        return gettext("(file missing or cannot be shown)")
    rendition = shown.fallback[0]
    height = round(rendition.height * width / rendition.width)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}">',
        rendition.url,
        width,
        height,
        image.alt_text,
    )


@admin.register(Image)
class ImageAdmin(SharedContentAdmin, ReadableHistoryAdmin):
    form = ImageForm
    list_display = [
        "thumbnail",
        "alt_text",
        "reference",
        "credit",
        "licence",
        "size",
        "uploaded_at",
    ]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption", "credit"]
    list_filter = ["licence", "uploaded_at"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "size", "reference", "where_used", "uploaded_at", "uploaded_by"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "size", "alt_text", "caption"]}),
        (_("Rights"), {"fields": ["credit", "licence", "licence_url"]}),
        (
            _("Cropping"),
            {
                "fields": [("focal_x", "focal_y")],
                "description": _(
                    "Where a cropped version (e.g. a wide hero image) is centred. 50 and 50: "
                    "the middle of the image."
                ),
            },
        ),
        (_("Where it is used"), {"fields": ["reference", "where_used"]}),
        (_("Record"), {"fields": ["uploaded_at", "uploaded_by"], "classes": ["collapse"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return super().get_fieldsets(request, obj)
        # A new image has no preview, size, uses or record yet: the upload form asks only
        # for what the editor can give.
        first, *others = self.fieldsets
        fields = [name for name in first[1]["fields"] if name not in {"preview", "size"}]
        return [
            (first[0], {**first[1], "fields": fields}),
            *(fieldset for fieldset in others if fieldset[0] in (_("Rights"), _("Cropping"))),
        ]

    @admin.display(description=_("image"))
    def thumbnail(self, image):
        return _thumbnail(image, 80)

    @admin.display(description=_("in Markdown"), ordering="pk")
    def reference(self, image):
        """What an editor writes to show the image in a text."""
        return f"![{image.alt_text}](library:{image.pk})" if image.pk else "-"

    @admin.display(description=_("preview"))
    def preview(self, image):
        return _thumbnail(image, 320) or "-"

    @admin.display(description=_("size"))
    def size(self, image):
        if not image.width:
            return "-"
        return gettext("%(width)d\u00a0×\u00a0%(height)d\u00a0pixels") % {
            "width": image.width,
            "height": image.height,
        }

    @admin.display(description=_("used by"))
    def where_used(self, image):
        uses = uses_of(image) if image.pk else []
        if not uses:
            return gettext("Not used anywhere yet.")
        return uses_html(uses)

    def get_urls(self):
        picker = self.admin_site.admin_view(self.picker_view)
        return [
            path("picker/", picker, name="library_image_picker"),
            *super().get_urls(),
        ]

    def picker_view(self, request):
        """JSON for the Markdown editor's image picker (richtext/static/js/markdown-editor.js): the
        newest images matching `q` in their alt text, caption or credit, each with a small
        rendition to choose by."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        images = Image.objects.search(request.GET.get("q", ""))[:PICKER_RESULTS]
        results = []
        for image in images:
            # A file missing or that cannot be shown: still listed, without a picture.
            shown = shown_picture(image, widths=(PICKER_THUMBNAIL_WIDTH,))
            thumbnail = shown.fallback[0] if shown else None
            results.append(
                {
                    "id": image.pk,
                    "alt": image.alt_text,
                    "caption": image.caption,
                    "thumbnail": thumbnail.url if thumbnail else "",
                    "thumbnail_width": thumbnail.width if thumbnail else None,
                    "thumbnail_height": thumbnail.height if thumbnail else None,
                    "width": image.width,
                    "height": image.height,
                }
            )
        return JsonResponse({"results": results})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if not change or {"file", "focal_x", "focal_y"} & set(form.changed_data):
            # Made once the image is committed (a rolled-back save makes none), so that its
            # first public page view does not wait for them; pages still make any missing.
            transaction.on_commit(lambda: make_standard_renditions(obj))

    def get_deleted_objects(self, objs, request):
        """Foreign keys protect an image already (PROTECT); a text that shows it protects it
        too (library.usage): the admin lists both and offers no way to delete."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for image in objs:
            for use in text_uses(image):
                protected.append(
                    format_html(
                        '{}: <a href="{}">{}</a> ({})',
                        use.model_label.capitalize(),
                        use.admin_url,
                        use.obj,
                        gettext("shown in its text “%(field)s”") % {"field": use.field_label},
                    )
                )
        if protected:
            # Django also counts the protecting objects in "perms_needed" when their admin
            # refuses deletion (site settings always does), and its delete page then shows
            # that permission notice instead of the uses: nothing would be deleted anyway.
            perms_needed = set()
        if protected and request.method == "GET":
            self.message_user(
                request,
                gettext("This image is in use: remove it from the pages listed first."),
                messages.WARNING,
            )
        return deleted, model_count, perms_needed, protected
