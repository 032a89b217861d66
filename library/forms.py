from django import forms
from django.core.files.uploadedfile import UploadedFile

from .models import Image
from .validation import ACCEPTED_FORMATS, clean_image


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
        widgets = {
            "file": forms.ClearableFileInput(
                attrs={"accept": ",".join(mime for _ext, mime in ACCEPTED_FORMATS.values())}
            )
        }

    clean_upload = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.clean_upload = clean_image(upload)
        return upload

    def save(self, commit=True):
        image = super().save(commit=False)
        if self.clean_upload is not None:
            image.set_file(self.clean_upload)
        if commit:
            image.save()
            self._save_m2m()
        return image
