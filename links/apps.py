from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinksConfig(AppConfig):
    """Every link in the content, where it is, and whether it still leads somewhere."""

    name = "links"
    verbose_name = _("Links in content")

    def ready(self):
        from . import receivers

        receivers.connect()
