"""HTTP around the API: conditional requests, CORS, the page cache and the rate limit."""

import pytest
import time_machine
from django.core.cache import caches

import pagecache
from tests.api.conftest import get_json

OBS = "/api/v1/observations?indicator=api-arrivals&area=RS"


def test_etag_answers_304_and_head_matches(world, api):
    first = api.get(OBS)
    assert first.status_code == 200
    etag = first["ETag"]
    assert "public" in first["Cache-Control"]
    again = api.get(OBS, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    head = api.head(OBS)
    assert head.status_code == 200 and head["ETag"] == etag
    # Another answer, another tag.
    other = api.get(OBS + "&limit=1", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200 and other["ETag"] != etag


def test_a_change_changes_the_etag(world, api):
    etag = api.get(OBS)["ETag"]
    world.source.licence = "CC BY-SA 4.0"
    world.source.save()
    changed = api.get(OBS, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert b"CC BY-SA 4.0" in changed.content


def test_cors_for_reading_only_without_credentials(world, api):
    response = api.get(OBS, HTTP_ORIGIN="https://reader.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = api.options(
        OBS, HTTP_ORIGIN="https://reader.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    allowed = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    # The indicator's data files too; the site's pages not.
    csv = api.get("/statistics/api-arrivals.csv", HTTP_ORIGIN="https://reader.example")
    assert csv["Access-Control-Allow-Origin"] == "*"
    page = api.get("/statistics/api-arrivals/", HTTP_ORIGIN="https://reader.example")
    assert "Access-Control-Allow-Origin" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/statistics/api-arrivals/sdmx.csv",
        "/statistics/sdmx/data.csv?indicators=api-arrivals",
        "/statistics/sdmx/structure.xml",
        "/catalog.jsonld",
        "/iati/activities.xml",
        "/iati/activities/api-project.xml",
    ],
)
def test_the_other_open_data_files_may_be_read_from_any_origin(world, api, url):
    # A browser tool (an SDMX data explorer, a catalogue harvester) reads them cross-origin,
    # as it reads the API; a 404 says so to it too.
    response = api.get(url, HTTP_ORIGIN="https://reader.example")
    assert response.status_code in (200, 404), response.status_code
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "tests.pagecache.doubles.RecordingCache", "LOCATION": "api"}
    }
    caches["default"].clear()
    pagecache.reset()


def test_answers_come_from_the_page_cache_and_go_stale_on_a_change(
    world, api, page_cache_on, django_assert_num_queries
):
    first = api.get(OBS + "&utm_source=x")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = api.get(OBS)  # the unknown parameter was not part of the key
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content == first.content
    assert api.get(OBS, HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304
    world.serbia.name = "Serbia (renamed)"
    world.serbia.save()
    fresh = api.get(OBS)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Serbia (renamed)" in fresh.json()["results"][0]["area_name"]
    # Errors are never stored.
    api.get("/api/v1/observations?area=ZZ")
    assert api.get("/api/v1/observations?area=ZZ")["X-Page-Cache"] == "miss"


@pytest.fixture
def clock():
    """Time stands still a few seconds into a window of the limit (windows are aligned on
    multiples of API_RATE_LIMIT_SECONDS), so no test sees its window end half-way."""
    with time_machine.travel("2026-12-07 12:00:05 +0000", tick=False) as traveller:
        yield traveller


def test_rate_limit_is_json_429_with_retry_after(world, api, settings, clock):
    settings.API_RATE_LIMIT = 3
    for _ in range(3):
        assert api.get("/api/v1/areas").status_code == 200
    refused = api.get("/api/v1/areas", HTTP_ORIGIN="https://reader.example")
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= settings.API_RATE_LIMIT_SECONDS
    assert refused["Access-Control-Allow-Origin"] == "*"  # a browser client can read why
    assert refused["Retry-After"] == "55"
    clock.shift(54)
    assert api.get("/api/v1/areas").status_code == 429
    clock.shift(1)  # a new window
    assert api.get("/api/v1/areas").status_code == 200
    # The site's pages are not counted.
    assert api.get("/statistics/").status_code == 200


def test_x_forwarded_for_does_not_reset_the_limit(world, api, settings, clock):
    settings.API_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: REMOTE_ADDR, whatever the header says
    for n in range(2):
        assert api.get("/api/v1/areas", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code == 200
    for n in range(2, 5):
        assert api.get("/api/v1/areas", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code == 429


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(world, api, settings, clock):
    settings.API_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1  # nginx appends the address it saw

    def get(forwarded):
        return api.get("/api/v1/areas", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert get("203.0.113.7") == 200
    assert get("1.1.1.1, 203.0.113.7") == 200
    # What the client wrote to the left of its own address changes nothing.
    assert get("9.9.9.9, 203.0.113.7") == 429
    assert get("203.0.113.8") == 200  # another client has its own count


def test_ipv6_clients_are_counted_by_their_64(world, api, settings, clock):
    settings.API_RATE_LIMIT = 2
    for host in ("1", "2"):
        assert api.get("/api/v1/areas", REMOTE_ADDR=f"2001:db8::{host}").status_code == 200
    assert api.get("/api/v1/areas", REMOTE_ADDR="2001:db8::3").status_code == 429
    assert api.get("/api/v1/areas", REMOTE_ADDR="2001:db8:1::1").status_code == 200


def test_a_cached_answer_counts_too(world, api, page_cache_on, settings, clock):
    settings.API_RATE_LIMIT = 2
    assert api.get("/api/v1/areas").status_code == 200
    hit = api.get("/api/v1/areas")
    assert hit["X-Page-Cache"] == "hit"
    assert api.get("/api/v1/areas").status_code == 429


def test_the_api_answers_while_the_counter_store_is_down(world, api, settings, monkeypatch):
    settings.API_RATE_LIMIT = 1

    class Down:
        def incr(self, key, timeout):
            raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache, "shared_store", lambda: Down())
    for _ in range(3):
        get_json(api, "/api/v1/areas")


def test_no_other_header_or_spelling_of_the_address_resets_the_limit(world, api, settings, clock):
    settings.API_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(2):
        assert api.get("/api/v1/areas", **proxy).status_code == 200
    forged = [
        {"HTTP_X_REAL_IP": "10.9.9.9"},
        {"HTTP_FORWARDED": "for=10.9.9.9"},
        {"HTTP_TRUE_CLIENT_IP": "10.9.9.9"},
        {"HTTP_CF_CONNECTING_IP": "10.9.9.9"},
        {"HTTP_X_CLIENT_IP": "10.9.9.9"},
    ]
    for headers in forged:
        assert api.get("/api/v1/areas", **proxy, **headers).status_code == 429, headers
    # Another spelling of an API address is counted too, or is not the API at all.
    for path in ("/api/v1/areas/", "/api//v1/areas", "//api/v1/areas", "/api/v1/./areas"):
        assert api.get(path, **proxy).status_code in (404, 429), path
