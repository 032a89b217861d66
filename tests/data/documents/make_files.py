"""Writes the small, real documents the upload tests post (run from the repository root:
`.venv/bin/python tests/data/documents/make_files.py`). Each is the least a reader's
application opens: a one-page PDF, a one-paragraph DOCX, a one-slide PPTX, an ODT."""

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R
/Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 44 >> stream
BT /F1 12 Tf 20 50 Td (Test report) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R /Size 6 >>
%%EOF
"""

OOXML = "application/vnd.openxmlformats-officedocument"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def content_types(part, content_type):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    )


def package_rels(part):
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="{part}"/>'
        "</Relationships>"
    )


def ooxml(path, part, content_type, body):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types(part, content_type))
        archive.writestr("_rels/.rels", package_rels(part))
        archive.writestr(part, body)


def odf(path, mimetype, body):
    with zipfile.ZipFile(path, "w") as archive:
        # The ODF rule: `mimetype` first, stored uncompressed.
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
            f'manifest:media-type="{mimetype}"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        archive.writestr("content.xml", body, compress_type=zipfile.ZIP_DEFLATED)


def main():
    (HERE / "report.pdf").write_bytes(PDF)
    ooxml(
        HERE / "report.docx",
        "word/document.xml",
        f"{OOXML}.wordprocessingml.document.main+xml",
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
        'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Test report'
        "</w:t></w:r></w:p></w:body></w:document>",
    )
    ooxml(
        HERE / "slides.pptx",
        "ppt/presentation.xml",
        f"{OOXML}.presentationml.presentation.main+xml",
        '<?xml version="1.0" encoding="UTF-8"?><p:presentation xmlns:p="http://schemas.'
        'openxmlformats.org/presentationml/2006/main"/>',
    )
    # Word's macro-enabled format: refused, whatever its name says.
    ooxml(
        HERE / "macros.docm",
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
        'openxmlformats.org/wordprocessingml/2006/main"/>',
    )
    odf(
        HERE / "notes.odt",
        "application/vnd.oasis.opendocument.text",
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:'
        'oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2"><office:body>'
        "<office:text/></office:body></office:document-content>",
    )
    (HERE / "page.html").write_text(
        "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
    )
    (HERE / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'
    )
    # The start of a Windows executable (MZ header, DOS stub text).
    (HERE / "program.exe").write_bytes(
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"\x00" * 48
        + b"This program cannot be run in DOS mode.\r\r\n$"
    )
    # A zip that is no Office file (a plain archive of a text file).
    with zipfile.ZipFile(HERE / "archive.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "Not a document.\n")


if __name__ == "__main__":
    main()
