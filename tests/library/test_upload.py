"""Uploading an image in the admin: only JPEG, PNG and WebP by their content, within the size
and pixel limits, stored re-encoded without metadata under a name the server draws."""

import io
import re

import pytest
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as PILImage

from library.models import Image

from .images import (
    HTML,
    PDF,
    SVG_WITH_SCRIPT,
    exif_with_gps,
    jpeg_markers,
    photo_bytes,
    png_bomb,
    upload,
)

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:library_image_add")


def post_image(client, data, name="photo.jpg", content_type="image/jpeg", **fields):
    form = {
        "alt_text": "Participants of a workshop",
        "caption": "",
        "credit": "",
        "licence": "",
        "licence_url": "",
        "focal_x": "50",
        "focal_y": "50",
        **fields,
        "file": upload(data, name, content_type),
    }
    return client.post(ADD_URL, form)


def form_errors(response):
    return response.context["adminform"].form.errors


def test_a_jpeg_is_stored_under_a_random_name_with_its_size(admin_client, superuser, media):
    response = post_image(admin_client, photo_bytes(800, 600), name="../../etc/passwd.jpg")
    assert response.status_code == 302
    image = Image.objects.get()
    assert re.fullmatch(r"library/[0-9a-f]{32}\.jpg", image.file.name)
    assert (media / image.file.name).is_file()
    assert (image.width, image.height) == (800, 600)
    assert image.uploaded_by == superuser
    assert len(image.content_hash) == 64


@pytest.mark.parametrize(
    ("image_format", "mode", "extension"),
    [("PNG", "RGBA", "png"), ("WEBP", "RGB", "webp"), ("JPEG", "RGB", "jpg")],
)
def test_png_and_webp_are_accepted_and_keep_their_format(
    admin_client, image_format, mode, extension
):
    response = post_image(admin_client, photo_bytes(300, 200, image_format, mode), name="x.bin")
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.file.name.endswith(f".{extension}")
    assert image.transparent is (mode == "RGBA")


def test_alt_text_is_required(admin_client):
    response = post_image(admin_client, photo_bytes(), alt_text="")
    assert response.status_code == 200
    assert "alt_text" in form_errors(response)
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (PDF, "photo.jpg", "image/jpeg"),
        (HTML, "photo.jpg", "image/jpeg"),
        (SVG_WITH_SCRIPT, "photo.png", "image/png"),
        (SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml"),
        (photo_bytes(64, 64, "GIF", "P"), "anim.jpg", "image/jpeg"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "truncated.jpg", "image/jpeg"),
    ],
    ids=["pdf-named-jpg", "html-named-jpg", "svg-named-png", "svg", "gif", "broken-jpeg"],
)
def test_anything_but_a_real_jpeg_png_or_webp_is_refused(admin_client, data, name, content_type):
    response = post_image(admin_client, data, name, content_type)
    assert response.status_code == 200
    errors = " ".join(form_errors(response)["file"])
    assert "not a JPEG, PNG or WebP image" in errors or "damaged" in errors
    assert not Image.objects.exists()


def test_a_file_over_the_size_limit_is_refused(admin_client, settings):
    settings.LIBRARY_IMAGE_MAX_BYTES = 50_000
    data = photo_bytes(400, 400, noise=True)
    assert len(data) > 50_000
    response = post_image(admin_client, data)
    assert response.status_code == 200
    assert "larger than 0.0476837 MB" in " ".join(form_errors(response)["file"])
    assert not Image.objects.exists()


def test_an_image_over_the_pixel_limit_is_refused(admin_client, settings):
    settings.LIBRARY_IMAGE_MAX_PIXELS = 100_000
    response = post_image(admin_client, photo_bytes(400, 300))
    assert response.status_code == 200
    assert "400 × 300 pixels, more than the 0.1 megapixels" in " ".join(
        form_errors(response)["file"]
    )


@pytest.mark.parametrize("side", [8_000, 30_000], ids=["over-our-limit", "over-pillows-limit"])
def test_a_decompression_bomb_is_refused_with_a_message_not_a_500(admin_client, side):
    data = png_bomb(side, side)
    assert len(data) < 100_000  # small on disk, side x side bytes once decoded
    response = post_image(admin_client, data, name="bomb.png", content_type="image/png")
    assert response.status_code == 200
    errors = " ".join(form_errors(response)["file"])
    assert "too large" in errors or "megapixels" in errors
    assert not Image.objects.exists()


def test_exif_location_is_removed_and_orientation_applied(admin_client, media):
    # Orientation 6: the camera was turned; the picture is shown rotated 90° clockwise.
    data = photo_bytes(400, 200, exif=exif_with_gps(orientation=6))
    original = PILImage.open(io.BytesIO(data)).getexif()
    assert original.get_ifd(ExifTags.IFD.GPSInfo)  # the test file does carry a location
    response = post_image(admin_client, data)
    assert response.status_code == 302
    image = Image.objects.get()
    stored_bytes = (media / image.file.name).read_bytes()
    assert b"GPS" not in stored_bytes and b"TestCam" not in stored_bytes
    stored = PILImage.open(io.BytesIO(stored_bytes))
    exif = stored.getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.Base.Orientation not in exif
    assert stored.size == (200, 400) == (image.width, image.height)


COMMENT = b"Taken at the safe house, 12 Hidden Street"
COM = 0xFFFE


def test_a_jpeg_comment_is_removed(admin_client, media):
    data = photo_bytes(400, 200)
    with_comment = io.BytesIO()
    PILImage.open(io.BytesIO(data)).save(with_comment, "JPEG", comment=COMMENT)
    assert COM in jpeg_markers(with_comment.getvalue())  # the test file does carry one
    assert post_image(admin_client, with_comment.getvalue()).status_code == 302
    stored = (media / Image.objects.get().file.name).read_bytes()
    assert COM not in jpeg_markers(stored)
    assert COMMENT not in stored


def test_png_text_and_colour_profile_are_removed(admin_client, media):
    from PIL import ImageCms, PngImagePlugin

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", COMMENT.decode())
    original = io.BytesIO()
    PILImage.open(io.BytesIO(photo_bytes(300, 200, "PNG"))).save(
        original, "PNG", pnginfo=text, icc_profile=profile
    )
    assert b"iCCP" in original.getvalue() and COMMENT in original.getvalue()
    response = post_image(admin_client, original.getvalue(), name="a.png", content_type="image/png")
    assert response.status_code == 302
    stored = (media / Image.objects.get().file.name).read_bytes()
    assert b"iCCP" not in stored and b"tEXt" not in stored and COMMENT not in stored


def test_replacing_the_file_keeps_the_image_and_changes_its_hash(admin_client):
    post_image(admin_client, photo_bytes(300, 200))
    image = Image.objects.get()
    old_name, old_hash = image.file.name, image.content_hash
    url = reverse("admin:library_image_change", args=[image.pk])
    response = admin_client.post(
        url,
        {
            "alt_text": image.alt_text,
            "focal_x": "50",
            "focal_y": "50",
            "file": upload(photo_bytes(640, 480, "PNG")),
        },
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.file.name != old_name and image.content_hash != old_hash
    assert (image.width, image.height) == (640, 480)


def test_saving_without_a_new_file_keeps_the_stored_one(admin_client):
    post_image(admin_client, photo_bytes(300, 200))
    image = Image.objects.get()
    url = reverse("admin:library_image_change", args=[image.pk])
    response = admin_client.post(
        url, {"alt_text": "New alt text", "focal_x": "20", "focal_y": "50"}
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "New alt text" and image.focal_x == 20
    assert image.width == 300


@pytest.mark.parametrize("mode", ["I;16", "P", "L", "CMYK", "LA"])
def test_unusual_colour_modes_are_stored_and_rendered(admin_client, mode, media):
    from library.renditions import picture

    image_format = "JPEG" if mode == "CMYK" else "PNG"
    image = PILImage.new(mode, (400, 300))
    output = io.BytesIO()
    image.save(output, image_format)
    response = post_image(admin_client, output.getvalue(), name="odd.png")
    assert response.status_code == 302
    stored = Image.objects.get()
    rendered = picture(stored, "1:1")
    assert [rendition.width for rendition in rendered.webp] == [160, 300]
    for rendition in (*rendered.webp, *rendered.fallback):
        assert (media / rendition.name).is_file()


@pytest.mark.parametrize("address", ["ftp://x.org/by", "ftps://x.org/by"])
def test_a_licence_address_must_be_a_web_address(admin_client, address):
    response = post_image(admin_client, photo_bytes(300, 200), licence_url=address)
    assert response.status_code == 200
    [error] = form_errors(response)["licence_url"]
    assert "http://" in error and "https://" in error
    assert not Image.objects.exists()
    response = post_image(admin_client, photo_bytes(300, 200), licence_url="x.org/by")
    assert response.status_code == 302
    assert Image.objects.get().licence_url == "http://x.org/by"
