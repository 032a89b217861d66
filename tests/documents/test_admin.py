"""Documents in the admin: uploading (and the refusals an editor sees), the list's search and
filters, and the same review workflow and roles as pages."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Document
from publishing.revisions import Revision
from staff.roles import EDITOR, PUBLISHER
from tests.admin_forms import add_url, change_url, changelist_url
from tests.bombs import office_bomb
from tests.documents.conftest import data_file, stored_files
from tests.factories import DocumentFactory, ProjectFactory, RegionFactory

pytestmark = pytest.mark.django_db


def document_form(**overrides):
    data = {
        "title": "Labour mobility in the Western Balkans",
        "slug": "labour-mobility",
        "date": "2025-02-01",
        "language": "en",
        "author": "",
        "description": "A strategy.",
        "unavailable_note": "",
        "review_note": "",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


def report_docx_carrying(*names):
    """tests/data/documents/report.docx with more members added (a program, a web page)."""
    buffer = io.BytesIO(data_file("report.docx").read())
    with zipfile.ZipFile(buffer, "a") as archive:
        for name in names:
            archive.writestr(name, b"MZ... <script>alert(1)</script>")
    return SimpleUploadedFile("report.docx", buffer.getvalue())


def errors_of(response):
    return response.context["adminform"].form.errors


def test_an_upload_is_stored_with_its_type_size_and_download_name(admin_client, media_root):
    region = RegionFactory()
    project = ProjectFactory()
    response = admin_client.post(
        add_url(Document),
        document_form(
            file=data_file("slides.pptx", as_name="Strategy slides.pptx"),
            regions=[region.pk],
            projects=[project.pk],
        ),
    )
    assert response.status_code == 302, errors_of(response)
    document = Document.objects.get()
    assert (document.file_type, document.original_name) == ("PPTX", "Strategy_slides.pptx")
    assert document.file_size == (media_root / document.file.name).stat().st_size
    assert list(document.regions.all()) == [region]
    assert list(document.projects.all()) == [project]
    page = admin_client.get(change_url(document)).content.decode()
    assert "PPTX, " in page and "Strategy_slides.pptx" in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: data_file("page.html", as_name="report.pdf"), "Its content was checked"),
        (lambda: data_file("drawing.svg", as_name="report.pdf"), "Its content was checked"),
        (
            lambda: SimpleUploadedFile("report.docx", office_bomb()),
            "possible decompression bomb",
        ),
        (
            lambda: data_file("macros.docm", as_name="report.docx"),
            "Files with macros are not accepted",
        ),
        (
            lambda: report_docx_carrying("payload.exe", "index.html"),
            "a program, a script or a web page (payload.exe)",
        ),
    ],
    ids=["html-named-pdf", "svg-named-pdf", "zip-bomb-named-docx", "docm", "docx-with-exe"],
)
def test_a_refused_upload_is_explained_and_nothing_is_stored(
    admin_client, media_root, upload, message
):
    response = admin_client.post(add_url(Document), document_form(file=upload()))
    assert response.status_code == 200
    assert message in str(errors_of(response)["file"])
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_upload_names_the_limit(admin_client, settings, media_root):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 400
    response = admin_client.post(add_url(Document), document_form(file=data_file("report.pdf")))
    assert response.status_code == 200
    assert "the largest accepted is 400\u00a0bytes" in str(errors_of(response)["file"])
    assert stored_files(media_root) == []


def test_a_request_over_the_request_limit_is_refused_before_it_is_read(admin_client, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 300
    response = admin_client.post(add_url(Document), document_form(file=data_file("report.pdf")))
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_the_document_limit_fits_under_the_request_limit():
    from django.conf import settings

    assert settings.DOCUMENT_MAX_UPLOAD_BYTES < settings.UPLOAD_MAX_REQUEST_BYTES


def test_a_document_without_a_file_needs_no_upload(admin_client):
    response = admin_client.post(
        add_url(Document), document_form(unavailable_note="Ask the regional office for it.")
    )
    assert response.status_code == 302, errors_of(response)
    document = Document.objects.get()
    assert not document.file and document.note_without_file == "Ask the regional office for it."


def test_the_changelist_searches_and_filters(admin_client):
    wb = RegionFactory(name="Western Balkans", slug="wb")
    DocumentFactory(title="Returns report", language="sr", regions=[wb])
    DocumentFactory(title="Labour strategy", language="en", date="2025-02-01")
    url = changelist_url(Document)
    assert "Returns report" in admin_client.get(url, {"q": "returns"}).content.decode()
    assert "Labour strategy" not in admin_client.get(url, {"q": "returns"}).content.decode()
    by_language = admin_client.get(url, {"language": "sr"}).content.decode()
    assert "Returns report" in by_language and "Labour strategy" not in by_language
    by_region = admin_client.get(url, {"regions__id__exact": wb.pk}).content.decode()
    assert "Returns report" in by_region and "Labour strategy" not in by_region
    by_year = admin_client.get(url, {"date__year": "2025"}).content.decode()
    assert "Labour strategy" in by_year and "Returns report" not in by_year
    form = admin_client.get(add_url(Document)).content.decode()
    # Regions and projects are picked with the admin's autocomplete; the file picker hints
    # at the accepted formats.
    assert 'data-ajax--url="/admin/autocomplete/"' in form
    assert 'accept=".pdf,.docx,.pptx,.xlsx,.odt,.odp,.ods"' in form


def test_editors_and_publishers_have_the_same_rights_on_documents_as_on_pages():
    for role in (EDITOR, PUBLISHER):
        permissions = set(
            Group.objects.get(name=role).permissions.values_list("codename", flat=True)
        )
        for action in ("add", "change", "view", "delete", "publish"):
            assert (f"{action}_document" in permissions) == (f"{action}_page" in permissions), (
                role,
                action,
            )
    publisher = set(
        Group.objects.get(name=PUBLISHER).permissions.values_list("codename", flat=True)
    )
    assert "publish_document" in publisher


def test_an_editor_drafts_and_a_publisher_publishes(client, staff_with_role):
    editor = staff_with_role(EDITOR)
    client.force_login(editor)
    # An editor's "approved" is ignored: only a Publisher publishes.
    response = client.post(
        add_url(Document), document_form(is_published="on", _submit="Submit for review")
    )
    assert response.status_code == 302, errors_of(response)
    document = Document.objects.get()
    assert not document.is_published and document.review_requested
    assert 'value="publish"' not in client.get(changelist_url(Document)).content.decode()

    client.force_login(staff_with_role(PUBLISHER))
    response = client.post(
        changelist_url(Document), {"action": "publish", "_selected_action": [document.pk]}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_published and not document.review_requested


def test_an_editors_change_to_a_published_document_waits_for_review(client, staff_with_role):
    document = DocumentFactory(title="Published title")
    client.force_login(staff_with_role(EDITOR))
    response = client.post(
        change_url(document),
        document_form(title="Proposed title", slug=document.slug, _submit="Submit for review"),
    )
    assert response.status_code == 302, errors_of(response)
    document.refresh_from_db()
    assert document.title == "Published title"
    revision = Revision.objects.get()
    assert revision.snapshot["object"]["fields"]["title"] == "Proposed title"


def test_a_new_file_proposed_for_a_published_document_goes_live_on_approval(
    client, staff_with_role, media_root
):
    document = DocumentFactory(title="Report")
    client.force_login(staff_with_role(EDITOR))
    response = client.post(
        change_url(document),
        document_form(
            title="Report",
            slug=document.slug,
            file=data_file("report.pdf", as_name="Final report.pdf"),
            _submit="Submit for review",
        ),
    )
    assert response.status_code == 302, errors_of(response)
    document.refresh_from_db()
    assert not document.file  # the public still sees the live version
    revision = Revision.objects.get()

    client.force_login(staff_with_role(PUBLISHER))
    review = reverse("admin:documents_document_revision", args=[document.pk, revision.pk])
    response = client.post(review, {"action": "approve", "comment": "", "version": 1})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.file_type, document.original_name) == ("PDF", "Final_report.pdf")
    assert (media_root / document.file.name).read_bytes().startswith(b"%PDF-")
    assert document.file_size == (media_root / document.file.name).stat().st_size


def test_preview_shows_the_unsaved_document_on_its_public_page_and_saves_nothing(admin_client):
    region = RegionFactory(name="Western Balkans")
    response = admin_client.post(
        add_url(Document),
        document_form(title="A previewed document", regions=[region.pk], _preview="Preview"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>A previewed document</h1>" in html
    assert "Western Balkans" in html and "The file itself is not available" in html
    assert "no-store" in response["Cache-Control"]
    assert not Document.objects.exists()


def test_grant_role_gives_the_document_permissions(django_user_model):
    from io import StringIO

    from django.core.management import call_command

    editor = django_user_model.objects.create_user("ana")
    publisher = django_user_model.objects.create_user("ben")
    call_command("grant_role", "ana", EDITOR, stdout=StringIO())
    call_command("grant_role", "ben", PUBLISHER, stdout=StringIO())
    editor = django_user_model.objects.get(pk=editor.pk)  # fresh permission cache
    publisher = django_user_model.objects.get(pk=publisher.pk)
    assert editor.has_perms(["documents.add_document", "documents.change_document"])
    assert not editor.has_perm("documents.publish_document")
    assert not editor.has_perm("documents.delete_document")
    assert publisher.has_perms(["documents.publish_document", "documents.delete_document"])
