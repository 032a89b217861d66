from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only JSON API under /api/v1/, with its OpenAPI 3 schema."""

    name = "api"
    verbose_name = "Read API"
