from django.utils.translation import gettext_lazy as _

from projects.models import Project


class IatiActivity(Project):
    """The admin's view of projects as IATI activities (what each one still needs): a proxy,
    no table of its own; the projects are edited in their own admin."""

    class Meta:
        proxy = True
        verbose_name = _("IATI activity")
        verbose_name_plural = _("IATI activities (what is missing)")
