"""Wherever an item of the API names Kosovo*, it carries the footnote, as the pages do."""

from tests.api.conftest import get_json
from tests.factories import DocumentFactory, IndicatorFactory, ProjectFactory


def test_the_footnote_comes_with_every_item_that_names_kosovo(world, api):
    note = {"country": "XK", "name": world.kosovo.name, "note": world.kosovo.footnote}
    ProjectFactory(title="Return to Kosovo", slug="api-kosovo-return", countries=[world.serbia])
    ProjectFactory(title="Border work", slug="api-kosovo-border", countries=[world.kosovo])
    DocumentFactory(title="Report", slug="api-kosovo-report", description="Arrivals in Kosovo.")
    IndicatorFactory(code="api-kosovo-indicator", name="Returns to Kosovo")

    assert get_json(api, "/api/v1/projects/api-kosovo-return")["footnotes"] == [note]
    assert get_json(api, "/api/v1/projects/api-kosovo-border")["footnotes"] == [note]
    assert get_json(api, "/api/v1/documents/api-kosovo-report")["footnotes"] == [note]
    assert get_json(api, "/api/v1/indicators/api-kosovo-indicator")["footnotes"] == [note]
    # Nothing where nothing names it; the same in the lists.
    assert get_json(api, "/api/v1/documents/api-document")["footnotes"] == []
    listed = get_json(api, "/api/v1/projects?limit=1000")["results"]
    assert {p["slug"]: p["footnotes"] for p in listed}["api-kosovo-return"] == [note]
