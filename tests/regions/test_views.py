import pytest

from tests.factories import CountryFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_region_page_shows_its_name_and_countries(client, demo):
    response = client.get("/regions/western-balkans/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Western Balkans</h1>" in html
    for name in [
        "Albania",
        "Bosnia and Herzegovina",
        "Kosovo",
        "Montenegro",
        "North Macedonia",
        "Serbia",
    ]:
        assert name in html
    assert "UNSCR 1244/99" in html
    assert "/countries/turkiye/" not in html  # Türkiye belongs to the other region only


def test_unpublished_region_is_not_public(client):
    RegionFactory(slug="draft-region", is_published=False, countries=[CountryFactory()])
    assert client.get("/regions/draft-region/").status_code == 404


def test_region_text_is_escaped_and_sanitised(client):
    RegionFactory(
        slug="hostile",
        name="<script>alert('name')</script>",
        body="<script>alert('body')</script> [x](javascript:alert(1))",
    )
    html = client.get("/regions/hostile/").content.decode()
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(&#x27;name&#x27;)" in html
