"""The API shows what the public pages show, and nothing else: no draft area or its data, no
draft or scheduled project or document, no data release before its time."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import get_json


def all_results(client, url):
    data = get_json(client, f"{url}{'&' if '?' in url else '?'}limit=1000")
    assert data["pages"] == 1
    return data["results"]


def test_draft_area_its_data_and_staged_releases_stay_out(world, api, staff_client):
    for client in (api, staff_client):  # signed in or not: the same public answer
        rows = all_results(client, "/api/v1/observations?indicator=api-arrivals")
        periods = {(r["area"], r["period"]) for r in rows}
        assert ("RS", "2014") in periods  # a release whose time has come
        assert ("RS", "2025") not in periods  # held
        assert ("RS", "2026") not in periods  # scheduled for tomorrow
        assert not {r["area"] for r in rows} & {
            world.draft_region.code,
            world.draft_country.iso_code,
        }
        assert all(r["value"] not in (7, 8, 99) for r in rows)


def test_a_draft_area_is_unknown_everywhere(world, api):
    for code in (world.draft_region.code, world.draft_country.iso_code):
        error = get_json(api, f"/api/v1/observations?area={code}", status=400)
        assert error["param"] == "area"
        get_json(api, f"/api/v1/areas/{code}", status=404)
    codes = {a["code"] for a in all_results(api, "/api/v1/areas")}
    assert {"WB", "RS", "XK"} <= codes
    assert not codes & {world.draft_region.code, world.draft_country.iso_code}


def test_an_area_names_only_public_neighbours(world, api):
    region = get_json(api, "/api/v1/areas/WB")
    assert "RS" in region["countries"] and world.draft_country.iso_code not in region["countries"]
    kosovo = get_json(api, "/api/v1/areas/xk")
    assert kosovo["name"] == "Kosovo*" and kosovo["footnote"]


def test_releasing_data_shows_it(world, api):
    release = world.hidden[2].release
    release.release_at = timezone.now() - timedelta(seconds=1)
    release.save()
    rows = all_results(api, "/api/v1/observations?indicator=api-arrivals&area=RS")
    assert "2025" in {r["period"] for r in rows}


def test_indicator_counts_only_public_values(world, api):
    indicator = get_json(api, "/api/v1/indicators/api-arrivals")
    # 10 years + the released 2014 for Serbia, 2 for Kosovo*, 2 categories for the region.
    assert indicator["observation_count"] == 15
    assert indicator["first_period"] == "2014"
    assert [s["code"] for s in indicator["sources"]] == ["api-source"]
    assert indicator["sources"][0]["licence"]["name"] == "CC BY 4.0"
    assert indicator["sources"][0]["citation"] == "UNHCR, Refugee Data Finder."
    assert indicator["data_files"]["csv"] == "http://testserver/statistics/api-arrivals.csv"


def test_projects_and_documents_only_published(world, api):
    slugs = {p["slug"] for p in all_results(api, "/api/v1/projects")}
    assert "api-project" in slugs
    assert not slugs & {"api-draft", "api-scheduled"}
    for slug in ("api-draft", "api-scheduled", "no-such-project"):
        get_json(api, f"/api/v1/projects/{slug}", status=404)
    project = get_json(api, "/api/v1/projects/api-project")
    assert project["regions"] == ["WB"]  # not the draft region
    assert project["countries"] == ["RS"]  # not the draft region's country
    assert project["indicators"] == ["api-arrivals"]

    slugs = {d["slug"] for d in all_results(api, "/api/v1/documents")}
    assert "api-document" in slugs and "api-draft-document" not in slugs
    get_json(api, "/api/v1/documents/api-draft-document", status=404)
    document = get_json(api, "/api/v1/documents/api-document")
    assert document["projects"] == ["api-project"]  # not the draft project
    assert document["file"] is None and document["note_without_file"]


def test_withdrawing_a_project_takes_it_out(world, api):
    world.project.unpublish_at = timezone.now() - timedelta(seconds=1)
    world.project.save()
    get_json(api, "/api/v1/projects/api-project", status=404)


@pytest.mark.parametrize(
    "url", ["/api/v1/areas", "/api/v1/indicators", "/api/v1/projects", "/api/v1/documents"]
)
def test_every_list_costs_the_same_queries_whatever_the_page_size(world, api, url):
    counts = []
    get_json(api, url)  # reads the site settings (then kept for the data generation)
    for limit in (1, 100):
        with CaptureQueriesContext(connection) as queries:
            data = get_json(api, f"{url}?limit={limit}")
        assert len(data["results"]) == min(limit, data["count"])
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert data["count"] > 1
