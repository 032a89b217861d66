"""The widget of every image field in the admin (library.models.ImageForeignKey): the admin's
raw id box, which is all there is without JavaScript, with a thumbnail of the chosen image
and the buttons that open the image chooser (library/static/library/image-chooser.js) or
clear the choice."""

from django import forms
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.urls import reverse

from .chooser import chooser_entry

# The chooser's script and styles, wherever it is opened from (also the Markdown editor's
# image button: library/apps.py).
CHOOSER_MEDIA = forms.Media(
    css={"all": ["library/image-chooser.css"]}, js=["library/image-chooser.js"]
)


class ImageChooserWidget(ForeignKeyRawIdWidget):
    template_name = "library/widgets/image_chooser.html"

    @property
    def media(self):
        return CHOOSER_MEDIA

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        image = None
        if context["widget"]["value"]:
            images = self.rel.model._default_manager.using(self.db)
            try:
                image = images.filter(pk=value).first()
            except (ValueError, ValidationError):  # a posted id that is no number
                image = None
        context["chooser"] = {
            "url": reverse(f"{self.admin_site.name}:library_image_chooser"),
            "image": chooser_entry(image) if image is not None else None,
        }
        return context
