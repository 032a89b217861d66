from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Media library")

    def ready(self):
        from wbportal import markdown

        from .markdown import LibraryImageExtension

        # Library references in Markdown (`![alt](library:42)`) become responsive pictures.
        if not any(isinstance(ext, LibraryImageExtension) for ext in markdown.EXTENSIONS):
            markdown.EXTENSIONS.append(LibraryImageExtension())
