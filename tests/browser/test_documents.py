"""Documents with a file (the demo's only document has none): the download link with its
type and size on the region page, the list and the document's page passes axe, fits a
375 px screen and is valid HTML."""

import datetime

import pytest

from documents.models import Document
from projects.models import Project
from regions.models import Region
from tests.documents.conftest import data_file

from .test_accessibility import check_axe
from .test_html_validity import format_errors, run_vnu
from .test_layout import PHONE, SCROLL_WIDTH

# Each test adds a document: the demo to itself (see conftest.site).
pytestmark = pytest.mark.django_db(transaction=True)

PATHS = [
    "/regions/western-balkans/",
    "/projects/psmm/",
    "/documents/",
    "/documents/labour-mobility-strategy/",
]


@pytest.fixture
def document_with_file(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = Document(
        title="Labour mobility in the Western Balkans: a strategy with a rather long title",
        slug="labour-mobility-strategy",
        date=datetime.date(2025, 2, 1),
        language="en",
        is_published=True,
        file=data_file("report.pdf", as_name="Labour mobility strategy (final version).pdf"),
    )
    document.save()
    document.regions.set([Region.objects.get(slug="western-balkans")])
    document.projects.set([Project.objects.get(slug="psmm")])
    return document


def test_documents_with_a_file_pass_axe_and_fit_a_phone(make_context, document_with_file):
    context = make_context(viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    for path in PATHS:
        response = page.goto(path, wait_until="load")
        assert response.status == 200, path
        link = page.locator(f'a[href="{document_with_file.file_url}"]').first
        assert link.get_attribute("download") == "Labour_mobility_strategy_final_version.pdf"
        check_axe(page, path)
        assert page.evaluate(SCROLL_WIDTH) <= PHONE, path
    assert context.offsite_requests() == []
    assert context.errors == []


def test_documents_with_a_file_are_valid_html(client, document_with_file, tmp_path):
    files, paths = [], {}
    for number, path in enumerate(PATHS):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b'download="Labour_mobility_strategy_final_version.pdf"' in response.content
        file = tmp_path / f"page-{number}.html"
        file.write_bytes(response.content)
        files.append(file)
        paths[file.stem] = path
    errors = run_vnu(files)
    assert errors == {}, format_errors(paths, errors)
