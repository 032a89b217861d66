"""An image whose sizes cannot be made (WebP allows at most 16,383 pixels a side; a strip
too thin for its smallest size) is refused at upload; one stored all the same (before the
check, or written to the database directly) or whose file is lost never turns a page into an
error: it is left out, and the failure is logged once."""

import io
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from library.models import Image
from library.renditions import picture
from pages.models import SiteSettings
from tests.factories import RegionFactory

from .images import make_image, make_unchecked_image, photo_bytes, upload
from .test_upload import form_errors, post_image

pytestmark = pytest.mark.django_db


def png(width, height):
    output = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 120, 40)).save(output, "PNG")
    return output.getvalue()


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (1, 65_000, "more than 16383 pixels"),
        (16_384, 10, "more than 16383 pixels"),
        (8_000, 40, "more than 160 times as wide as it is high"),
    ],
)
def test_an_image_whose_sizes_cannot_be_made_is_refused_at_upload(
    admin_client, width, height, expected
):
    response = post_image(admin_client, png(width, height), "strip.png", "image/png")
    assert response.status_code == 200
    errors = " ".join(form_errors(response)["file"])
    assert expected in errors and f"{width} × {height} pixels" in errors
    assert not Image.objects.exists()


def test_the_widest_and_longest_accepted_images_have_every_size(admin_client, media):
    for width, height in ((16_000, 100), (100, 16_383)):
        response = post_image(admin_client, png(width, height), "strip.png", "image/png")
        assert response.status_code == 302
    for image in Image.objects.all():
        for crop in ("", "16:9", "1:1", "40:21"):
            shown = picture(image, crop)
            for rendition in (*shown.webp, *shown.fallback):
                assert rendition.height >= 1 and (media / rendition.name).is_file()


@pytest.fixture
def strip():
    """The issue's 1 x 65,000 pixel PNG, stored without the upload's checks, as an image
    uploaded before them would be."""
    return make_unchecked_image(png(1, 65_000), "png", alt_text="A very long strip")


@pytest.fixture
def anyone():
    return Client(raise_request_exception=False)


def test_a_page_showing_an_image_that_cannot_be_shown_still_answers(anyone, strip, caplog):
    good = make_image(alt_text="A good photo")
    region = RegionFactory(body=f"![](library:{strip.pk})\n\nAnd ![](library:{good.pk}).")
    settings = SiteSettings.objects.current()
    settings.logo_image = strip
    settings.save()
    with caplog.at_level(logging.ERROR, logger="library.renditions"):
        for _attempt in range(3):
            response = anyone.get(region.get_absolute_url())
            assert response.status_code == 200
            html = response.content.decode()
            assert "A very long strip" not in html  # left out, not shown broken
            assert 'alt="A good photo"' in html
    # Logged once (the logo and the text ask for the same sizes), not on every request.
    [failure] = [record for record in caplog.records if "cannot be shown" in record.getMessage()]
    assert f"Library image {strip.pk} " in failure.getMessage()


def test_the_image_list_its_page_the_picker_and_the_preview_still_answer(anyone, admin_user, strip):
    anyone.force_login(admin_user)
    changelist = anyone.get(reverse("admin:library_image_changelist"))
    assert changelist.status_code == 200
    assert "cannot be shown" in changelist.content.decode()
    assert anyone.get(reverse("admin:library_image_change", args=[strip.pk])).status_code == 200
    picker = anyone.get(reverse("admin:library_image_picker"))
    assert picker.status_code == 200
    [result] = picker.json()["results"]
    assert result["id"] == strip.pk and result["thumbnail"] == ""
    preview = anyone.post(reverse("markdown-preview"), {"text": f"![](library:{strip.pk}) ok"})
    assert preview.status_code == 200
    assert "<img" not in preview.json()["html"] and "ok" in preview.json()["html"]


def test_a_lost_file_leaves_the_image_out_and_shares_the_default_image(anyone, media):
    image = make_image(alt_text="A lost photo")
    region = RegionFactory(hero_image=image)
    settings = SiteSettings.objects.current()
    settings.default_share_image = image
    settings.save()
    image.file.storage.delete(image.file.name)
    response = anyone.get(region.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "A lost photo" not in html
    assert re.search(r'<meta property="og:image" content="http[^"]+/brand/share-default', html)


def test_a_new_file_is_tried_again(anyone, admin_client, strip):
    region = RegionFactory(body=f"![](library:{strip.pk})")
    assert 'alt="A very long strip"' not in anyone.get(region.get_absolute_url()).content.decode()
    response = admin_client.post(
        reverse("admin:library_image_change", args=[strip.pk]),
        {
            "alt_text": strip.alt_text,
            "focal_x": "50",
            "focal_y": "50",
            "file": upload(photo_bytes(640, 480)),
        },
    )
    assert response.status_code == 302
    assert 'alt="A very long strip"' in anyone.get(region.get_absolute_url()).content.decode()
