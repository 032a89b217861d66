"""The page cache stays never-stale when a library image used by a page changes: a hero's
alt text or focal point edited in the admin, or an image shown in a Markdown text."""

import pytest
from django.test import Client

from tests.admin_forms import change_url
from tests.library.images import make_image, photo_bytes, upload
from tests.pagecache.conftest import get_twice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def edit_image(admin_client, image, **changes):
    data = {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "licence": image.licence,
        "licence_url": image.licence_url,
        "focal_x": image.focal_x,
        "focal_y": image.focal_y,
        **changes,
    }
    response = admin_client.post(change_url(image), data)
    assert response.status_code == 302, response.content[:2000]


def test_editing_a_hero_image_in_the_admin_shows_on_the_next_request(region, admin_client):
    visitor = Client()
    image = make_image(photo_bytes(1200, 800), alt_text="Old alt text")
    region.hero_image = image
    region.save()
    url = region.get_absolute_url()
    assert 'alt="Old alt text"' in get_twice(visitor, url).content.decode()
    assert visitor.get(url)["X-Page-Cache"] == "hit"

    edit_image(admin_client, image, alt_text="New alt text", focal_x=10)
    image.refresh_from_db()
    response = visitor.get(url)
    html = response.content.decode()
    assert 'alt="New alt text"' in html
    assert f"-{image.rendition_key}-16x9-" in html  # renditions for the new focal point

    edit_image(admin_client, image, file=upload(photo_bytes(900, 600, "PNG")))
    image.refresh_from_db()
    assert f"-{image.rendition_key}-16x9-" in visitor.get(url).content.decode()


def test_editing_an_image_shown_in_markdown_shows_on_the_next_request(region, admin_client):
    visitor = Client()
    image = make_image(alt_text="Before")
    region.body = f"![](library:{image.pk})"
    region.save()
    url = region.get_absolute_url()
    assert 'alt="Before"' in get_twice(visitor, url).content.decode()
    edit_image(admin_client, image, alt_text="After")
    assert 'alt="After"' in visitor.get(url).content.decode()
