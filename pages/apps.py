from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_site_settings_row(sender, using, apps=global_apps, **kwargs):
    """The one settings row exists after every migrate and flush, as migration 0002 first made
    it (a flush, e.g. after a test that commits, empties every table and then sends
    post_migrate)."""
    try:
        site_settings = apps.get_model("pages", "SiteSettings")
    except LookupError:  # migrated back to before the table existed
        return
    rows = site_settings.objects.using(using)
    if not rows.filter(pk=1).exists():  # models.SITE_SETTINGS_PK
        # Without save signals, as the data migration made it: the row is the same as on a
        # new database, with nothing recorded about it (e.g. no links index entries).
        rows.bulk_create([site_settings(pk=1)])


class PagesConfig(AppConfig):
    """The publisher's identity (site settings) and its own pages (About, Imprint, ...)."""

    name = "pages"
    verbose_name = _("Site and pages")

    def ready(self):
        post_migrate.connect(
            ensure_site_settings_row, sender=self, dispatch_uid="pages.ensure_site_settings_row"
        )
