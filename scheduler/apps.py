from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulerConfig(AppConfig):
    """The scheduler process that runs `publish_scheduled` every minute beside the web server
    (`manage.py run_scheduler`), its heartbeat, and what the admin shows when it is down."""

    name = "scheduler"
    verbose_name = _("Scheduler")
    default_auto_field = "django.db.models.BigAutoField"
