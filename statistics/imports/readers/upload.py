"""The refusals every import makes of an upload before reading it (the contract's tables and
import profiles alike): an empty or too large file, an old Excel workbook, or a binary file
that is neither CSV nor XLSX."""

from django.conf import settings
from django.utils.translation import gettext as _

from .limits import FileError

# Every XLSX workbook is a ZIP archive, and every ZIP archive starts with these bytes.
XLSX_SIGNATURE = b"PK\x03\x04"


def is_workbook(data: bytes) -> bool:
    """Whether `data` is read as an XLSX workbook (else as CSV text)."""
    return data.startswith(XLSX_SIGNATURE)


def check_upload(data: bytes) -> None:
    """Raise FileError when `data` is empty, over IMPORT_MAX_UPLOAD_BYTES, an old .xls
    workbook, or binary that is neither an XLSX workbook nor UTF-16 text (which decoding
    refuses with its own message)."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if not data:
        raise FileError(_("The file is empty."))
    if len(data) > limit:
        raise FileError(
            _(
                "The file is %(size).1f MB; the limit is %(limit).1f MB. "
                "Split it into smaller files."
            )
            % {"size": len(data) / 1_048_576, "limit": limit / 1_048_576}
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(
            _("This is an old Excel .xls workbook. Save it as .xlsx or CSV and upload that.")
        )
    if b"\x00" in data[:8192] and not data.startswith((XLSX_SIGNATURE, b"\xff\xfe", b"\xfe\xff")):
        raise FileError(_("This is not a CSV or XLSX file. Upload a .csv or .xlsx file."))
