from django.apps import AppConfig


class WBPortalConfig(AppConfig):
    """The project package as an app: its migrations (the publishing tables, until the
    publishing workflow becomes an app of its own), templates and site-wide commands."""

    name = "wbportal"
    verbose_name = "WB Portal"
