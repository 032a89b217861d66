"""The SDMX files: an indicator's figures, a selection of indicators' figures, and the
structure they refer to. Plain responses (not streamed) of public figures only, the same for
every visitor: the page cache keeps them until the data changes, as the other downloads."""

import re
from typing import Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseNotFound,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView

from ..downloads import content_disposition, file_stem, max_rows
from ..models import Indicator, Observation
from ..views import IndicatorMixin
from .csv import DATA_MEDIA_TYPE, SdmxFile, TooLarge, sdmx_csv
from .structure import STRUCTURE_MEDIA_TYPE, structure_xml

# The most indicators one selection may name.
MAX_INDICATORS = 20
# Longer than any selection of MAX_INDICATORS codes can be: refused before it is read.
MAX_QUERY_LENGTH = MAX_INDICATORS * 81
_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


def _structure_link() -> str:
    url = reverse("statistics:sdmx-structure")
    return f'<{url}>; rel="describedby"; type="application/vnd.sdmx.structure+xml"'


def data_response(built: SdmxFile, code: str) -> HttpResponse:
    response = HttpResponse(built.content, content_type=DATA_MEDIA_TYPE)
    name = file_stem(code, "", built.first_period, built.last_period, "sdmx") + ".csv"
    response["Content-Disposition"] = content_disposition(name)
    response["Link"] = _structure_link()
    return response


def too_large() -> HttpResponse:
    return HttpResponse(
        _("This SDMX file would be too large to build; choose fewer indicators or places."),
        status=413,
        content_type="text/plain; charset=utf-8",
    )


def bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class IndicatorSDMXView(IndicatorMixin, DetailView):
    """An indicator's public figures as SDMX-CSV 2.0 (`?places=AL,RS` as its other
    downloads: canonical, else sent there)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Its readers are programs: a sentence in plain text, not the site's HTML 404 page.
        try:
            return super().get(request, *args, **kwargs)
        except Http404 as error:
            if isinstance(getattr(self, "object", None), Indicator):
                message = str(error)
            else:
                message = _("No indicator has this code.")
            return HttpResponseNotFound(f"{message}\n", content_type="text/plain; charset=utf-8")

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        try:
            built = sdmx_csv(self.public_observations(), max_rows())
        except TooLarge:
            return too_large()
        return data_response(built, self.object.code)


class SDMXDataView(View):
    """The public figures of the indicators named by `?indicators=a,b` (at most
    MAX_INDICATORS) as one SDMX-CSV 2.0 file. A clear 400 for none, too many or an unknown
    code; another spelling of a valid selection (order, repeats, several parameters) is sent
    to the canonical one: the codes sorted, once each, one cached copy a selection."""

    page_cache_query_params = ("indicators",)

    def get(self, request: HttpRequest) -> HttpResponseBase:
        raw = request.GET.getlist("indicators")
        if sum(len(part) for part in raw) > MAX_QUERY_LENGTH:
            return bad_request(
                _("Too many indicators: name at most %(count)s.") % {"count": MAX_INDICATORS}
            )
        codes = [code.strip() for part in raw for code in part.split(",") if code.strip()]
        if not codes:
            return bad_request(
                _(
                    "Name the indicators by their codes: ?indicators=code,code (at most "
                    "%(count)s). The codes are in the addresses of the indicators' pages."
                )
                % {"count": MAX_INDICATORS}
            )
        chosen = sorted(set(codes))
        if len(chosen) > MAX_INDICATORS:
            return bad_request(
                _("Too many indicators: %(given)s named, at most %(count)s.")
                % {"given": len(chosen), "count": MAX_INDICATORS}
            )
        valid = [code for code in chosen if _CODE.match(code)]
        known = set(Indicator.objects.filter(code__in=valid).values_list("code", flat=True))
        unknown = [code for code in chosen if code not in known]
        if unknown:
            message = ngettext(
                "Unknown indicator: %(codes)s.", "Unknown indicators: %(codes)s.", len(unknown)
            )
            return bad_request(message % {"codes": ", ".join(unknown)})
        canonical = ",".join(chosen)
        if raw != [canonical]:
            return HttpResponseRedirect(f"{request.path}?indicators={canonical}")
        observations = Observation.objects.public().filter(indicator__code__in=chosen)
        try:
            built = sdmx_csv(observations, max_rows())
        except TooLarge:
            return too_large()
        name = chosen[0] if len(chosen) == 1 else f"{len(chosen)}-indicators"
        return data_response(built, name)


class SDMXStructureView(View):
    """The data structure (DSD), its concepts, code lists and dataflow: SDMX-ML 2.1."""

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(structure_xml(), content_type=STRUCTURE_MEDIA_TYPE)
        response["Content-Disposition"] = content_disposition(
            "wbportal-sdmx-structure.xml", attachment=False
        )
        return response
