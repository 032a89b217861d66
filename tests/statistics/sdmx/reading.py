"""Reading the SDMX files back as a consumer does, with the sdmx1 library (`import sdmx`):
the structure message first, then the SDMX-CSV against its dataflow. The expected codes are
written out here, not imported from the code under test, so a changed mapping fails."""

import datetime
import io
import re
from decimal import Decimal

import sdmx

from formatting.periods import parse_period

# The portal's status -> SDMX's observation status code (CL_OBS_STATUS); "" for none.
EXPECTED_OBS_STATUS = {
    "as_published": "",
    "final": "A",
    "provisional": "P",
    "estimated": "E",
    "not_available": "O",
    "suppressed": "Q",
}
EXPECTED_QUALIFIER = {"": "", "more_than": "MORE_THAN", "less_than": "LESS_THAN", "about": "ABOUT"}
DATA_TYPE = "application/vnd.sdmx.data+csv;version=2.0.0"
STRUCTURE_TYPE = "application/vnd.sdmx.structure+xml; version=2.1"


def read_structure(client):
    response = client.get("/statistics/sdmx/structure.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == STRUCTURE_TYPE
    return sdmx.read_sdmx(io.BytesIO(response.content), format="XML")


def read_data(client, url, structure):
    """[(key dict, value text, attribute dict)] of every row, and the response."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    assert response["Content-Type"] == DATA_TYPE
    dataflow = structure.dataflow["DF_INDICATORS"]
    message = sdmx.read_sdmx(io.BytesIO(response.content), format="CSV", structure=dataflow)
    rows = []
    for dataset in message.data:
        assert dataset.action.name == "information"
        for obs in dataset.obs:
            key = {dimension: kv.value for dimension, kv in obs.dimension.values.items()}
            attributes = {name: av.value for name, av in obs.attached_attribute.items()}
            rows.append((key, obs.value, attributes))
    return rows, response


def add_duration(start, duration):
    """start + an ISO 8601 duration of years, months and days (SDMX's time range length)."""
    match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?", duration)
    assert match and any(match.groups()), duration
    years, months, days = (int(part or 0) for part in match.groups())
    index = start.month - 1 + years * 12 + months
    year, month = start.year + index // 12, index % 12 + 1
    last_day = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30,
                31, 30, 31, 31, 30, 31, 30, 31][month - 1]  # fmt: skip
    moved = datetime.date(year, month, min(start.day, last_day))
    return moved + datetime.timedelta(days=days)


def period_bounds(time_period):
    """(first day, last day) of a TIME_PERIOD: a period as the portal writes it (read with
    its own parser), or a time range's first day and length."""
    if "/" not in time_period:
        period = parse_period(time_period)
        return period.start, period.end
    start_text, duration = time_period.split("/")
    start = datetime.date.fromisoformat(start_text)
    return start, add_duration(start, duration) - datetime.timedelta(days=1)


def codes(structure, codelist):
    return {code.id: str(code.name) for code in structure.codelist[codelist]}


def assert_matches_database(rows, observations, structure):
    """Every row is one public observation and every one has its row: indicator, area,
    category (through CL_CATEGORY's names), period, value, status, qualifier, unit, source,
    computed, area label and note; every coded value is a code of its list."""
    by_key = {
        (o.indicator.code, o.area_code, o.category, o.period_start, o.period_end): o
        for o in observations
    }
    assert len(by_key) == len(observations)
    categories = codes(structure, "CL_CATEGORY")
    areas = codes(structure, "CL_AREA")
    indicators = codes(structure, "CL_INDICATOR")
    sources = codes(structure, "CL_SOURCE")
    statuses = codes(structure, "CL_OBS_STATUS")
    qualifiers = codes(structure, "CL_VALUE_QUALIFIER")
    computed = codes(structure, "CL_COMPUTED")
    seen = []
    for key, value, attributes in rows:
        assert key["REF_AREA"] in areas and key["INDICATOR"] in indicators
        category = "" if key["CATEGORY"] == "_T" else categories[key["CATEGORY"]]
        start, end = period_bounds(key["TIME_PERIOD"])
        observation = by_key[(key["INDICATOR"], key["REF_AREA"], category, start, end)]
        if "/" not in observation.period:
            assert key["TIME_PERIOD"] == observation.period
        seen.append(observation.pk)
        if observation.value is None:
            assert value == ""
        else:
            assert Decimal(value) == observation.value
        assert attributes["OBS_STATUS"] == EXPECTED_OBS_STATUS[observation.status]
        assert attributes["OBS_STATUS"] in statuses or attributes["OBS_STATUS"] == ""
        assert attributes["VALUE_QUALIFIER"] == EXPECTED_QUALIFIER[observation.qualifier]
        assert attributes["VALUE_QUALIFIER"] in {"", *qualifiers}
        assert attributes["UNIT_MEASURE"] == observation.indicator.unit
        source = observation.source.code if observation.source else ""
        assert attributes["SOURCE"] == source
        assert source == "" or source in sources
        assert attributes["COMPUTED"] == ("PORTAL" if observation.is_derived else "")
        assert attributes["COMPUTED"] in {"", *computed}
        assert attributes["AREA_LABEL"] == observation.area_label
        assert attributes["COMMENT_OBS"] == observation.note
    assert sorted(seen) == sorted(o.pk for o in observations)
