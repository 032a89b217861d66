from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from richtext.rendering import register_extension
from richtext.widgets import register_image_chooser


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Media library")

    def ready(self):
        # Imported here, once every app's models are loaded, as Django asks for modules that
        # work with models: the extension looks images up in library.models.
        from .markdown import LibraryImageExtension
        from .widgets import CHOOSER_MEDIA

        # Library references in Markdown (`![alt](library:42)`) become responsive pictures.
        register_extension(LibraryImageExtension())
        # The editor's image button opens the library's image chooser (library.admin), the
        # same as every image field (library.widgets).
        register_image_chooser("admin:library_image_chooser", CHOOSER_MEDIA)
