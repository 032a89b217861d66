"""Bad input gets a 400 (or 404) in JSON with a message naming the parameter, never a 500."""

import pytest

from tests.api.conftest import get_json

OBS = "/api/v1/observations"


@pytest.mark.parametrize(
    "query, param, words",
    [
        ("indicator=no-such-indicator", "indicator", "Unknown indicator"),
        ("indicator=api-arrivals,nope", "indicator", "nope"),
        ("indicator=bad%20code", "indicator", "not a code"),
        ("area=ZZ", "area", "Unknown area"),
        ("area=R1", "area", "not an area code"),
        ("period_from=2024-13", "period_from", "not an ISO 8601 period"),
        ("period_to=last%20year", "period_to", "not an ISO 8601 period"),
        ("period_from=2025&period_to=2020", "period_to", "before"),
        ("status=draft", "status", "not one of"),
        ("sort=secret", "sort", "not a sort key"),
        ("sort=a,b,c,d,e", "sort", "at most 4"),
        ("page=0", "page", "greater than or equal to 1"),
        ("page=abc", "page", "integer"),
        ("page=999", "page", "out of range"),
        ("limit=1001", "limit", "less than or equal to 1000"),
        ("limit=-5", "limit", "greater than or equal to 1"),
        ("limit=1e3", "limit", "integer"),
        ("page=99999999999999999999999", "page", "less than or equal"),
        ("category=%00", "category", "control characters"),
        ("indicator=" + ",".join(f"i{n}" for n in range(25)), "indicator", "at most 20"),
        ("indicator=" + "x" * 5000, "indicator", "at most 4200"),
        ("area=,,,", "area", "empty"),
    ],
)
def test_bad_filters_are_400_with_a_message(world, api, query, param, words):
    error = get_json(api, f"{OBS}?{query}", status=400)
    assert error["error"] == "bad_request"
    assert error["param"] == param
    assert words in error["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/areas/%00",
        "/api/v1/areas/" + "A" * 300,
        "/api/v1/indicators/%00",
        "/api/v1/indicators/no-such",
        "/api/v1/projects/%E2%80%AE",
        "/api/v1/documents/..%2F..%2Fetc",
        "/api/v1/nothing-here",
        "/api/v2/observations",
        "/api/",
    ],
)
def test_unknown_addresses_are_json_404(world, api, path):
    error = get_json(api, path, status=404)
    assert error["error"] == "not_found"
    assert error["message"]


def test_odd_but_harmless_parameters(world, api):
    # Unknown parameters are ignored; repeated codes count once; case of area codes too.
    data = get_json(api, f"{OBS}?indicator=api-arrivals,api-arrivals&area=rs,RS&utm=x&limit=1")
    assert data["count"] == 11
    # Other methods are refused, not answered.
    for response in (api.post(OBS), api.delete(OBS), api.put("/api/v1/areas/RS")):
        assert response.status_code == 405
        assert response.json()["error"] == "method_not_allowed"
        assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "query, param",
    [
        ("indicator=api-arrivals&indicator=api-share", "indicator"),
        ("page=1&page=2&limit=1", "page"),
        ("area=RS&area=XK", "area"),
    ],
)
def test_a_repeated_parameter_is_refused_not_half_read(world, api, query, param):
    # Read silently as its last value, it gave the figures of one indicator for a question
    # about two.
    error = get_json(api, f"{OBS}?{query}", status=400)
    assert error["param"] == param
    assert "more than once" in error["message"]
    assert get_json(api, "/api/v1/projects?status=closed&status=pipeline", status=400)
