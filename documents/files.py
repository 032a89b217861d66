"""What an uploaded document really is, read from its content, never from its name.

Accepted: PDF (starts with `%PDF-`), Office Open XML (DOCX, PPTX, XLSX: a zip whose
`[Content_Types].xml` names the main part) and OpenDocument (ODT, ODP, ODS: a zip whose
`mimetype` member names the type). Everything else is refused, also when its name ends in
.pdf: HTML, SVG, scripts, executables, macro-enabled Office files, other archives.

The zip's own directory is read, never the whole archive: a decompression bomb declares
its sizes there (members, total size, compression ratio) and is refused on them; the one
small member that is read is read with a cap, so a member that lies about its size cannot
be unpacked beyond it.
"""

import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from formatting.display import format_file_size


@dataclass(frozen=True)
class FileKind:
    code: str  # short name shown to readers: "PDF", "DOCX", ...
    extension: str
    content_type: str


PDF = FileKind("PDF", "pdf", "application/pdf")
OOXML_KINDS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": FileKind(
        "DOCX",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        FileKind(
            "PPTX",
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        )
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": FileKind(
        "XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}
ODF_KINDS = {
    kind.content_type: kind
    for kind in (
        FileKind("ODT", "odt", "application/vnd.oasis.opendocument.text"),
        FileKind("ODP", "odp", "application/vnd.oasis.opendocument.presentation"),
        FileKind("ODS", "ods", "application/vnd.oasis.opendocument.spreadsheet"),
    )
}
KINDS_BY_CODE = {kind.code: kind for kind in (PDF, *OOXML_KINDS.values(), *ODF_KINDS.values())}
ACCEPTED_EXTENSIONS = [f".{kind.extension}" for kind in KINDS_BY_CODE.values()]

# Limits on what the zip directory of an Office file may declare.
MAX_ZIP_MEMBERS = 10_000
MAX_COMPRESSION_RATIO = 200
# `[Content_Types].xml` is a few KB; `mimetype` a few dozen bytes.
MAX_MANIFEST_BYTES = 256 * 1024

NOT_ACCEPTED = _(
    "This file is not a PDF, Word (DOCX), PowerPoint (PPTX), Excel (XLSX) or OpenDocument "
    "(ODT, ODP, ODS) file. Its content was checked, not its name: save it in one of these "
    "formats and upload it again."
)
DAMAGED = _("This file looks like an Office document but cannot be read: it may be damaged.")
BOMB = _(
    "This file would unpack to far more than its size (%(size)s declared): it is refused as "
    "a possible decompression bomb."
)
TOO_LARGE = _("This file is %(size)s; the largest accepted is %(limit)s.")
EMPTY = _("This file is empty.")

_CONTENT_TYPE = re.compile(rb"""ContentType\s*=\s*["']([^"']+)["']""")


def check_size(upload):
    if upload.size == 0:
        raise ValidationError(EMPTY, code="empty")
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"size": format_file_size(upload.size), "limit": format_file_size(limit)},
        )


def identify(upload):
    """The FileKind of an uploaded file (a Django File), or ValidationError saying why not."""
    check_size(upload)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            return _identify_zip(upload)
        finally:
            upload.seek(0)
    raise ValidationError(NOT_ACCEPTED, code="not_accepted")


def _identify_zip(upload):
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(DAMAGED, code="damaged") from error
    with archive:
        members = archive.infolist()
        _check_declared_sizes(members, upload.size)
        names = {member.filename: member for member in members}
        if "mimetype" in names:
            kind = ODF_KINDS.get(
                _read_capped(archive, names["mimetype"]).strip().decode("ascii", "replace")
            )
            if kind:
                return kind
        if "[Content_Types].xml" in names:
            declared = _CONTENT_TYPE.findall(_read_capped(archive, names["[Content_Types].xml"]))
            for content_type in declared:
                kind = OOXML_KINDS.get(content_type.decode("ascii", "replace"))
                if kind:
                    return kind
    raise ValidationError(NOT_ACCEPTED, code="not_accepted")


def _check_declared_sizes(members, compressed_size):
    if len(members) > MAX_ZIP_MEMBERS:
        raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    declared = sum(member.file_size for member in members)
    limit = min(
        settings.DOCUMENT_MAX_UNCOMPRESSED_BYTES, max(compressed_size, 1) * MAX_COMPRESSION_RATIO
    )
    if declared > limit:
        raise ValidationError(BOMB, code="zip_bomb", params={"size": format_file_size(declared)})


def _read_capped(archive, member):
    """At most MAX_MANIFEST_BYTES of one member: a member larger than that is refused."""
    if member.file_size > MAX_MANIFEST_BYTES:
        raise ValidationError(DAMAGED, code="damaged")
    try:
        with archive.open(member) as stream:
            data = stream.read(MAX_MANIFEST_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as error:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
        raise ValidationError(DAMAGED, code="damaged") from error
    if len(data) > MAX_MANIFEST_BYTES:
        raise ValidationError(DAMAGED, code="damaged")
    return data
