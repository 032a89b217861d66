"""Where a library image is used: every foreign key to it (a hero image, a project image, a
portrait, the site's logo) and every Markdown text that shows it by reference
(`![…](library:42)`). The admin lists these on the image's page and refuses to delete an
image while the list is not empty."""

import re
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q

from richtext.fields import MarkdownField

# `![alt](library:42)` or `![alt](image:42 "title")`; the same syntax as the renderer's.
REFERENCE = re.compile(r"^(?:library|image):(\d{1,12})$")
_IN_TEXT = r"!\[[^\]]*\]\(\s*<?(?:library|image):{pk}>?[\s)]"


@dataclass(frozen=True)
class Use:
    obj: object
    field_label: str

    @property
    def model_label(self):
        return self.obj._meta.verbose_name

    @property
    def admin_url(self):
        from django.urls import NoReverseMatch, reverse

        opts = self.obj._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.obj.pk])
        except NoReverseMatch:
            return ""


def referenced_id(url):
    """The image id of a Markdown image address such as 'library:42', else None."""
    match = REFERENCE.match((url or "").strip())
    return int(match[1]) if match else None


def _content_models():
    for model in apps.get_models():
        if model._meta.app_label in ("library",) or model.__name__.startswith("Historical"):
            continue
        yield model


def foreign_key_uses(image):
    from .models import Image

    uses = []
    for model in _content_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Image:
                for obj in model._default_manager.filter(**{field.name: image}):
                    uses.append(Use(obj, str(field.verbose_name)))
    return uses


def markdown_uses(image):
    pattern = re.compile(_IN_TEXT.format(pk=image.pk))
    uses = []
    for model in _content_models():
        fields = [
            field for field in model._meta.concrete_fields if isinstance(field, MarkdownField)
        ]
        if not fields:
            continue
        # A cheap filter in the database, the exact syntax checked here (42 is not 420).
        query = Q()
        for field in fields:
            query |= Q(**{f"{field.name}__contains": f":{image.pk}"})
        for obj in model._default_manager.filter(query):
            for field in fields:
                if pattern.search(getattr(obj, field.attname) or ""):
                    uses.append(Use(obj, str(field.verbose_name)))
    return uses


def uses_of(image):
    return foreign_key_uses(image) + markdown_uses(image)
