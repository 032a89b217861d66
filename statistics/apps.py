from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "statistics"
    label = "statistics"
    verbose_name = "Statistics"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
