"""The image chooser's search (the Markdown editor's and every image field's): the admin's
JSON search of the library (staff with view permission on images only; newest first; at
most 24; text only as JSON)."""

import pytest
from django.urls import reverse

from library.admin import PICKER_RESULTS
from tests.factories import UserFactory

from .images import make_image

pytestmark = pytest.mark.django_db
PICKER = reverse("admin:library_image_picker")


def test_the_picker_is_under_the_image_admin():
    assert PICKER == "/admin/library/image/picker/"


def test_searches_alt_caption_and_credit_newest_first(admin_client, media):
    harbour = make_image(alt_text="Harbour at night", credit="Jane Doe")
    workshop = make_image(alt_text="Workshop", caption="Training of border police")
    response = admin_client.get(PICKER)
    assert response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert [image["id"] for image in results] == [workshop.pk, harbour.pk]
    first = results[0]
    assert first["alt"] == "Workshop"
    assert first["caption"] == "Training of border police"
    assert (first["width"], first["height"]) == (800, 600)
    assert first["thumbnail"].startswith("/media/library/renditions/")
    assert (first["thumbnail_width"], first["thumbnail_height"]) == (160, 120)
    assert (media / first["thumbnail"].removeprefix("/media/")).is_file()
    for query, expected in [
        ("harbour", [harbour.pk]),
        ("border police", [workshop.pk]),
        ("jane", [harbour.pk]),
        ("nothing like it", []),
    ]:
        found = admin_client.get(PICKER, {"q": query}).json()["results"]
        assert [image["id"] for image in found] == expected, query


def test_at_most_24_results(admin_client):
    for number in range(PICKER_RESULTS + 2):
        make_image(alt_text=f"Image {number}")
    results = admin_client.get(PICKER).json()["results"]
    assert len(results) == PICKER_RESULTS == 24
    assert results[0]["alt"] == f"Image {PICKER_RESULTS + 1}"


def test_markup_in_alt_text_comes_as_json_text(admin_client):
    make_image(alt_text='<img src=x onerror="alert(1)"> & "quotes"')
    response = admin_client.get(PICKER, {"q": "<img"})
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"][0]["alt"] == '<img src=x onerror="alert(1)"> & "quotes"'
    # Never read as HTML: the browser is told not to guess, and the editor sets it as text.
    assert response["X-Content-Type-Options"] == "nosniff"


def test_refused_without_view_permission(client):
    make_image(alt_text="Secret draft picture")
    staff = UserFactory(username="no-library", is_staff=True)
    client.force_login(staff)
    response = client.get(PICKER)
    assert response.status_code == 403
    assert b"Secret draft picture" not in response.content


def test_anonymous_visitors_are_sent_to_the_login(client):
    make_image(alt_text="Secret draft picture")
    response = client.get(PICKER)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
