"""Documents on the public site: the list with its filters, a document's page, the newest on
each region's page and all on each project's page, the download link (type and size) or the
note that the file is not on the portal, and the page cache following every change."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

import pagecache
from documents.models import DEFAULT_UNAVAILABLE_NOTE, Document
from pagecache import schedule
from regions.views import PAGE_DOCUMENTS
from tests.documents.conftest import data_file
from tests.factories import DocumentFactory, ProjectFactory, RegionFactory
from tests.htmlcheck import assert_page_basics
from tests.pagecache.conftest import RECORDING, get_twice

pytestmark = pytest.mark.django_db


def get_html(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.fixture
def library():
    wb = RegionFactory(name="Western Balkans", slug="western-balkans")
    other = RegionFactory(name="Elsewhere", slug="elsewhere")
    project = ProjectFactory(title="Return management", slug="return-management", is_published=True)
    with_file = DocumentFactory(
        title="Labour mobility strategy",
        slug="labour-mobility",
        date=datetime.date(2025, 2, 1),
        language="en",
        regions=[wb],
        projects=[project],
    )
    with_file.file = data_file("report.pdf", as_name="Labour mobility.pdf")
    with_file.description = "About **labour** mobility."
    with_file.save()
    placeholder = DocumentFactory(
        title="EMWP presentation",
        slug="emwp",
        date=datetime.date(2025, 5, 14),
        language="en",
        regions=[wb],
    )
    serbian = DocumentFactory(title="Izveštaj", slug="izvestaj", language="sr", regions=[other])
    draft = DocumentFactory(title="Draft paper", slug="draft", is_published=False, regions=[wb])
    return {
        "wb": wb,
        "other": other,
        "project": project,
        "with_file": with_file,
        "placeholder": placeholder,
        "serbian": serbian,
        "draft": draft,
    }


def test_the_list_shows_published_documents_with_date_language_type_and_size(client, library):
    html = get_html(client, "/documents/")
    assert_page_basics(html)
    assert "3 documents" in html
    assert "Draft paper" not in html
    # Newest first; the date as people write it.
    assert html.index("EMWP presentation") < html.index("Labour mobility strategy")
    assert '<time datetime="2025-05-14">14 May 2025</time>' in html
    assert "<dd>English</dd>" in html and "<dd>Serbian</dd>" in html
    assert '<a href="/documents/labour-mobility/file/" download="Labour_mobility.pdf">' in html
    assert "(PDF, 442\u00a0bytes)" in html
    # No file: the note instead of a link.
    assert html.count(str(DEFAULT_UNAVAILABLE_NOTE)) == 2


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"region": "western-balkans"}, {"Labour mobility strategy", "EMWP presentation"}),
        ({"region": "elsewhere"}, {"Izveštaj"}),
        ({"project": "return-management"}, {"Labour mobility strategy"}),
        ({"language": "sr"}, {"Izveštaj"}),
        ({"region": "western-balkans", "language": "sr"}, set()),
    ],
)
def test_the_list_filters_by_region_project_and_language(client, library, params, shown):
    html = get_html(client, "/documents/", **params)
    titles = {"Labour mobility strategy", "EMWP presentation", "Izveštaj"}
    assert {title for title in titles if title in html} == shown
    assert "Clear filters" in html


def test_each_filter_offers_all_by_name_not_a_row_of_dashes(client, library):
    html = get_html(client, "/documents/")
    for label in ("All regions", "All projects", "All languages"):
        assert f'<option value="" selected>{label}</option>' in html
    assert "---------" not in html


def test_an_invalid_filter_is_explained_and_not_cached(client, library):
    response = client.get("/documents/", {"language": "xx"})
    assert response.status_code == 200
    assert "Some filter values are not valid" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_documents_page(client, staff_client, library):
    library["with_file"].regions.add(RegionFactory(name="Draft region", is_published=False))
    html = get_html(client, "/documents/labour-mobility/")
    page = assert_page_basics(html)
    assert page.title.startswith("Labour mobility strategy |")
    assert '<a href="/regions/western-balkans/">Western Balkans</a>' in html
    assert "Return management" in html
    assert "Draft region" not in html  # a draft region is never named
    assert "<p>About <strong>labour</strong> mobility.</p>" in html
    assert 'download="Labour_mobility.pdf"' in html
    get_html(client, "/documents/draft/", status=404)
    assert "Draft - not public" in get_html(staff_client, "/documents/draft/")


def test_the_region_page_lists_its_newest_documents(client, library):
    html = get_html(client, "/regions/western-balkans/")
    assert '<a href="#documents">Documents</a>' in html
    assert "Labour mobility strategy" in html and "EMWP presentation" in html
    assert "Izveštaj" not in html and "Draft paper" not in html
    assert 'href="/documents/?region=western-balkans">All 2 documents on Western Balkans' in html
    for number in range(PAGE_DOCUMENTS):
        DocumentFactory(
            title=f"Newer {number}", date=datetime.date(2026, 1, 1), regions=[library["wb"]]
        )
    html = get_html(client, "/regions/western-balkans/")
    assert html.count('class="card document-card"') == PAGE_DOCUMENTS
    assert "EMWP presentation" not in html
    assert f"All {PAGE_DOCUMENTS + 2} documents on Western Balkans" in html


def test_a_region_without_documents_has_no_documents_section(client, library):
    RegionFactory(slug="empty")
    assert 'id="documents"' not in get_html(client, "/regions/empty/")


def test_the_project_page_lists_its_documents(client, library):
    html = get_html(client, "/projects/return-management/")
    assert 'id="documents-heading"' in html
    assert "Labour mobility strategy" in html and "(PDF, 442\u00a0bytes)" in html
    assert "EMWP presentation" not in html


def test_the_download_link_serves_the_stored_file(client, library):
    """Through the file view, which applies the page's rule (tests/documents/test_downloads.py);
    never from MEDIA_URL."""
    document = library["with_file"]
    html = get_html(client, "/documents/")
    url = "/documents/labour-mobility/file/"
    assert f'href="{url}"' in html and document.file_url == url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Labour_mobility.pdf"'
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert body == (settings.MEDIA_ROOT / document.file.name).read_bytes()


def test_media_urls_are_never_page_cached():
    assert settings.MEDIA_URL in settings.PAGE_CACHE_EXCLUDED_PATHS


@pytest.fixture
def page_cache_on(settings):
    """As in tests/pagecache/ (there for every test; here only where asked)."""
    from django.core.cache import caches

    settings.PAGE_CACHE = True
    settings.CACHES = {"default": RECORDING}
    caches["default"].clear()
    pagecache.reset()


@pytest.mark.usefixtures("page_cache_on")
def test_a_document_change_reaches_cached_pages_at_once(library):
    visitor = Client()
    for url in ("/documents/", "/regions/western-balkans/"):
        get_twice(visitor, url)
    document = library["placeholder"]
    document.title = "EMWP presentation, corrected"
    document.save()
    for url in ("/documents/", "/regions/western-balkans/"):
        response = visitor.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "EMWP presentation, corrected" in response.content.decode()
    # Linking a document to a region (a many-to-many row) counts as a change too.
    get_twice(visitor, "/regions/elsewhere/")
    document.regions.add(library["other"])
    assert "EMWP presentation, corrected" in visitor.get("/regions/elsewhere/").content.decode()


def test_a_scheduled_document_caps_the_page_lifetime():
    assert (Document, "publish_at") in schedule.scheduled_models()
    assert (Document, "unpublish_at") in schedule.scheduled_models()


def test_the_list_query_budget_does_not_grow_with_the_documents(client, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            get_html(client, "/documents/")
        return len(captured)

    small = queries()
    for number in range(15):
        DocumentFactory(title=f"More {number}", regions=[library["wb"]])
    assert queries() == small
