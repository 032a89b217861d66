from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def sync_roles_after_migrate(sender, **kwargs):
    """Keep the role groups in step with wbportal/roles.py after every migrate, so that
    permissions of models added later join the roles that cover them. Runs once, after the
    last app's post_migrate, when every app's permissions exist."""
    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    from django.contrib.auth.models import Group, Permission

    from .roles import sync_roles

    sync_roles(Group, Permission)


class WBPortalConfig(AppConfig):
    """The project package as an app: shared template tags, site-wide commands, roles."""

    name = "wbportal"
    verbose_name = "WB Portal"

    def ready(self):
        post_migrate.connect(
            sync_roles_after_migrate, dispatch_uid="wbportal.sync_roles_after_migrate"
        )
