"""The admin site: Django's, with every registered ModelAdmin recording its steps in the
audit log (audit/recorders.py). Installed as the default site by
`audit.admin_app.AuditedAdminConfig` (in INSTALLED_APPS in place of "django.contrib.admin"),
so `admin.site` and `@admin.register` everywhere are this site."""

from django.contrib import admin

from staff.login import StaffLoginForm

from .recorders import AuditedModelAdminMixin


class AuditedAdminSite(admin.AdminSite):
    login_form = StaffLoginForm

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdminMixin):
            # The same class with the recorder in front: one place for every model, those of
            # Django's own apps (users, groups) and of apps added later included.
            admin_class = type(
                admin_class.__name__,
                (AuditedModelAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)
