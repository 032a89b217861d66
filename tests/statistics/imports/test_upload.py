"""The refusals of a whole upload (readers.check_upload), made alike by every import: the
contract's tables, a profile's reader and the profile builder's first look at a file."""

from statistics.imports.readers import FileError
from statistics.imports.tables import open_table
from statistics.profiles.format import parse_profile
from statistics.profiles.reshape import ProfileReader, rows_as_read

import pytest

PROFILE = parse_profile(
    {
        "format": "wbportal-import-profile",
        "version": 1,
        "name": "Test",
        "columns": {"indicator": "Indicator", "area": "Area", "period": "Year", "value": "N"},
    }
)
READERS = {
    "contract": open_table,
    "profile": ProfileReader(PROFILE),
    "builder": rows_as_read,
}


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xd0\xcf\x11\xe0rest", "old Excel .xls"),
        (b"abc\x00def", "This is not a CSV or XLSX file"),
        (b"PK\x03\x04\x00rest", "not a readable XLSX workbook"),
    ],
)
def test_every_import_refuses_the_same_uploads(reader, data, message):
    with pytest.raises(FileError, match=message):
        reader(data)


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_every_import_refuses_a_file_over_the_upload_limit(reader, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(FileError, match="the limit is 0.0 MB. Split it into smaller files."):
        reader(b"indicator,area,period,value\n")
