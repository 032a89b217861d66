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
    ],
)
def test_other_content_is_refused_whatever_its_name(name, as_name):
    with pytest.raises(ValidationError) as error:
        files.identify(data_file(name, as_name=as_name))
    assert error.value.code == "not_accepted"
    assert "Its content was checked, not its name" in error.value.messages[0]


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACROS = "application/vnd.ms-word.document.macroEnabled.main+xml"
ODT = "application/vnd.oasis.opendocument.text"
DOCUMENT_XML = (
    '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    'wordprocessingml/2006/main"><w:body/></w:document>'
)
PACKAGE_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def content_types(*entries):
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(entries)
        + "</Types>"
    )


def override(part, content_type):
    return f'<Override PartName="{part}" ContentType="{content_type}"/>'


def zipped(*members, name="report.docx"):
    """An upload of a zip with (name, content[, compression]) members, in this order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member_name, content, *compression in members:
            archive.writestr(member_name, content, *compression)
    return SimpleUploadedFile(name, buffer.getvalue())


def word(types, *extra):
    return zipped(
        ("[Content_Types].xml", types),
        ("_rels/.rels", PACKAGE_RELS),
        ("word/document.xml", DOCUMENT_XML),
        *extra,
    )


def refusal(upload):
    with pytest.raises(ValidationError) as error:
        files.identify(upload)
    return error.value.code, error.value.messages[0]


def test_a_macro_document_with_the_docx_type_in_a_comment_is_refused():
    disguised = content_types(
        f'<!-- <Override PartName="/word/document.xml" ContentType="{WORD}"/> -->',
        override("/word/document.xml", WORD_MACROS),
        override("/word/vbaProject.bin", "application/vnd.ms-office.vbaProject"),
    )
    code, message = refusal(word(disguised, ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")))
    assert code == "macros"
    assert "contains macros (word/vbaProject.bin)" in message
    # The same without the macro part: its main part's type is still a macro-enabled one.
    code, message = refusal(word(disguised.replace(override("/word/vbaProject.bin", ""), "")))
    assert code == "macros" and "/word/document.xml" in message


@pytest.mark.parametrize(
    "types,extra,code",
    [
        # The DOCX type in a comment only; the main part has a plain XML type.
        (content_types(f"<!-- ContentType='{WORD}' -->"), [], "not_accepted"),
        # The DOCX type given to another part than the one the package names as main.
        (
            content_types(override("/word/other.xml", WORD)),
            [("word/other.xml", DOCUMENT_XML)],
            "not_accepted",
        ),
        # Macros under an innocent name, found by their declared type.
        (
            content_types(
                override("/word/document.xml", WORD),
                override("/word/settings.bin", "application/vnd.ms-office.vbaProject"),
            ),
            [("word/settings.bin", b"\xd0\xcf\x11\xe0")],
            "macros",
        ),
        # A DTD is never read (entities could expand or fetch).
        (f'<!DOCTYPE Types [<!ENTITY t "{WORD}">]><Types/>', [], "damaged"),
    ],
    ids=["type-in-comment", "type-on-another-part", "macros-as-bin", "doctype"],
)
def test_office_types_are_read_from_the_parsed_content_types(types, extra, code):
    assert refusal(word(types, *extra))[0] == code


@pytest.mark.parametrize(
    "member", ["payload.exe", "index.html", "word/media/page.HTM", "docProps/x.js", "a/b.jar"]
)
def test_an_office_file_carrying_a_program_or_a_web_page_is_refused(member):
    types = content_types(override("/word/document.xml", WORD))
    code, message = refusal(word(types, (member, b"MZ or <script>")))
    assert code == "forbidden_member"
    assert f"a program, a script or a web page ({member})" in message


def test_an_office_file_with_settings_parts_and_pictures_is_accepted():
    types = content_types(override("/word/document.xml", WORD))
    upload = word(
        types,
        ("word/printerSettings/printerSettings1.bin", b"\x00" * 16),
        ("word/media/image1.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"PK"),
    )
    assert files.identify(upload).code == "DOCX"


MANIFEST = (
    '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
    'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="'
    + ODT
    + '"/></manifest:manifest>'
)


@pytest.mark.parametrize(
    "members,code",
    [
        # A JAR with a `mimetype` member: its program is refused wherever it is.
        (
            [
                ("mimetype", ODT, zipfile.ZIP_STORED),
                ("META-INF/MANIFEST.MF", "Main-Class: Payload\n"),
                ("Payload.class", b"\xca\xfe\xba\xbe"),
            ],
            "forbidden_member",
        ),
        # The same without a program: no ODF manifest.
        (
            [("mimetype", ODT, zipfile.ZIP_STORED), ("META-INF/MANIFEST.MF", "x")],
            "not_accepted",
        ),
        # `mimetype` not first, or compressed, or not exactly the type.
        (
            [("META-INF/manifest.xml", MANIFEST), ("mimetype", ODT, zipfile.ZIP_STORED)],
            "not_accepted",
        ),
        (
            [("mimetype", ODT, zipfile.ZIP_DEFLATED), ("META-INF/manifest.xml", MANIFEST)],
            "not_accepted",
        ),
        (
            [("mimetype", ODT + "\n", zipfile.ZIP_STORED), ("META-INF/manifest.xml", MANIFEST)],
            "not_accepted",
        ),
        # The manifest names another type for the document.
        (
            [
                ("mimetype", ODT, zipfile.ZIP_STORED),
                ("META-INF/manifest.xml", MANIFEST.replace(ODT, "application/java-archive")),
            ],
            "not_accepted",
        ),
        # OpenDocument macros (Basic).
        (
            [
                ("mimetype", ODT, zipfile.ZIP_STORED),
                ("META-INF/manifest.xml", MANIFEST),
                ("Basic/Standard/Module1.xml", "<script/>"),
            ],
            "macros",
        ),
    ],
    ids=["jar", "jar-no-class", "not-first", "compressed", "newline", "manifest-type", "basic"],
)
def test_opendocument_needs_its_mimetype_first_stored_and_a_manifest(members, code):
    assert refusal(zipped(*members, name="notes.odt"))[0] == code


def test_a_minimal_opendocument_built_by_the_rules_is_accepted():
    upload = zipped(
        ("mimetype", ODT, zipfile.ZIP_STORED),
        ("META-INF/manifest.xml", MANIFEST),
        ("content.xml", "<office:document-content/>"),
        name="notes.odt",
    )
    assert files.identify(upload).code == "ODT"


def test_a_macro_enabled_file_from_word_is_refused_with_the_reason():
    code, message = refusal(data_file("macros.docm", as_name="report.docx"))
    assert code == "macros"
    assert "Files with macros are not accepted" in message


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
