from django.apps import AppConfig

from .receivers import connect_signals


class PageCacheConfig(AppConfig):
    """The public page cache (see the package docstring)."""

    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        # From the first request or management command on, every change of public content
        # makes the cached pages stale.
        connect_signals()
