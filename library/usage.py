"""Where a library image is used: every foreign key to it (a hero image, a project image, a
portrait, the site's logo), found through the models' relations, and every text that shows it
by reference (`![…](library:42)`) or links to its file, read from the links app's index of
references (recorded on save, links.scanning). The admin lists these on the image's page
and refuses to delete an image while the list is not empty (`Image.delete()` refuses while a
text shows it; foreign keys protect it themselves)."""

from django.apps import apps
from simple_history.models import HistoricalChanges

from links.usage import Use, text_uses

from .models import Image


def _content_models():
    for model in apps.get_models():
        if model._meta.app_label == "library" or issubclass(model, HistoricalChanges):
            continue
        yield model


def foreign_key_uses(image: Image) -> list[Use]:
    uses = []
    for model in _content_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Image:
                for obj in model._default_manager.filter(**{field.name: image}):
                    uses.append(Use(obj, str(field.verbose_name)))
    return uses


def uses_of(image: Image) -> list[Use]:
    return foreign_key_uses(image) + text_uses(image)
