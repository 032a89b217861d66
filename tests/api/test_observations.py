"""/api/v1/observations: what each observation says, the filters, sorting and pages."""

import pytest

from tests.api.conftest import get_json

URL = "/api/v1/observations"


def results(client, query):
    return get_json(client, f"{URL}?{query}")["results"]


def test_an_observation_says_what_the_portal_says(world, api):
    rows = results(api, "indicator=api-arrivals&area=XK&sort=period")
    more_than, suppressed = rows
    assert more_than == {
        "indicator": "api-arrivals",
        "area": "XK",
        "area_kind": "country",
        "area_name": "Kosovo*",
        "area_footnote": world.kosovo.footnote,
        "area_label": None,
        "period": "2024-Q1",
        "period_label": "Q1 2024",
        "period_start": "2024-01-01",
        "period_end": "2024-03-31",
        "category": "",
        "value": 1234.5,
        "value_label": "more than 1,235",
        "qualifier": "more_than",
        "qualifier_label": "more than",
        "status": "as_published",
        "status_label": "As published",
        "unit": "people",
        "note": "",
        "computed": False,
        "source": {
            "code": "api-source",
            "name": "Api Source",
            "attribution": "UNHCR: Api Source",
            "licence": {
                "name": "CC BY 4.0",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            },
            "terms_stated": True,
        },
    }
    assert world.kosovo.footnote
    # No number where the source gives none: null, never a zero.
    assert suppressed["value"] is None
    assert suppressed["value_label"] == "suppressed"
    assert suppressed["status"] == "suppressed"


def test_own_compilation_is_under_the_portal_licence_and_percentages_read_so(world, api):
    (row,) = results(api, "indicator=api-share")
    assert row["value_label"] == "12.4%"  # the indicator's one decimal, rounded half up
    assert row["period_label"] == "March 2024"
    assert row["source"]["licence"] is not None
    assert row["source"]["licence"]["name"]  # the site settings' data licence


def test_filters(world, api):
    def periods(query):
        return [r["period"] for r in results(api, f"indicator=api-arrivals&{query}")]

    assert periods("area=RS&period_from=2020&period_to=2022&sort=period") == [
        "2020",
        "2021",
        "2022",
    ]
    assert periods("area=rs&period_from=2023-Q2&sort=-period") == ["2024"]
    assert periods("area=RS&status=provisional&sort=period") == ["2023", "2024"]
    assert periods("category=Syria") == ["2016/2024"]
    # Empty category: totals only.
    assert "2016/2024" not in periods("category=&limit=1000")
    assert set(periods("area=XK,WB")) == {"2024-Q1", "2024-Q2", "2016/2024"}
    both = results(api, "indicator=api-arrivals,api-share&area=WB")
    assert {r["indicator"] for r in both} == {"api-arrivals", "api-share"}


def test_sorting(world, api):
    rows = results(api, "indicator=api-arrivals&area=RS&sort=-value&limit=3")
    assert [r["value"] for r in rows] == [3024, 3023, 3022]
    rows = results(api, "indicator=api-arrivals&sort=area,-period&limit=100")
    assert [r["area"] for r in rows] == sorted(r["area"] for r in rows)


def test_pages(world, api):
    first = get_json(api, f"{URL}?indicator=api-arrivals&area=RS&limit=4")
    assert (first["count"], first["pages"], first["page"]) == (11, 3, 1)
    assert first["previous"] is None
    assert first["next"] == (
        "http://testserver/api/v1/observations?area=RS&indicator=api-arrivals&limit=4&page=2"
    )
    last = get_json(api, first["next"].replace("http://testserver", "").replace("page=2", "page=3"))
    assert len(last["results"]) == 3
    assert last["next"] is None
    seen = [r["period"] for r in first["results"]]
    second = get_json(api, first["next"].replace("http://testserver", ""))
    seen += [r["period"] for r in second["results"]] + [r["period"] for r in last["results"]]
    assert len(set(seen)) == 11


@pytest.mark.parametrize("limit", [1, 100])
def test_query_count_does_not_grow_with_the_page(world, api, limit, django_assert_num_queries):
    # The indicator and the areas checked, the count, the page, the site settings.
    with django_assert_num_queries(6):
        data = get_json(api, f"{URL}?indicator=api-arrivals,api-share&area=RS,XK,WB&limit={limit}")
    assert len(data["results"]) == min(limit, data["count"])
    assert data["count"] > 1
