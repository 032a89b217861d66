"""The SDMX structure message (/statistics/sdmx/structure.xml) reads with sdmx1: the
dataflow, its DSD with the four dimensions, the measure and the attributes, and the code
lists of public content (Kosovo* named with its marker and its footnote)."""

from statistics.models import Indicator

import pytest

from regions.models import Country, Region
from tests.factories import IndicatorFactory

from .reading import codes, read_structure

pytestmark = pytest.mark.django_db


def test_dsd_reads_with_sdmx1(client, demo):
    structure = read_structure(client)
    dataflow = structure.dataflow["DF_INDICATORS"]
    dsd = structure.structure["DSD_INDICATORS"]
    assert dataflow.structure is dsd
    assert str(dsd.maintainer) == "WBPORTAL" and dsd.version == "1.0"
    assert [d.id for d in dsd.dimensions.components] == [
        "INDICATOR",
        "REF_AREA",
        "CATEGORY",
        "TIME_PERIOD",
    ]
    assert [m.id for m in dsd.measures.components] == ["OBS_VALUE"]
    assert [a.id for a in dsd.attributes.components] == [
        "OBS_STATUS",
        "VALUE_QUALIFIER",
        "UNIT_MEASURE",
        "SOURCE",
        "COMPUTED",
        "AREA_LABEL",
        "COMMENT_OBS",
    ]
    # Each coded component is enumerated by the code list of the same message.
    area = dsd.dimensions.get("REF_AREA")
    assert area.local_representation.enumerated is structure.codelist["CL_AREA"]
    status = dsd.attributes.get("OBS_STATUS")
    assert status.local_representation.enumerated is structure.codelist["CL_OBS_STATUS"]


def test_code_lists_hold_the_public_content(client, demo):
    structure = read_structure(client)
    assert set(codes(structure, "CL_INDICATOR")) == set(
        Indicator.objects.values_list("code", flat=True)
    )
    areas = codes(structure, "CL_AREA")
    public = set(Country.objects.public().values_list("iso_code", flat=True))
    public |= set(Region.objects.published().values_list("code", flat=True))
    assert set(areas) == public
    kosovo = Country.objects.get(iso_code="XK")
    assert kosovo.footnote
    assert areas["XK"] == "Kosovo*"
    notes = structure.codelist["CL_AREA"]["XK"].annotations
    assert [(n.type, str(n.text)) for n in notes] == [("FOOTNOTE", kosovo.footnote)]
    # SDMX's own observation status codes, only those a portal status says.
    assert codes(structure, "CL_OBS_STATUS") == {
        "A": "Normal value",
        "P": "Provisional value",
        "E": "Estimated value",
        "O": "Missing value",
        "Q": "Missing value; suppressed",
    }
    assert set(codes(structure, "CL_VALUE_QUALIFIER")) == {"MORE_THAN", "LESS_THAN", "ABOUT"}
    assert codes(structure, "CL_CATEGORY")["_T"] == "Total"
    assert "Syrian Arab Republic" in codes(structure, "CL_CATEGORY").values()


def test_structure_is_cacheable_and_named(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/statistics/sdmx/structure.xml")
    assert response.status_code == 200
    assert not response.streaming  # the page cache stores only whole responses
    assert "wbportal-sdmx-structure.xml" in response["Content-Disposition"]


def test_text_xml_cannot_hold_is_left_out_not_a_broken_message(client, demo):
    IndicatorFactory(code="odd-name", name="Arrivals\x0b by sea\x1f")
    structure = read_structure(client)
    assert codes(structure, "CL_INDICATOR")["odd-name"] == "Arrivals by sea"
