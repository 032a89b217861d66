from django.apps import AppConfig


class WBPortalConfig(AppConfig):
    """The project package as an app: shared template tags and site-wide commands."""

    name = "wbportal"
    verbose_name = "WB Portal"

    def ready(self):
        from .cache import connect_signals

        connect_signals()
