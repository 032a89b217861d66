"""A document's file is served by a view under the rule of the document's page: the public
downloads it only while the document is published and live; drafts, scheduled, withdrawn and
deleted documents' files answer 404 like their pages. Staff who may preview drafts download
them too (never cached). The stored file's own address (MEDIA_URL) is not a way round it."""

import datetime

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

import pagecache
from documents.models import Document
from links.internal import MISSING, UNPUBLISHED, check_site_path, object_at
from staff.roles import EDITOR, PUBLISHER
from tests.documents.conftest import DATA, data_file
from tests.factories import DocumentFactory
from tests.pagecache.conftest import RECORDING
from tests.site.test_settings import load_settings

pytestmark = pytest.mark.django_db

PDF = (DATA / "report.pdf").read_bytes()


def with_file(slug="report", **fields):
    document = DocumentFactory(slug=slug, **fields)
    document.file = data_file("report.pdf", as_name="Annual report 2025.pdf")
    document.save()
    return document


def anonymous():
    return Client(raise_request_exception=False)


def file_url(slug):
    return f"/documents/{slug}/file/"


def test_a_published_documents_file_is_a_download_with_safe_headers():
    document = with_file()
    assert document.file_url == file_url("report")
    response = anonymous().get(file_url("report"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Annual_report_2025.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # No shared cache (a CDN, the page cache) may keep it past a withdrawal.
    assert "private" in response["Cache-Control"]


def test_the_page_links_to_the_file_view_not_to_the_stored_file():
    document = with_file()
    html = anonymous().get(document.get_absolute_url()).content.decode()
    assert f'<a href="{file_url("report")}" download="Annual_report_2025.pdf">' in html
    assert settings.MEDIA_URL + "documents/" not in html


def past(days=1):
    return timezone.now() - datetime.timedelta(days=days)


def future(days=1):
    return timezone.now() + datetime.timedelta(days=days)


@pytest.mark.urls("tests.documents.media_urls")
@pytest.mark.parametrize(
    "state",
    [
        {"is_published": False},
        {"is_published": False, "review_requested": True},
        {"is_published": True, "publish_at": future()},
        {"is_published": True, "publish_at": past(2), "unpublish_at": past()},
    ],
    ids=["draft", "in-review", "scheduled", "withdrawn"],
)
def test_the_file_of_a_document_that_is_not_live_is_not_found(state):
    document = with_file(**state)
    visitor = anonymous()
    assert visitor.get(document.get_absolute_url()).status_code == 404
    assert visitor.get(file_url("report")).status_code == 404
    # Nor through the stored file's address, as texts written earlier may link it.
    assert visitor.get(settings.MEDIA_URL + document.file.name).status_code == 404


def test_a_withdrawn_document_takes_its_file_with_it():
    document = with_file()
    visitor = anonymous()
    assert visitor.get(file_url("report")).status_code == 200
    Document.objects.filter(pk=document.pk).update(publish_at=past(2), unpublish_at=past())
    assert visitor.get(file_url("report")).status_code == 404


@pytest.mark.urls("tests.documents.media_urls")
def test_a_deleted_documents_file_is_not_found():
    document = with_file()
    old_address = settings.MEDIA_URL + document.file.name
    document.delete()
    visitor = anonymous()
    assert visitor.get(file_url("report")).status_code == 404
    assert visitor.get(old_address).status_code == 404


def test_a_document_without_a_file_has_no_file_address():
    DocumentFactory(slug="no-file")
    assert anonymous().get(file_url("no-file")).status_code == 404


@pytest.mark.parametrize("role", [EDITOR, PUBLISHER])
def test_staff_who_preview_drafts_download_their_files_never_cached(staff_with_role, role):
    with_file(is_published=False)
    client = Client()
    client.force_login(staff_with_role(role))
    response = client.get(file_url("report"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.urls("tests.documents.media_urls")
def test_an_old_media_address_of_a_published_file_leads_to_the_file_view():
    document = with_file()
    response = anonymous().get(settings.MEDIA_URL + document.file.name)
    assert response.status_code == 302
    assert response["Location"] == file_url("report")


def test_with_x_accel_redirect_nginx_sends_the_body(settings):
    settings.DOCUMENT_SENDFILE = "x-accel-redirect"
    document = with_file()
    response = anonymous().get(file_url("report"))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{document.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Annual_report_2025.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    Document.objects.filter(pk=document.pk).update(is_published=False)
    response = anonymous().get(file_url("report"))
    assert response.status_code == 404
    assert not response.has_header("X-Accel-Redirect")


def test_with_x_sendfile_the_web_server_sends_the_body(settings):
    settings.DOCUMENT_SENDFILE = "x-sendfile"
    document = with_file()
    response = anonymous().get(file_url("report"))
    assert response["X-Sendfile"] == document.file.path
    assert response.content == b""


def test_a_file_lost_from_storage_is_not_found_not_an_error():
    document = with_file()
    document.file.storage.delete(document.file.name)
    assert anonymous().get(file_url("report")).status_code == 404


def test_a_non_ascii_download_name_is_encoded():
    document = DocumentFactory(slug="izvestaj")
    document.file = data_file("report.pdf", as_name="Izveštaj o migraciji.pdf")
    document.save()
    response = anonymous().get(file_url("izvestaj"))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Izve%C5%A1taj_o_migraciji.pdf"
    )


def test_links_to_the_file_are_checked_and_indexed_as_the_document():
    live = with_file(slug="live")
    draft = with_file(slug="draft", is_published=False)
    assert check_site_path(file_url("live")) is None
    assert check_site_path(file_url("draft")) == UNPUBLISHED
    assert check_site_path(file_url("none")) == MISSING
    assert object_at(file_url("draft")) == draft
    # An old address of the stored file: the same document, by the same rule.
    assert check_site_path(settings.MEDIA_URL + live.file.name) is None
    assert check_site_path(settings.MEDIA_URL + draft.file.name) == UNPUBLISHED
    assert object_at(settings.MEDIA_URL + draft.file.name) == draft


@pytest.mark.parametrize("sendfile", ["", "x-accel-redirect"])
def test_the_page_cache_never_keeps_a_file(settings, sendfile):
    settings.PAGE_CACHE = True
    settings.CACHES = {"default": RECORDING}
    settings.DOCUMENT_SENDFILE = sendfile
    caches["default"].clear()
    pagecache.reset()
    document = with_file()
    visitor = anonymous()
    for _request in range(2):
        response = visitor.get(file_url("report"))
        assert response.status_code == 200
        assert response.get("X-Page-Cache") != "hit"
    Document.objects.filter(pk=document.pk).update(publish_at=past(2), unpublish_at=past())
    assert visitor.get(file_url("report")).status_code == 404


def test_an_unknown_sendfile_mode_refuses_to_start():
    result = load_settings(SECRET_KEY="x" * 60, DOCUMENT_SENDFILE="nginx")
    assert result.returncode != 0
    assert "DOCUMENT_SENDFILE='nginx'" in result.stderr
