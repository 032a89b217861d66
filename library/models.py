"""The media library: images uploaded once, described once (alt text, caption, credit,
licence) and used in many places, which refer to them by foreign key or by `library:ID` in
Markdown. Where each is used: library.usage."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from links.usage import text_uses

from .renditions import delete_files, delete_replaced_files
from .widgets import ImageChooserWidget


def random_image_name(instance, filename):
    """Where the file is stored: a name the server draws, never one the uploader chose (the
    extension comes from the detected format, set on the ContentFile by `set_file`)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"library/{secrets.token_hex(16)}.{extension}"


# Words of a search that count: one condition each (thousands overflow the database's query).
SEARCH_WORDS = 12


class ImageQuerySet(models.QuerySet):
    def search(self, query):
        """Images whose alt text, caption or credit contain every word of `query` (its first
        SEARCH_WORDS different words)."""
        images = self
        for word in list(dict.fromkeys(query.split()))[:SEARCH_WORDS]:
            images = images.filter(
                Q(alt_text__icontains=word) | Q(caption__icontains=word) | Q(credit__icontains=word)
            )
        return images


class Image(models.Model):
    file = models.FileField(_("file"), upload_to=random_image_name, max_length=200)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        help_text=_(
            "What the image shows, for readers who cannot see it (screen readers, images "
            "turned off), e.g. “Participants of the 2025 border management workshop in "
            "Skopje”."
        ),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        # The page writes "Image:" before it: "Photo: X" would read "Image: Photo: X".
        help_text=_(
            "Who made the image, as shown after “Image:” under it (e.g. “IOM/Jane Doe”): "
            "do not begin with “Photo:”."
        ),
    )
    licence = models.CharField(
        _("licence"),
        max_length=100,
        blank=True,
        help_text=_("e.g. CC BY 4.0, or “All rights reserved, used with permission”."),
    )
    licence_url = models.URLField(_("licence address"), blank=True, max_length=300)
    focal_x = models.PositiveSmallIntegerField(
        _("focal point, across (%)"),
        default=50,
        validators=[MaxValueValidator(100), MinValueValidator(0)],
        help_text=_("0 is the left edge, 100 the right: kept in view when the image is cropped."),
    )
    focal_y = models.PositiveSmallIntegerField(
        _("focal point, down (%)"),
        default=50,
        validators=[MaxValueValidator(100), MinValueValidator(0)],
        help_text=_("0 is the top edge, 100 the bottom."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    # Renditions of a transparent image fall back to PNG, of any other to JPEG.
    transparent = models.BooleanField(_("transparent"), editable=False, default=False)
    # Of the stored bytes: renditions are named with it, so a new file means new renditions.
    content_hash = models.CharField(_("content hash"), max_length=64, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        # Publishers' (staff/shared_content.py): a live page shows the image at once.
        permissions = [("change_live_image", _("Can change and delete images a live page shows"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__lte=100, focal_y__lte=100), name="image_focal_point_in_range"
            ),
        ]

    def __str__(self):
        return self.alt_text

    @classmethod
    def from_db(cls, db, field_names, values):
        image = super().from_db(db, field_names, values)
        image._remember_stored()
        return image

    def _remember_stored(self):
        """What is stored for this row now: a save that replaces the file or moves the focal
        point leaves these behind (`_delete_replaced_files`)."""
        self._stored_file_name = self.file.name
        self._stored_rendition_key = self.rendition_key if self.content_hash else ""

    def set_file(self, clean):
        """Store a validated, re-encoded image (library.validation.CleanImage)."""
        self.file = ContentFile(clean.data, name=f"upload.{clean.extension}")
        self.width = clean.width
        self.height = clean.height
        self.transparent = clean.transparent
        self.content_hash = hashlib.sha256(clean.data).hexdigest()

    def delete(self, *args, **kwargs):
        # Foreign keys protect the image themselves (PROTECT); a text that shows it is found
        # in the links index. Refused before the deletion begins, so a caller's transaction
        # stays usable.
        uses = text_uses(self)
        if uses:
            raise ProtectedError(
                _("The image is shown in texts that refer to it: remove it from them first."),
                {use.obj for use in uses},
            )
        return super().delete(*args, **kwargs)

    @property
    def rendition_key(self):
        """Changes whenever the file or the focal point does: part of every rendition name."""
        source = f"{self.content_hash}:{self.focal_x}:{self.focal_y}"
        return hashlib.blake2s(source.encode(), digest_size=5).hexdigest()


@receiver(post_delete, sender=Image, dispatch_uid="library.delete_image_files")
def _delete_files(sender, instance, **kwargs):
    """The file and its renditions go with the image, once the deletion is committed (a
    rolled-back deletion keeps them)."""
    # Django clears instance.pk after the deletion: keep what is needed now.
    image_id, file_name = instance.pk, instance.file.name
    transaction.on_commit(lambda: delete_files(image_id, file_name))


@receiver(post_save, sender=Image, dispatch_uid="library.delete_replaced_image_files")
def _delete_replaced_files(sender, instance, created, **kwargs):
    """A replaced file and the renditions of the replaced file or focal point are deleted
    once the save is committed (a rolled-back save keeps them): no orphan stays served."""
    old_file = getattr(instance, "_stored_file_name", "")
    old_key = getattr(instance, "_stored_rendition_key", "")
    instance._remember_stored()
    if created or not (old_file or old_key):
        return
    image_id = instance.pk
    replaced_file = old_file if old_file != instance.file.name else ""
    replaced_key = old_key if old_key != instance._stored_rendition_key else ""
    if replaced_file or replaced_key:
        transaction.on_commit(lambda: delete_replaced_files(image_id, replaced_file, replaced_key))


class ImageForeignKey(models.ForeignKey):
    """A foreign key to a library image, chosen in the admin with the image chooser (a
    thumbnail, Change and Clear, search and upload in place: library.widgets) wherever the
    admin shows it as a raw id box (`raw_id_fields`), which stays the form without JavaScript.
    """

    def formfield(self, **kwargs):
        # The admin passes its own raw id widget for the field: the chooser, which is that
        # widget with more, replaces it (as richtext.fields.MarkdownField replaces the admin's
        # textarea).
        widget = kwargs.get("widget")
        if isinstance(widget, ForeignKeyRawIdWidget) and not isinstance(widget, ImageChooserWidget):
            kwargs["widget"] = ImageChooserWidget(
                widget.rel, widget.admin_site, attrs=widget.attrs, using=widget.db
            )
        return super().formfield(**kwargs)

    def deconstruct(self):
        # The database sees a plain foreign key: how it is chosen needs no migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs


def image_field(verbose_name, help_text):
    """A content model's choice of a library image: optional, and protected, so an image in
    use cannot be deleted (the library's "where it is used" lists it)."""
    return ImageForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        help_text=help_text,
    )
