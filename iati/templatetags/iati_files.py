"""Links to the IATI files, shown only where the file exists (never a link to a 404)."""

from django import template
from django.urls import reverse

from projects.models import Project

from ..building import Publisher, any_complete, missing, now_and_today

register = template.Library()


@register.simple_tag
def iati_activity_url(project, site_settings):
    """The address of `project`'s IATI file, or "" while it has none: not public, or
    missing something. Reads the relations the project page prefetched (no query)."""
    publisher = Publisher.from_site(site_settings)
    if publisher.missing() or not getattr(project, "is_live", project.is_public_now):
        return ""
    _now, today = now_and_today()
    if missing(project, publisher, today):
        return ""
    return reverse("iati:activity", kwargs={"slug": project.slug})


@register.simple_tag
def iati_activities_url(site_settings):
    """The address of the whole IATI file, or "" while it holds no project. No query unless
    the site settings name the reporting organisation."""
    publisher = Publisher.from_site(site_settings)
    if publisher.missing():
        return ""
    _now, today = now_and_today()
    found = any_complete(Project.objects.published().for_iati(), publisher, today)
    return reverse("iati:activities") if found else ""
