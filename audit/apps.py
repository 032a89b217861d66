from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log: one append-only table of what staff did (see audit/log.py), its
    read-only admin, and the recorders of admin steps, role changes and login lockouts."""

    name = "audit"
    verbose_name = _("Audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from axes.signals import user_locked_out

        from .recorders import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="audit.record_lockout")
