from urllib.parse import urlsplit

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from formatting.regional_input import URL_INPUT

from .models import Image
from .validation import ACCEPTED_FORMATS, clean_image

LICENCE_URL_SCHEMES = ("http", "https")


def formfield(db_field, **kwargs):
    """A form field as the admin's forms make it, where this form is used (the admin then
    passes its own callback): web addresses are read the same way."""
    if isinstance(db_field, models.URLField):
        kwargs = {**URL_INPUT, **kwargs}
    return db_field.formfield(**kwargs)


class ImageForm(forms.ModelForm):
    """Upload or replace an image: its content is checked and re-encoded (library.validation)
    before anything is stored, under a name the server draws."""

    class Meta:
        model = Image
        fields = [
            "file",
            "alt_text",
            "caption",
            "credit",
            "licence",
            "licence_url",
            "focal_x",
            "focal_y",
        ]
        formfield_callback = formfield
        widgets = {
            "file": forms.ClearableFileInput(
                attrs={"accept": ",".join(mime for _ext, mime in ACCEPTED_FORMATS.values())}
            )
        }

    clean_upload = None

    def clean_licence_url(self):
        """Only a web address: the page links the licence, and a text showing the image keeps
        only web links (richtext.sanitiser)."""
        address = self.cleaned_data.get("licence_url", "")
        if address and urlsplit(address).scheme.lower() not in LICENCE_URL_SCHEMES:
            raise forms.ValidationError(
                _("Give the licence's web address, beginning with http:// or https://."),
                code="not_web_address",
            )
        return address

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.clean_upload = clean_image(upload)
        elif upload and not upload.storage.exists(upload.name):
            # An earlier version restored from the history names a file deleted since (a
            # replaced file is deleted after the change): it would show nowhere.
            raise forms.ValidationError(
                _("The file of this version is no longer stored: upload the image again."),
                code="file_gone",
            )
        return upload

    def save(self, commit=True):
        image = super().save(commit=False)
        if self.clean_upload is not None:
            image.set_file(self.clean_upload)
        if commit:
            image.save()
            self._save_m2m()
        return image
