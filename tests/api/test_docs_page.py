"""The API's documentation page: served by the portal, under the site's strict CSP, with
nothing loaded from elsewhere (Swagger UI from django-ninja's own static files)."""

import re

from django.contrib.staticfiles import finders

from tests.api.conftest import get_json


def test_docs_page_loads_only_our_own_files(world, api):
    response = api.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads Swagger UI"
    for asset in assets:
        assert asset.startswith("/static/"), asset  # never a CDN
        assert finders.find(asset.removeprefix("/static/")), asset
    # No inline script the CSP would block (the settings are JSON data, not a script).
    for attributes, _body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    settings = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1)
    assert '"validatorUrl": null' in settings  # no badge from validator.swagger.io
    assert '"url": "/api/v1/openapi.json"' in settings


def test_the_schema_the_page_reads_is_served(world, api):
    schema = get_json(api, "/api/v1/openapi.json")
    assert schema["info"]["title"] == "WB Portal API"


def test_indicator_and_project_pages_link_to_the_api(world, api):
    for page, json_url in (
        ("/statistics/api-arrivals/", "/api/v1/observations?indicator=api-arrivals"),
        ("/projects/api-project/", "/api/v1/projects/api-project"),
    ):
        html = api.get(page).content.decode()
        assert '<a href="/api/v1/docs">read API</a>' in html, page
        assert f'href="{json_url}"' in html, page
        get_json(api, json_url)
