from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate

from .roles import sync_roles


def sync_roles_after_migrate(sender, **kwargs):
    """Keep the role groups in step with staff/roles.py after every migrate, so that
    permissions of models added later join the roles that cover them. Runs once, after the
    last app's post_migrate (Django sends it only for apps with models), when every app's
    permissions exist."""
    apps_with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label != apps_with_models[-1].label:
        return
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class StaffConfig(AppConfig):
    """Staff accounts and what they may do: the editorial roles (groups and their
    permissions, kept in step after every migrate), the commands that grant them or create a
    local superuser, and the "Edit this page" link staff see on public pages."""

    name = "staff"
    verbose_name = "Staff"

    def ready(self):
        post_migrate.connect(
            sync_roles_after_migrate, dispatch_uid="staff.sync_roles_after_migrate"
        )
