"""The editor's preview endpoint: staff only, CSRF-protected, and the very HTML of the page."""

import pytest
from django.test import Client
from django.urls import reverse

from pages.models import Page

pytestmark = pytest.mark.django_db

TEXT = (
    "# Title\n\nSee [projects](/projects/) and [gone](/projects/no-such-project/).[^1]\n\n"
    "<script>x()</script>\n\n[^1]: A note."
)


def preview(client, text=TEXT):
    return client.post(reverse("markdown-preview"), {"text": text})


def test_staff_get_the_sanitised_html_and_what_was_removed_or_changed(admin_client):
    response = preview(admin_client)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    assert "<h2>Title</h2>" in data["html"] and "<script" not in data["html"]
    assert data["removed"] == ["<script> with everything in it: removed."]
    assert len(data["changed"]) == 1 and "level-2" in data["changed"][0]
    assert data["links"] == [
        "Link to /projects/no-such-project/: there is no such page on this site."
    ]


def test_the_preview_is_exactly_what_the_public_page_shows(admin_client, client):
    Page.objects.create(title="About", slug="about", body=TEXT, is_published=True)
    html = preview(admin_client).json()["html"]
    public = client.get("/pages/about/").content.decode()
    assert html in public


def test_anonymous_and_non_staff_users_are_refused(client, django_user_model):
    assert preview(client).status_code == 403
    user = django_user_model.objects.create_user("reader", password="pw-for-tests")
    client.force_login(user)
    assert preview(client).status_code == 403


def test_only_post_is_answered(admin_client):
    assert admin_client.get(reverse("markdown-preview"), {"text": "x"}).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(superuser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    assert preview(client).status_code == 403
    client.get(reverse("admin:index"))  # sets the CSRF cookie, as the admin page does
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("markdown-preview"), {"text": "*x*"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert "<em>x</em>" in response.json()["html"]


def test_an_oversized_text_is_refused(admin_client, settings):
    assert preview(admin_client, "x" * (settings.MARKDOWN_MAX_CHARS + 1)).status_code == 413
