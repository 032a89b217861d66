"""The index of references beside the links: a site link records the object it leads to (a
document's page or file), a document's admin lists the texts that link to it, and
`check_links` records what no save signal saw."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from documents.models import Document
from links.models import Reference
from links.usage import text_uses
from pages.models import Page
from tests.admin_forms import add_url, change_url
from tests.documents.conftest import DATA
from tests.factories import DocumentFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def document_with_file(**fields):
    pdf = SimpleUploadedFile("report.pdf", (DATA / "report.pdf").read_bytes())
    return DocumentFactory(file=pdf, **fields)


def users(obj):
    return {(use.obj, use.field_label) for use in text_uses(obj)}


def test_links_to_a_documents_page_or_file_are_its_uses(admin_client, settings):
    settings.SITE_URL = "https://wb.example.org"
    document = document_with_file(slug="annual-report", is_published=False)
    page = Page.objects.create(
        title="Reading", slug="reading", body="See [the report](/documents/annual-report/#p2)."
    )
    project = ProjectFactory(
        description=f"[PDF](https://wb.example.org{document.file.url}) and "
        "[all documents](/documents/)"
    )
    downloading = ProjectFactory(description="[Download](/documents/annual-report/file/)")
    other = DocumentFactory(slug="other")
    linking_other = ProjectFactory(description="[Other](/documents/other/)")
    assert users(document) == {
        (page, "text"),
        (project, "description"),
        (downloading, "description"),
    }
    assert users(other) == {(linking_other, "description")}

    html = admin_client.get(change_url(document)).content.decode()
    section = html.split("Where it is used")[1]
    assert f'<a href="{change_url(page)}">{page}</a> (text)' in section
    assert f'<a href="{change_url(project)}">{project}</a> (description)' in section
    unlinked = admin_client.get(change_url(DocumentFactory())).content.decode()
    assert "Not linked from any text yet." in unlinked
    assert "Where it is used" not in admin_client.get(add_url(Document)).content.decode()


def test_the_references_follow_the_text_and_the_object():
    document = DocumentFactory(slug="plan")
    page = Page.objects.create(title="A", slug="a", body="[Plan](/documents/plan/)")
    assert users(document) == {(page, "text")}
    page.body = "No link now."
    page.save()
    assert users(document) == set()
    page.body = "[Plan](/documents/plan)"  # without the slash: CommonMiddleware adds it
    page.save()
    assert users(document) == {(page, "text")}
    page.delete()
    assert not Reference.objects.exists()


def test_check_links_records_what_no_save_signal_saw():
    """loaddata and QuerySet.update() send no save signal; check_links records them all, and
    a page created after the text that links to it is found then."""
    page = Page.objects.create(title="A", slug="a", body="")
    Page.objects.filter(pk=page.pk).update(body="[Plan](/documents/later/)")
    document = DocumentFactory(slug="later")
    assert users(document) == set()
    call_command("check_links", internal_only=True, verbosity=0)
    assert users(document) == {(page, "text")}
