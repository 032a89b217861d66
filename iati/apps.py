from django.apps import AppConfig


class IatiConfig(AppConfig):
    """Projects published as IATI 2.03 activities (/iati/activities.xml)."""

    name = "iati"
    verbose_name = "IATI publishing"
