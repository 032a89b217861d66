"""Editable pages (About, Imprint, Privacy, Data licence, Methodology): public URL, footer,
sitemap, roles, history, demo content."""

import pytest
from django.core.management import call_command
from django.test import Client

from pages.models import Page, SiteSettings
from staff.roles import EDITOR, PUBLISHER
from tests.htmlcheck import assert_page_basics

pytestmark = pytest.mark.django_db

FOOTER_SLUGS = ["about", "imprint", "privacy", "data-licence", "methodology"]


def make_page(**fields):
    values = {"title": "About this portal", "slug": "about", "is_published": True, **fields}
    return Page.objects.create(**values)


def page_form(**overrides):
    data = {
        "title": "Privacy",
        "slug": "privacy",
        "summary": "",
        "body": "Text.",
        "review_note": "",
        "is_published": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_published_page_renders_its_markdown_safely(client):
    make_page(
        summary="What the portal is.",
        body="## Who we are\n\nText with <script>alert(1)</script> and [a link](javascript:x).",
    )
    response = client.get("/pages/about/")
    html = response.content.decode()
    page = assert_page_basics(html)
    assert page.title == "About this portal | WB Portal"
    assert page.meta["description"] == page.meta["og:description"] == "What the portal is."
    assert "<h2>Who we are</h2>" in html
    assert "<script>alert" not in html and "javascript:" not in html
    assert "Last updated:" in html


def test_an_empty_page_says_it_is_not_yet_written(client):
    make_page(body="")
    assert "This page is not yet written." in client.get("/pages/about/").content.decode()


def test_a_draft_page_is_404_for_the_public_and_previewed_by_staff(client, staff_with_role):
    make_page(is_published=False)
    assert client.get("/pages/about/").status_code == 404
    staff = Client()
    staff.force_login(staff_with_role(EDITOR))
    response = staff.get("/pages/about/")
    assert response.status_code == 200 and "Draft - not public" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_footer_links_the_published_footer_pages_only(client):
    about = make_page()
    imprint = make_page(title="Imprint", slug="imprint", is_published=False)
    SiteSettings.objects.filter(pk=1).update(about_page=about, imprint_page=imprint)
    footer = client.get("/contacts/").content.decode().split('<footer class="site-footer">')[1]
    assert '<a href="/pages/about/">About this portal</a>' in footer
    assert "/pages/imprint/" not in footer


def test_published_pages_are_in_the_sitemap(client):
    make_page()
    make_page(title="Draft", slug="draft", is_published=False)
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/pages/about/" in xml and "/pages/draft/" not in xml


def test_editors_write_pages_and_publishers_publish_them(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    response = client.post("/admin/pages/page/add/", page_form())
    assert response.status_code == 302
    page = Page.objects.get(slug="privacy")
    assert not page.is_published  # an Editor's "publish" tick is not theirs to give
    client.force_login(staff_with_role(PUBLISHER))
    response = client.post(f"/admin/pages/page/{page.pk}/change/", page_form(body="Edited."))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.is_published and page.body == "Edited."
    assert page.history.count() == 2


def test_the_demo_content_has_honest_footer_pages(client):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # safe to repeat
    assert Page.objects.count() == len(FOOTER_SLUGS)
    site = SiteSettings.objects.get()
    assert [p.slug for p in site.footer_pages()] == FOOTER_SLUGS
    for slug in FOOTER_SLUGS:
        assert client.get(f"/pages/{slug}/").status_code == 200, slug
    imprint = client.get("/pages/imprint/").content.decode()
    assert "not yet written" in imprint
    licence = client.get("/pages/data-licence/").content.decode()
    assert "CC BY 4.0" in licence and "keep their source's terms" in licence
    assert "tables and charts" not in licence  # the figures are not the portal's to license


def test_page_query_budget(client, django_assert_num_queries):
    make_page(body="Text naming Kosovo and Serbia.")
    SiteSettings.objects.filter(pk=1).update(about_page=Page.objects.get())
    # the page; the site settings with the footer's pages joined in; the footnoted countries
    with django_assert_num_queries(3):
        assert client.get("/pages/about/").status_code == 200
