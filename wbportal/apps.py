from django.apps import AppConfig


class WBPortalConfig(AppConfig):
    """The project package as an app: its migrations (the roles, the search set-up; the
    publishing tables were created here before the workflow became the `publishing` app),
    templates and site-wide commands."""

    name = "wbportal"
    verbose_name = "WB Portal"
