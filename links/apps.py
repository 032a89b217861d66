from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from richtext.link_checks import register_link_check


class LinksConfig(AppConfig):
    """Every link in the content, where it is, and whether it still leads somewhere."""

    name = "links"
    verbose_name = _("Links in content")

    def ready(self):
        # Imported here, once every app's models are loaded, as Django asks for modules that
        # import models (both use links.models).
        from . import receivers
        from .editor import markdown_link_problems

        receivers.connect()
        # The editor, its preview and the admin's check before publishing (richtext).
        register_link_check(markdown_link_problems)
