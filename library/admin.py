from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from formatting.display import format_file_size
from links.usage import text_uses, uses_html
from staff.shared_content import SharedContentAdmin
from wbportal.history_admin import ReadableHistoryAdmin

from .chooser import CHOOSER_RESULTS, chooser_entry
from .forms import ImageForm
from .markdown import referenced_ids
from .models import Image
from .renditions import make_standard_renditions, shown_picture
from .usage import uses_of

# Kept under its old name: the picker is the chooser's search.
PICKER_RESULTS = CHOOSER_RESULTS
# What the chooser's upload asks: everything an image needs to be shown with its rights (the
# focal point is set later, on the image's own form, by clicking on it).
CHOOSER_UPLOAD_FIELDS = ["file", "alt_text", "caption", "credit", "licence", "licence_url"]
# The chooser's upload form shares the page with the form it chooses for: its own ids.
CHOOSER_UPLOAD_PREFIX = "chooser"


def _thumbnail(image, width):
    if not image.pk or not image.file:
        return ""
    shown = shown_picture(image)
    if shown is None:
        return gettext("(file missing or cannot be shown)")
    # The smallest rendition at least as wide as shown (the focal point is clicked on it).
    rendition = next((r for r in shown.fallback if r.width >= width), shown.fallback[-1])
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
    text_reference_ids = staticmethod(referenced_ids)
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

    class Media:
        # The focal point set by clicking on the preview (the two numbers stay the fallback).
        css = {"all": ["library/focal-point.css"]}
        js = ["library/focal-point.js"]

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
        thumbnail = _thumbnail(image, 320)
        if not thumbnail:
            return "-"
        # Shown by library/focal-point.js, which makes the preview the focal point's picker.
        hint = format_html(
            '<p class="focal-point-hint" id="focal-point-hint" data-label="{}" hidden>{}</p>',
            gettext("Focal point"),
            gettext(
                "Click on the image where it must stay in view when cropped, or select it and "
                "use the arrow keys: the focal point's numbers under “Cropping” follow. Save "
                "to keep it."
            ),
        )
        return format_html("{}{}", thumbnail, hint)

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
        def view(method):
            return self.admin_site.admin_view(method)

        return [
            path("picker/", view(self.picker_view), name="library_image_picker"),
            path("chooser/", view(self.chooser_view), name="library_image_chooser"),
            path(
                "chooser/upload/",
                view(self.chooser_upload_view),
                name="library_image_chooser_upload",
            ),
            *super().get_urls(),
        ]

    def _require_view(self, request):
        """The chooser lists what the person may view: every image, or none."""
        if not self.has_view_permission(request):
            raise PermissionDenied

    def picker_view(self, request):
        """JSON for the image chooser's search (library/static/library/image-chooser.js): the
        newest images matching `q` in their alt text, caption or credit, each with a small
        rendition to choose by."""
        self._require_view(request)
        images = Image.objects.search(request.GET.get("q", ""))[:CHOOSER_RESULTS]
        return JsonResponse({"results": [chooser_entry(image) for image in images]})

    def chooser_upload_form(self, request, data=None, files=None):
        """The admin's own form for a new image, with only what the chooser asks: the same
        checks as the add form (library.forms.ImageForm: content, size, metadata removed)."""
        form_class = self.get_form(request, None, change=False, fields=CHOOSER_UPLOAD_FIELDS)
        return form_class(data, files, prefix=CHOOSER_UPLOAD_PREFIX)

    def chooser_context(self, request, form):
        return {
            "form": form,
            "upload_url": reverse("admin:library_image_chooser_upload"),
            "max_size": format_file_size(settings.LIBRARY_IMAGE_MAX_BYTES),
        }

    @method_decorator(require_GET)
    def chooser_view(self, request):
        """The chooser dialog's content, loaded by image-chooser.js when it first opens: the
        search, and the upload form for staff who may add images."""
        self._require_view(request)
        may_upload = self.has_add_permission(request)
        context = {
            **self.chooser_context(request, self.chooser_upload_form(request)),
            "may_upload": may_upload,
            "picker_url": reverse("admin:library_image_picker"),
        }
        return TemplateResponse(request, "library/chooser/dialog.html", context)

    @method_decorator(require_POST)
    def chooser_upload_view(self, request):
        """Upload an image from the chooser: 201 and the new image (which the chooser then
        inserts or selects), or 400 and the form again with what to correct. Only staff who
        may add images; the admin's CSRF check applies (admin_view)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.chooser_upload_form(request, request.POST, request.FILES)
        if not form.is_valid():
            fields = render_to_string(
                "library/chooser/upload_fields.html",
                self.chooser_context(request, form),
                request=request,
            )
            return JsonResponse({"form": fields}, status=400)
        with transaction.atomic():
            image = self.save_form(request, form, change=False)
            self.save_model(request, image, form, change=False)
            # The admin site records the step in the audit log from this call (audit/sites.py).
            self.log_addition(
                request, image, self.construct_change_message(request, form, None, add=True)
            )
        return JsonResponse({"image": chooser_entry(image)}, status=201)

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
