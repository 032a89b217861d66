"""The image chooser, through the admin's URLs as each role: its dialog (search, and the
upload form for those who may add images), the upload in place with the library's checks
(content, size, pixels, metadata removed, alt text required), CSRF, and the refusal of
staff who may only view images."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from audit.models import AuditAction, AuditEntry
from library.models import Image
from tests.factories import UserFactory

from .images import HTML, PDF, SVG_WITH_SCRIPT, exif_with_gps, photo_bytes, png_bomb, upload

pytestmark = pytest.mark.django_db
CHOOSER = reverse("admin:library_image_chooser")
UPLOAD = reverse("admin:library_image_chooser_upload")
PICKER = reverse("admin:library_image_picker")


def test_the_chooser_is_under_the_image_admin():
    assert CHOOSER == "/admin/library/image/chooser/"
    assert UPLOAD == "/admin/library/image/chooser/upload/"


@pytest.fixture
def view_only(db):
    """Staff who may view library images and nothing more."""
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="library", codename="view_image")
    )
    return user


def login(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def upload_form(data=None, name="photo.jpg", content_type="image/jpeg", **fields):
    form = {
        "chooser-alt_text": "Participants of a workshop",
        "chooser-caption": "",
        "chooser-credit": "",
        "chooser-licence": "",
        "chooser-licence_url": "",
        **{f"chooser-{key}": value for key, value in fields.items()},
    }
    if data is not None:
        form["chooser-file"] = upload(data, name, content_type)
    return form


def stored_files(media):
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


# --- The dialog --------------------------------------------------------------------------


def test_an_editor_gets_the_search_and_the_upload_form(staff_with_role):
    client = login(staff_with_role("Editor"))
    response = client.get(CHOOSER)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="image-chooser-title"' in html
    assert f'data-picker-url="{PICKER}"' in html
    assert '<label for="image-chooser-q">' in html
    assert f'action="{UPLOAD}"' in html and 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for name in ("file", "alt_text", "caption", "credit", "licence", "licence_url"):
        assert f'name="chooser-{name}"' in html, name
    # Alt text is required, and says so.
    assert 'name="chooser-alt_text"' in html and "(required)" in html
    assert "at most 10\u00a0MB" in html or "at most 10 MB" in html
    assert "focal_x" not in html  # set later, by clicking on the image
    assert response["Cache-Control"].startswith("max-age=0")


def test_view_only_staff_get_the_search_without_the_upload_form(view_only):
    response = login(view_only).get(CHOOSER)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="image-chooser-q"' in html
    assert "<form" not in html and "chooser-file" not in html


@pytest.mark.parametrize("role", ["Data manager", None])
def test_staff_who_may_not_view_images_get_no_chooser(staff_with_role, role):
    user = staff_with_role(role) if role else UserFactory(username="plain", is_staff=True)
    client = login(user)
    assert client.get(CHOOSER).status_code == 403
    assert client.get(PICKER).status_code == 403


def test_visitors_are_sent_to_the_login(client):
    for url in (CHOOSER, UPLOAD):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_the_search_lists_thumbnails_newest_first(staff_with_role, media):
    from .images import make_image

    older = make_image(alt_text="Harbour at night", credit="Jane Doe")
    newer = make_image(alt_text="Workshop in Skopje")
    client = login(staff_with_role("Editor"))
    results = client.get(PICKER).json()["results"]
    assert [entry["id"] for entry in results] == [newer.pk, older.pk]
    assert results[0]["thumbnail"].startswith("/media/library/renditions/")
    assert results[1]["credit"] == "Jane Doe"
    found = client.get(PICKER, {"q": "jane"}).json()["results"]
    assert [entry["id"] for entry in found] == [older.pk]


# --- Uploading in place ----------------------------------------------------------------


def test_an_editor_uploads_an_image_which_comes_back_to_be_chosen(staff_with_role, media):
    editor = staff_with_role("Editor")
    client = login(editor)
    form = upload_form(
        photo_bytes(1200, 800, exif=exif_with_gps()),
        name="../../holiday.jpg",
        **{
            "alt_text": "Border crossing at dawn",
            "caption": "The crossing",
            "credit": "IOM/Jane Doe",
            "licence": "CC BY 4.0",
            "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        },
    )
    response = client.post(UPLOAD, form)
    assert response.status_code == 201, response.content
    image = Image.objects.get()
    answer = response.json()["image"]
    assert answer["id"] == image.pk
    assert answer["alt"] == "Border crossing at dawn"
    assert answer["thumbnail"].startswith("/media/library/renditions/")
    assert (answer["width"], answer["height"]) == (1200, 800)
    assert (image.caption, image.credit, image.licence) == (
        "The crossing",
        "IOM/Jane Doe",
        "CC BY 4.0",
    )
    assert image.uploaded_by == editor
    assert "holiday" not in image.file.name and ".." not in image.file.name
    # Stored re-encoded, without the camera's details and GPS position.
    stored = PILImage.open(io.BytesIO((media / image.file.name).read_bytes()))
    assert not stored.getexif()
    # Recorded like the add form's upload: the admin's log, the history, the audit log.
    assert image.history.count() == 1 and image.history.get().history_user == editor
    entry = AuditEntry.objects.get(object_id=str(image.pk))
    assert (entry.action, entry.actor) == (AuditAction.CREATE, editor)


def test_view_only_staff_posting_an_upload_are_refused(view_only, media):
    response = login(view_only).post(UPLOAD, upload_form(photo_bytes()))
    assert response.status_code == 403
    assert not Image.objects.exists()
    assert stored_files(media) == []


def test_an_upload_without_the_csrf_token_is_refused(staff_with_role, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_with_role("Editor"))
    response = client.post(UPLOAD, upload_form(photo_bytes()))
    assert response.status_code == 403
    assert not Image.objects.exists()


def test_the_upload_address_takes_only_posts(staff_with_role):
    assert login(staff_with_role("Editor")).get(UPLOAD).status_code == 405


def test_an_upload_without_alt_text_is_refused_with_the_form_again(staff_with_role, media):
    client = login(staff_with_role("Editor"))
    response = client.post(UPLOAD, upload_form(photo_bytes(), alt_text="  ", credit="Jane"))
    assert response.status_code == 400
    html = response.json()["form"]
    assert "This field is required." in html
    assert 'aria-invalid="true"' in html and 'name="chooser-alt_text"' in html
    assert 'value="Jane"' in html  # what was typed stays
    assert not Image.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("data", "name", "content_type", "message"),
    [
        (SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml", "SVG and other formats are not accepted"),
        (PDF, "photo.jpg", "image/jpeg", "not a JPEG, PNG or WebP image"),
        (HTML, "photo.png", "image/png", "not a JPEG, PNG or WebP image"),
        (png_bomb(8_000, 8_000), "bomb.png", "image/png", "megapixels allowed"),
        (b"", "empty.jpg", "image/jpeg", "The submitted file is empty."),
    ],
    ids=["svg", "pdf-named-jpg", "html-named-png", "decompression-bomb", "empty"],
)
def test_odd_files_are_refused_with_a_clear_message_and_nothing_saved(
    staff_with_role, media, data, name, content_type, message
):
    client = login(staff_with_role("Editor"))
    response = client.post(UPLOAD, upload_form(data, name=name, content_type=content_type))
    assert response.status_code == 400
    assert message in response.json()["form"]
    assert not Image.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused(staff_with_role, media, settings):
    settings.LIBRARY_IMAGE_MAX_BYTES = 50_000
    data = photo_bytes(1600, 1200, noise=True)
    assert len(data) > 50_000
    response = login(staff_with_role("Editor")).post(UPLOAD, upload_form(data))
    assert response.status_code == 400
    assert "larger than 0.0476837 MB" in response.json()["form"]
    assert not Image.objects.exists()


def test_an_upload_without_a_file_is_refused(staff_with_role, media):
    response = login(staff_with_role("Editor")).post(UPLOAD, upload_form())
    assert response.status_code == 400
    assert "This field is required." in response.json()["form"]
    assert not Image.objects.exists()


def test_a_licence_address_that_is_no_web_address_is_refused(staff_with_role, media):
    form = upload_form(photo_bytes(), licence="CC BY", licence_url="javascript:alert(1)")
    response = login(staff_with_role("Editor")).post(UPLOAD, form)
    assert response.status_code == 400
    assert not Image.objects.exists()


def test_markup_typed_into_the_form_comes_back_escaped(staff_with_role, media):
    form = upload_form(HTML, name="x.png", alt_text='"><script>alert(1)</script>')
    response = login(staff_with_role("Editor")).post(UPLOAD, form)
    assert response.status_code == 400
    html = response.json()["form"]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_alt_text_over_its_length_is_refused(staff_with_role, media):
    form = upload_form(photo_bytes(), alt_text="x" * 5000)
    response = login(staff_with_role("Editor")).post(UPLOAD, form)
    assert response.status_code == 400
    assert "at most 300 characters" in response.json()["form"]
    assert not Image.objects.exists()


def test_two_editors_uploading_the_same_file_at_once_get_two_images(staff_with_role, media):
    """Each upload is a new image under its own drawn name: neither replaces the other."""
    first = login(staff_with_role("Editor", "elena"))
    second = login(staff_with_role("Editor", "marko"))
    data = photo_bytes()
    answers = [
        client.post(UPLOAD, upload_form(data, alt_text=f"Upload by {name}")).json()["image"]
        for client, name in ((first, "elena"), (second, "marko"))
    ]
    images = Image.objects.order_by("pk")
    assert [image.pk for image in images] == [answer["id"] for answer in answers]
    assert [image.uploaded_by.username for image in images] == ["elena", "marko"]
    assert images[0].file.name != images[1].file.name
    assert all((media / image.file.name).is_file() for image in images)
