from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from richtext.rendering import register_extension
from richtext.widgets import register_image_picker


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Media library")

    def ready(self):
        # Imported here, once every app's models are loaded, as Django asks for modules that
        # work with models: the extension looks images up in library.models.
        from .markdown import LibraryImageExtension

        # Library references in Markdown (`![alt](library:42)`) become responsive pictures.
        register_extension(LibraryImageExtension())
        # The editor's image button searches the library (library.admin's picker view).
        register_image_picker("admin:library_image_picker")
