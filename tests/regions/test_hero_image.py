"""A region's hero image is chosen in the region form by the library image's number."""

import pytest

from tests.admin_forms import change_url, region_form
from tests.factories import RegionFactory
from tests.library.images import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_hero_image_is_chosen_and_cleared_in_the_region_form(admin_client):
    image = make_image(alt_text="Hero")
    region = RegionFactory()
    response = admin_client.post(change_url(region), region_form(region, hero_image=image.pk))
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.hero_image == image

    response = admin_client.post(change_url(region), region_form(region, hero_image=""))
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.hero_image is None


def test_an_unknown_image_number_is_an_error_not_a_500(admin_client):
    region = RegionFactory()
    response = admin_client.post(change_url(region), region_form(region, hero_image="999999"))
    assert response.status_code == 200
    assert "hero_image" in response.context["adminform"].form.errors


def test_the_region_page_without_a_hero_has_no_figure(client):
    region = RegionFactory()
    html = client.get(region.get_absolute_url()).content.decode()
    assert '<figure class="hero">' not in html
