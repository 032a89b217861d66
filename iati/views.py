"""The public IATI files: every published project that IATI can take, and one project.

Served like every public download: anonymous GETs go through the page cache, and any change
of a project, an organisation, a document or the site settings starts a new cache
generation (pagecache), so a file is never older than the data behind it.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from pages.models import SiteSettings
from projects.models import Project
from regions.footnotes import footnoted_countries

from .building import Publisher, activities_xml, missing, now_and_today, split

CONTENT_TYPE = "application/xml; charset=utf-8"


def _xml_response(data, file_name):
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{file_name}"'
    return response


def _publisher():
    publisher = Publisher.from_site(SiteSettings.objects.current())
    if publisher.missing():
        raise Http404(_("The portal publishes no IATI file yet."))
    return publisher


class ActivitiesView(View):
    """/iati/activities.xml: every published project that has all IATI requires."""

    http_method_names = ["get", "head"]
    page_cache_query_params = ()

    def get(self, request):
        publisher = _publisher()
        now, today = now_and_today()
        complete, _left_out = split(Project.objects.published().for_iati(), publisher, today)
        if not complete:
            # IATI's schema wants at least one activity in a file.
            raise Http404(_("No project is published as an IATI activity yet."))
        return _xml_response(
            activities_xml(complete, publisher, now, footnoted_countries()), "activities.xml"
        )


class ActivityView(View):
    """/iati/activities/<slug>.xml: one published project, if it has all IATI requires."""

    http_method_names = ["get", "head"]
    page_cache_query_params = ()

    def get(self, request, slug):
        publisher = _publisher()
        project = get_object_or_404(Project.objects.published().for_iati(), slug=slug)
        now, today = now_and_today()
        if missing(project, publisher, today):
            raise Http404(_("This project is not published as an IATI activity yet."))
        return _xml_response(
            activities_xml([project], publisher, now, footnoted_countries()),
            f"{project.slug}.xml",
        )
