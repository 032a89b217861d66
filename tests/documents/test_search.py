"""Published documents are found by the site search; drafts never."""

import pytest

from search.engine import search
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_the_site_search_finds_published_documents_only(client):
    DocumentFactory(
        title="Labour mobility strategy",
        slug="labour-mobility",
        author="International Organization for Migration (IOM)",
        description="A strategy for the Western Balkan economies.",
    )
    DocumentFactory(title="Labour draft", slug="labour-draft", is_published=False)
    results = search("labour", "python")
    assert [(result.title, result.url) for result in results] == [
        ("Labour mobility strategy", "/documents/labour-mobility/")
    ]
    assert [result.title for result in search("IOM economies", "python")] == [
        "Labour mobility strategy"
    ]
    html = client.get("/search/", {"q": "labour"}).content.decode()
    assert "Labour mobility strategy" in html and "Labour draft" not in html
