"""Where an object of ours is used in the content, read from the index of references that
links.scanning keeps on every save (never by searching the texts): the admin pages of library
images and documents list these uses."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from simple_history.models import HistoricalChanges

from .models import Reference


@dataclass(frozen=True)
class Use:
    """`obj` uses the object in question, in its field labelled `field_label`."""

    obj: models.Model
    field_label: str

    @property
    def model_label(self):
        return self.obj._meta.verbose_name

    @property
    def admin_url(self):
        opts = self.obj._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.obj.pk])
        except NoReverseMatch:
            return ""


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field since removed; the next check_links drops it
        return name


def _content_models():
    """Models whose rows may use another object (history tables copy those rows: skipped)."""
    for model in apps.get_models():
        if not issubclass(model, HistoricalChanges):
            yield model


def relation_uses(target: models.Model) -> list[Use]:
    """The objects that choose `target` in a foreign key or a many-to-many field (a hero
    image, a project's donors), one Use per object and field: one query per such field."""
    uses = []
    for model in _content_models():
        for field in [*model._meta.concrete_fields, *model._meta.local_many_to_many]:
            if field.is_relation and field.related_model is type(target):
                for obj in model._default_manager.filter(**{field.name: target}):
                    uses.append(Use(obj, str(field.verbose_name)))
    return uses


def text_uses(target: models.Model) -> list[Use]:
    """The fields of the content that refer to `target` (a Markdown text showing an image, a
    link to a document's page or file), one Use per object and field. A few queries, however
    many texts there are: one for the references, one per kind of object that holds them."""
    uses = []
    for reference in Reference.objects.to(target).prefetch_related("source"):
        source = reference.source
        if source is not None:  # deleted without a signal: the next check_links forgets it
            uses.append(Use(source, field_label(type(source), reference.field)))
    return uses


def uses_html(uses: Iterable[Use]) -> SafeString:
    """The uses for an admin form's read-only field: one line each, linked to the object."""
    # Not a <ul>: the admin's aligned forms indent lists by a label's width.
    return format_html_join(
        "",
        '<div>{}: <a href="{}">{}</a> ({})</div>',
        ((use.model_label.capitalize(), use.admin_url, use.obj, use.field_label) for use in uses),
    )
