"""Django's admin app with the audited site (audit/sites.py) as `admin.site`: named in
INSTALLED_APPS in place of "django.contrib.admin". A module of its own because an app config
is imported before the models are ready, and the site's recorders need them."""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "audit.sites.AuditedAdminSite"
