"""The public IATI files: every published project that IATI can take, and one project.

Served like every public download: anonymous GETs go through the page cache, and any change
of a project, an organisation, a document or the site settings starts a new cache
generation (pagecache), so a file is never older than the data behind it.
"""

from django.http import HttpResponse, HttpResponseNotFound
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


class NotPublished(Exception):
    """No file here; the message says why (a 404 in plain text: the file's readers are
    programs as often as people)."""


def _not_found(error):
    return HttpResponseNotFound(f"{error}\n", content_type="text/plain; charset=utf-8")


def _publisher():
    publisher = Publisher.from_site(SiteSettings.objects.current())
    if publisher.missing():
        raise NotPublished(_("The portal publishes no IATI file yet."))
    return publisher


class ActivitiesView(View):
    """/iati/activities.xml: every published project that has all IATI requires."""

    http_method_names = ["get", "head"]
    page_cache_query_params = ()

    def get(self, request):
        try:
            publisher = _publisher()
        except NotPublished as error:
            return _not_found(error)
        now, today = now_and_today()
        complete, _left_out = split(Project.objects.published().for_iati(), publisher, today)
        if not complete:
            # IATI's schema wants at least one activity in a file.
            return _not_found(_("No project is published as an IATI activity yet."))
        return _xml_response(
            activities_xml(complete, publisher, now, footnoted_countries()), "activities.xml"
        )


class ActivityView(View):
    """/iati/activities/<slug>.xml: one published project, if it has all IATI requires."""

    http_method_names = ["get", "head"]
    page_cache_query_params = ()

    def get(self, request, slug):
        try:
            publisher = _publisher()
        except NotPublished as error:
            return _not_found(error)
        project = Project.objects.published().for_iati().filter(slug=slug).first()
        if project is None:
            return _not_found(_("No published project has this address."))
        now, today = now_and_today()
        if missing(project, publisher, today):
            return _not_found(_("This project is not published as an IATI activity yet."))
        return _xml_response(
            activities_xml([project], publisher, now, footnoted_countries()),
            f"{project.slug}.xml",
        )
