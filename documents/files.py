"""What an uploaded document really is, read from its content, never from its name.

Accepted: PDF (starts with `%PDF-`), Office Open XML (DOCX, PPTX, XLSX: a zip whose package
relationship names the main part and whose `[Content_Types].xml`, parsed as XML, gives that
part the main type of one of them) and OpenDocument (ODT, ODP, ODS: a zip whose first member
is `mimetype`, stored uncompressed, naming the type, with a `META-INF/manifest.xml`).
Everything else is refused, also when its name ends in .pdf: HTML, SVG, scripts,
executables, other archives, Office files with macros (a `vbaProject` part, a macro-enabled
content type, OpenDocument Basic or scripts), and Office files carrying a program, a script
or a web page at any path.

The zip's own directory is read, never the whole archive: a decompression bomb declares
its sizes there (members, total size, compression ratio) and is refused on them; the one
small member that is read is read with a cap, so a member that lies about its size cannot
be unpacked beyond it.
"""

import posixpath
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
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
MACROS = _(
    "This Office file contains macros (%(part)s). Files with macros are not accepted: save it "
    "as a document without macros (DOCX, PPTX, XLSX, ODT, ODP or ODS) and upload it again."
)
FORBIDDEN_MEMBER = _(
    "This file carries a program, a script or a web page (%(name)s). Such files are not "
    "accepted: remove it from the document and upload it again."
)

# Members no document needs, at any path: programs, scripts, web pages, Java archives.
FORBIDDEN_EXTENSIONS = {
    "exe", "dll", "com", "scr", "pif", "cpl", "msi", "msp", "sys", "drv", "ocx", "so",
    "dylib", "elf", "app", "apk", "jar", "class", "bat", "cmd", "ps1", "psm1", "vbs", "vbe",
    "js", "jse", "mjs", "wsf", "wsh", "wsc", "sct", "hta", "lnk", "reg", "inf", "url",
    "desktop", "sh", "bash", "py", "pl", "php", "rb", "html", "htm", "xhtml", "xht", "shtml",
    "mht", "mhtml", "swf", "chm",
}  # fmt: skip

_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PACKAGE_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",  # Strict
}
_MANIFEST_NS = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"


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
        _check_members(members)
        if members and members[0].filename == "mimetype":
            return _identify_odf(archive, members)
        names = {member.filename: member for member in members}
        if "[Content_Types].xml" in names:
            return _identify_ooxml(archive, names)
    raise ValidationError(NOT_ACCEPTED, code="not_accepted")


def _check_members(members):
    """Refuses macros and programs, scripts and web pages, wherever they are in the zip."""
    for member in members:
        path = member.filename.replace("\\", "/").lower()
        base = posixpath.basename(path.rstrip("/"))
        if base.startswith(("vbaproject", "vbadata")) or path.startswith(("basic/", "scripts/")):
            raise ValidationError(MACROS, code="macros", params={"part": member.filename})
        if not member.is_dir() and base.rpartition(".")[2] in FORBIDDEN_EXTENSIONS:
            raise ValidationError(
                FORBIDDEN_MEMBER, code="forbidden_member", params={"name": member.filename}
            )


def _identify_odf(archive, members):
    """OpenDocument: `mimetype` first and stored (what ODF requires and a JAR or plain zip
    does not do), naming one of our types exactly; the manifest agrees."""
    first = members[0]
    if first.compress_type != zipfile.ZIP_STORED:
        raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    kind = ODF_KINDS.get(_read_capped(archive, first).decode("ascii", "replace"))
    manifest = next((m for m in members if m.filename == "META-INF/manifest.xml"), None)
    if kind is None or manifest is None:
        raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    root = _read_xml(archive, manifest)
    if root.tag != f"{_MANIFEST_NS}manifest":
        raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    for entry in root.iter(f"{_MANIFEST_NS}file-entry"):
        if entry.get(f"{_MANIFEST_NS}full-path") == "/" and (
            entry.get(f"{_MANIFEST_NS}media-type") != kind.content_type
        ):
            raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    return kind


def _identify_ooxml(archive, names):
    """Office Open XML: the package relationship names the main part, which is in the zip
    and has the main type of DOCX, PPTX or XLSX in `[Content_Types].xml` (read as XML, so a
    type in a comment or in another part's entry counts for nothing)."""
    types = _read_xml(archive, names["[Content_Types].xml"])
    if types.tag != f"{_CONTENT_TYPES_NS}Types":
        raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    defaults, overrides = {}, {}
    for entry in types:
        content_type = entry.get("ContentType", "")
        if "macroenabled" in content_type.lower() or "vbaproject" in content_type.lower():
            part = entry.get("PartName") or entry.get("Extension") or content_type
            raise ValidationError(MACROS, code="macros", params={"part": part})
        if entry.tag == f"{_CONTENT_TYPES_NS}Default":
            defaults[entry.get("Extension", "").lower()] = content_type
        elif entry.tag == f"{_CONTENT_TYPES_NS}Override":
            overrides[entry.get("PartName", "").lower()] = content_type
    main = _main_part(archive, names)
    parts = {name.lower() for name in names}
    if main is None or main.lower() not in parts:
        raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    content_type = overrides.get(f"/{main.lower()}")
    if content_type is None:
        content_type = defaults.get(main.rpartition(".")[2].lower())
    kind = OOXML_KINDS.get(content_type)
    if kind is None:
        raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    return kind


def _main_part(archive, names):
    """The zip path of the package's one main document part, from `_rels/.rels`."""
    if "_rels/.rels" not in names:
        return None
    targets = [
        relationship.get("Target", "")
        for relationship in _read_xml(archive, names["_rels/.rels"]).iter(
            f"{_PACKAGE_RELS_NS}Relationship"
        )
        if relationship.get("Type") in _OFFICE_DOCUMENT
        and relationship.get("TargetMode", "Internal") == "Internal"
    ]
    if len(targets) != 1:
        return None
    return posixpath.normpath("/" + targets[0]).lstrip("/")


def _read_xml(archive, member):
    """A small XML member, parsed without DTDs, entities or external references."""
    try:
        return parse_xml(_read_capped(archive, member), forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException) as error:
        raise ValidationError(DAMAGED, code="damaged") from error


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
