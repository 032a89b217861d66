"""Renditions are made when an image is saved in the admin (once committed), so that the
first page view after an upload does not wait for them; pages still make any that are missing."""

import pytest
from django.urls import reverse

from library.models import Image
from library.renditions import RENDITION_DIR
from tests.factories import RegionFactory

from .images import photo_bytes
from .test_upload import post_image

pytestmark = pytest.mark.django_db


def rendition_files(media):
    folder = media / RENDITION_DIR
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


def test_an_admin_upload_makes_the_standard_renditions_once_committed(
    admin_client, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_image(admin_client, photo_bytes(1000, 800))
    assert response.status_code == 302
    image = Image.objects.get()
    assert rendition_files(media) == []  # nothing before the commit
    for callback in callbacks:
        callback()
    made = rendition_files(media)
    stem = f"{image.pk}-{image.rendition_key}"
    for shape in ("full", "16x9", "1x1"):
        for width in (160, 320, 640):
            for extension in ("webp", "jpg"):
                assert f"{stem}-{shape}-{width}.{extension}" in made, (shape, width, extension)
    assert f"{stem}-full-1000.jpg" in made and f"{stem}-1x1-800.webp" in made
    assert f"{stem}-40x21-1000.jpg" in made  # the share preview, as large as the image allows

    # The first page view finds them all: it makes no new file.
    region = RegionFactory(hero_image=image)
    before = rendition_files(media)
    response = admin_client.get(region.get_absolute_url())
    assert response.status_code == 200
    assert rendition_files(media) == before


def test_a_new_focal_point_makes_new_renditions_and_other_changes_make_none(
    admin_client, media, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        post_image(admin_client, photo_bytes(400, 300))
    image = Image.objects.get()
    url = reverse("admin:library_image_change", args=[image.pk])
    form = {"alt_text": "New alt text", "focal_x": "50", "focal_y": "50"}
    made_for = []
    monkeypatch.setattr("library.admin.make_standard_renditions", made_for.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, form).status_code == 302
    assert made_for == []  # a new alt text changes no rendition
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, {**form, "focal_x": "10"}).status_code == 302
    image.refresh_from_db()
    assert any(
        name.startswith(f"{image.pk}-{image.rendition_key}-16x9-")
        for name in rendition_files(media)
    )


def test_a_missing_file_is_logged_and_left_to_the_pages(media, caplog):
    from library.renditions import make_standard_renditions

    from .images import make_image

    image = make_image()
    image.file.storage.delete(image.file.name)
    assert make_standard_renditions(image) is False
    assert f"library image {image.pk} not made in advance" in caplog.text
