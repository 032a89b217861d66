from django.apps import AppConfig


class WBPortalConfig(AppConfig):
    """The project package as an app: shared template tags, site-wide commands."""

    name = "wbportal"
    verbose_name = "WB Portal"

    def ready(self):
        from .pagecache import connect_signals

        connect_signals()

        # Each app's search.py registers its searchable models (wbportal/search.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("search")
