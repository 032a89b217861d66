"""What a document's file is, read from its content: accepted formats, and the abuse cases
(a web page or a drawing with a script named .pdf, an executable, a decompression bomb)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import files
from documents.models import Document, download_name
from tests.bombs import office_bomb
from tests.documents.conftest import data_file, stored_files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("report.pdf", "PDF"),
        ("report.docx", "DOCX"),
        ("slides.pptx", "PPTX"),
        ("notes.odt", "ODT"),
        ("../observations.xlsx", "XLSX"),
    ],
)
def test_accepted_formats_are_recognised_by_their_content(name, code):
    # Named wrongly on purpose: the content decides.
    assert files.identify(data_file(name, as_name="upload.bin")).code == code


@pytest.mark.parametrize(
    ("name", "as_name"),
    [
        ("page.html", "report.pdf"),
        ("drawing.svg", "report.pdf"),
        ("program.exe", "report.docx"),
        ("archive.zip", "report.docx"),
        ("macros.docm", "report.docx"),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, as_name):
    with pytest.raises(ValidationError) as error:
        files.identify(data_file(name, as_name=as_name))
    assert error.value.code == "not_accepted"
    assert "Its content was checked, not its name" in error.value.messages[0]


def test_a_decompression_bomb_named_docx_is_refused_from_its_directory():
    bomb = SimpleUploadedFile("report.docx", office_bomb())
    assert bomb.size < 1024 * 1024
    with pytest.raises(ValidationError) as error:
        files.identify(bomb)
    assert error.value.code == "zip_bomb"
    assert "200\u00a0MB declared" in error.value.messages[0]


def test_a_manifest_larger_than_it_may_be_is_not_read():
    buffer = io.BytesIO()
    # Stored, not compressed: not a bomb, only a member too large to be a manifest.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", b" " * (files.MAX_MANIFEST_BYTES + 1))
    with pytest.raises(ValidationError) as error:
        files.identify(SimpleUploadedFile("x.docx", buffer.getvalue()))
    assert error.value.code == "damaged"


def test_a_truncated_zip_is_reported_as_damaged():
    content = data_file("report.docx").read()[:200]
    with pytest.raises(ValidationError) as error:
        files.identify(SimpleUploadedFile("report.docx", content))
    assert error.value.code == "damaged"


def test_empty_and_oversized_files_are_refused_with_the_limit(settings):
    with pytest.raises(ValidationError) as error:
        files.identify(SimpleUploadedFile("empty.pdf", b""))
    assert error.value.code == "empty"
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 300
    with pytest.raises(ValidationError) as error:
        files.identify(data_file("report.pdf"))
    assert error.value.code == "too_large"
    assert error.value.messages == [
        "This file is 442\u00a0bytes; the largest accepted is 300\u00a0bytes."
    ]


def test_saving_stores_the_file_under_a_random_name_with_its_facts(media_root):
    document = Document(title="Annual report", slug="annual-report")
    document.file = data_file("report.docx", as_name="../../Annual report 2025.PDF")
    document.save()
    document.refresh_from_db()
    assert document.file_type == "DOCX"
    assert document.file_size == (media_root / document.file.name).stat().st_size > 0
    # Not the uploader's name or path: a random name with the extension of the real type.
    assert document.file.name.startswith("documents/")
    assert document.file.name.endswith(".docx")
    assert "Annual" not in document.file.name and ".." not in document.file.name
    # The uploader's name only as the download name, made safe and given the right extension.
    assert document.download_name == "Annual_report_2025.docx"
    assert stored_files(media_root) == [media_root / document.file.name]


def test_two_uploads_with_the_same_name_get_different_files(media_root):
    first = Document.objects.create(title="One", slug="one", file=data_file("report.pdf"))
    second = Document.objects.create(title="Two", slug="two", file=data_file("report.pdf"))
    assert first.file.name != second.file.name
    assert first.download_name == second.download_name == "report.pdf"


def test_saving_cannot_bypass_the_content_check(media_root):
    document = Document(title="Sneaky", slug="sneaky", file=data_file("page.html", "report.pdf"))
    with pytest.raises(ValidationError):
        document.save()
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_removing_the_file_clears_its_facts():
    document = Document.objects.create(title="One", slug="one", file=data_file("report.pdf"))
    document.file = None
    document.save()
    document.refresh_from_db()
    assert (document.file_type, document.file_size, document.original_name) == ("", None, "")
    assert document.download_name == ""


def test_the_database_refuses_file_facts_without_a_file():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Document.objects.bulk_create(
            [Document(title="Odd", slug="odd", file_type="PDF", file_size=10)]
        )


@pytest.mark.parametrize(
    ("uploaded", "expected"),
    [
        ("report.pdf", "report.pdf"),
        ("C:\\Users\\me\\Desktop\\Plan (final).docx", "Plan_final.pdf"),
        ("/etc/passwd", "passwd.pdf"),
        ("....pdf", "document.pdf"),
    ],
)
def test_download_names_are_safe_base_names(uploaded, expected):
    assert download_name(uploaded, files.PDF) == expected
