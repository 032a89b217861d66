"""A replaced image file, and the renditions of a replaced file or focal point, leave the
disk once the change is committed: nothing a page no longer shows stays served."""

import pytest
from django.db import transaction
from django.urls import reverse

from library.models import Image
from library.renditions import make_standard_renditions
from library.validation import clean_image

from .images import make_image, photo_bytes, upload

pytestmark = pytest.mark.django_db


def renditions(media, image):
    folder = media / "library/renditions"
    return sorted(path.name for path in folder.glob(f"{image.pk}-*")) if folder.exists() else []


def change(client, image, **fields):
    form = {"alt_text": image.alt_text, "focal_x": "50", "focal_y": "50", **fields}
    response = client.post(reverse("admin:library_image_change", args=[image.pk]), form)
    assert response.status_code == 302
    image.refresh_from_db()
    return image


def test_a_replaced_file_and_its_renditions_are_deleted_after_commit(
    admin_client, media, django_capture_on_commit_callbacks
):
    image = make_image(photo_bytes(700, 400))
    make_standard_renditions(image)
    old_file, old_renditions = media / image.file.name, renditions(media, image)
    assert old_file.is_file() and old_renditions
    with django_capture_on_commit_callbacks(execute=True):
        change(admin_client, image, file=upload(photo_bytes(640, 480, "PNG"), "new.png"))
    assert not old_file.exists()
    assert (media / image.file.name).is_file()
    new_renditions = renditions(media, image)
    assert new_renditions and not set(old_renditions) & set(new_renditions)
    assert all(name.startswith(f"{image.pk}-{image.rendition_key}-") for name in new_renditions)


def test_a_moved_focal_point_deletes_the_old_renditions_and_keeps_the_file(
    admin_client, media, django_capture_on_commit_callbacks
):
    image = make_image(photo_bytes(700, 400))
    make_standard_renditions(image)
    old_renditions = renditions(media, image)
    with django_capture_on_commit_callbacks(execute=True):
        change(admin_client, image, focal_x="10")
    assert (media / image.file.name).is_file()
    assert not set(old_renditions) & set(renditions(media, image))


def test_a_change_that_keeps_file_and_focal_point_deletes_nothing(
    admin_client, media, django_capture_on_commit_callbacks
):
    image = make_image(photo_bytes(700, 400))
    make_standard_renditions(image)
    before = renditions(media, image)
    with django_capture_on_commit_callbacks(execute=True):
        change(admin_client, image, alt_text="Another description")
    assert (media / image.file.name).is_file()
    assert renditions(media, image) == before


def test_a_rolled_back_replacement_keeps_the_stored_file(media, django_capture_on_commit_callbacks):
    image = make_image(photo_bytes(300, 200))
    stored = media / image.file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            image = Image.objects.get(pk=image.pk)
            image.set_file(clean_image(upload(photo_bytes(320, 200))))
            image.save()
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert stored.is_file()


def test_restoring_a_version_whose_file_was_replaced_is_refused_and_keeps_the_file(
    admin_client, media, django_capture_on_commit_callbacks
):
    image = make_image(photo_bytes(700, 400))
    first_version = image.history.earliest()
    with django_capture_on_commit_callbacks(execute=True):
        change(admin_client, image, file=upload(photo_bytes(640, 480, "PNG"), "new.png"))
    current = image.file.name
    revert = reverse(
        "admin:library_image_simple_history", args=[image.pk, first_version.history_id]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            revert, {"alt_text": image.alt_text, "focal_x": "50", "focal_y": "50"}
        )
    assert response.status_code == 200
    assert "The file of this version is no longer stored" in response.content.decode()
    image.refresh_from_db()
    assert image.file.name == current and (media / current).is_file()
