from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The publisher's identity (site settings) and its own pages (About, Imprint, ...)."""

    name = "pages"
    verbose_name = _("Site and pages")
