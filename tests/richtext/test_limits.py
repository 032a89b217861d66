"""Markdown that would be slow or fail to render is refused before rendering, in the preview
and on save (richtext/limits.py); links that cannot be kept are reported, not lost silently.
Times are measured by `make bench-security` (bench/bench_security.py), never here."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from links.models import Link
from links.scanning import links_in_markdown
from regions.models import Region
from tests.admin_forms import add_url, region_form

pytestmark = pytest.mark.django_db

# Each of these took Python-Markdown seconds to minutes, or failed (RecursionError), before.
PATHOLOGICAL = {
    "unclosed [": "[" * 20_000,
    "nested [ ]": "[" * 6_000 + "]" * 6_000,
    "unclosed link (": "[a](" * 5_000,
    "unclosed <": "<a " * 9_000,
    "lists nested 1,000 deep": "* " * 1_000 + "a",
    "1,500 abbreviations": "".join(f"*[A{n}]: x\n" for n in range(1_500)) + "\nA1 " * 100,
}
NORMAL = (
    "## Approach\n\nSee [the projects](/projects/) and [a report](https://example.org/a(b)).\n\n"
    "* one [x] item\n    * nested [twice]\n\n> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    "Text with a note.[^1] and a < b > c.\n\n*[UNHCR]: UN Refugee Agency\n\n[^1]: The note."
)


@pytest.fixture
def staff(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client


def preview(client, text):
    return client.post(reverse("markdown-preview"), {"text": text})


@pytest.mark.parametrize("shape", PATHOLOGICAL)
def test_a_pathological_preview_is_refused_with_the_reason(staff, shape):
    response = preview(staff, PATHOLOGICAL[shape])
    assert response.status_code == 400
    assert "html" not in response.json()
    assert any(
        words in response.json()["error"] for words in ("brackets", "levels deep", "abbreviations")
    )


def test_a_too_long_preview_is_refused_with_the_limit(staff):
    response = preview(staff, "x" * (settings.MARKDOWN_MAX_CHARS + 1))
    assert response.status_code == 413
    assert f"at most {settings.MARKDOWN_MAX_CHARS:,}" in response.json()["error"]


def test_normal_texts_preview_as_before(staff):
    response = preview(staff, NORMAL)
    assert response.status_code == 200
    html = response.json()["html"]
    assert '<a href="https://example.org/a(b)"' in html and "<table>" in html
    assert '<abbr title="UN Refugee Agency">UNHCR</abbr>' not in html  # not in the text
    assert response.json()["removed"] == []


def test_a_too_long_text_is_refused_on_save_with_the_limit(admin_client):
    body = "word " * (settings.MARKDOWN_MAX_CHARS // 5 + 1)
    response = admin_client.post(add_url(Region), region_form(body=body, is_published="on"))
    assert response.status_code == 200
    assert f"a text may have at most {settings.MARKDOWN_MAX_CHARS:,}" in str(
        response.context["errors"]
    )
    assert not Region.objects.exists()


def test_a_pathological_text_is_refused_on_save_with_the_reason(admin_client):
    response = admin_client.post(add_url(Region), region_form(body="[" * 20_000))
    assert response.status_code == 200
    assert "too many unclosed or deeply nested brackets" in str(response.context["errors"])
    assert not Region.objects.exists()


def test_a_normal_text_saves(admin_client):
    response = admin_client.post(add_url(Region), region_form(body=NORMAL))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Region.objects.get().body == NORMAL


@pytest.mark.parametrize(
    "link, words",
    [
        ("http://[::1", "not a valid address"),
        ("http://a:99999/", "not a valid address"),
        ("https://example.org/" + "é" * 2_000, "longer than 2,000 bytes"),
    ],
)
def test_a_link_that_cannot_be_kept_is_reported_in_preview_and_save(
    staff, admin_client, link, words
):
    text = f"[x]({link})"
    response = preview(staff, text)
    assert response.status_code == 200
    assert "<a " in response.json()["html"] and "href" not in response.json()["html"]
    assert any(words in message for message in response.json()["removed"])
    response = admin_client.post(add_url(Region), region_form(body=text))
    assert response.status_code == 200
    assert words in str(response.context["errors"])
    assert not Region.objects.exists()


def test_the_links_index_only_ever_holds_addresses_postgresql_can_index():
    # The rule the index relies on (links.Link.url is unique; PostgreSQL refuses an index
    # row over about 2,700 bytes): no address over 2,000 bytes leaves the renderer. The
    # PostgreSQL run of the suite saves such a text's links for real below.
    long_link = "https://example.org/" + "é" * 2_000
    assert links_in_markdown(f"[x]({long_link})") == []
    kept = "https://example.org/" + "é" * 990  # 1,999 bytes
    assert links_in_markdown(f"[x]({kept})") == [kept]
    Link.objects.create(url=kept, is_internal=False)
    assert Link.objects.get().url == kept
