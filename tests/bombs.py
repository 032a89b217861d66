"""Hostile upload files ("bombs"), generated on demand and never committed.

Used by tests/statistics/test_upload_limits.py and by `make bench-import`. Each builder
returns the file's bytes; the big parts are written to the archive in chunks, so building a
bomb costs far less memory than the bomb unpacks to.
"""

import io
import struct
import zipfile
from xml.sax.saxutils import escape

HEADER = ["indicator", "area", "period", "category", "value", "status", "source", "note"]
# Two rows that import into the demo content (tests/conftest.py `demo`).
GOOD_ROWS = [
    ["reception-accommodated", "RS", "2019", "", "5", "", "", "first"],
    ["reception-accommodated", "AL", "2019", "", "7.25", "", "", "second"],
]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Complete enough for openpyxl too, so the tests also show how the old reader fared.
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SPREADSHEET}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEET}.sharedStrings+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEET}.styles+xml"/>'
    "</Types>"
)


def column_letters(number):
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def row_xml(number, values):
    """A sheet row of inline strings (empty values left out)."""
    cells = "".join(
        f'<c r="{column_letters(column)}{number}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        for column, value in enumerate(values, start=1)
        if value != ""
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def good_rows_xml():
    yield row_xml(1, HEADER)
    for number, values in enumerate(GOOD_ROWS, start=2):
        yield row_xml(number, values)


def _write(archive, name, chunks):
    with archive.open(name, "w") as member:
        for chunk in chunks:
            member.write(chunk)


def workbook(rows, *, dimension="A1:H3", shared_strings=(), prologue=b""):
    """An XLSX file: `rows` (iterable of bytes) is the first sheet's sheetData content.

    `shared_strings`: iterable of bytes for the <sst> content; `prologue`: bytes put before
    the sheet's root element (a DOCTYPE, say).
    """
    relationships = "".join(
        f'<Relationship Id="rId{number}" Type="{REL}/{kind}" Target="{target}"/>'
        for number, kind, target in [
            (1, "worksheet", "worksheets/sheet1.xml"),
            (2, "sharedStrings", "sharedStrings.xml"),
            (3, "styles", "styles.xml"),
        ]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/styles.xml", f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"/>')
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_REL}"><Relationship '
            f'Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_REL}">'
            + relationships
            + "</Relationships>",
        )
        head = (
            b'<?xml version="1.0"?>'
            + prologue
            + f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode()
        )
        _write(archive, "xl/worksheets/sheet1.xml", [head, *rows, b"</sheetData></worksheet>"])
        _write(
            archive,
            "xl/sharedStrings.xml",
            [f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode(), *shared_strings, b"</sst>"],
        )
    return buffer.getvalue()


def dimension_bomb():
    """Two good rows in a sheet that declares every cell Excel can address, and whose last
    row element (empty) is Excel's last row: a reader that pads to the dimension builds a
    million rows of 16,384 cells."""
    return workbook([*good_rows_xml(), b'<row r="1048576"/>'], dimension="A1:XFD1048576")


def empty_rows_bomb(count=1_000_000):
    """Two good rows, then `count` empty rows (a few bytes each once zipped)."""

    def rows():
        yield from good_rows_xml()
        for start in range(4, count + 4, 10_000):
            end = min(start + 10_000, count + 4)
            yield b"".join(b'<row r="%d"/>' % number for number in range(start, end))

    return workbook(rows(), dimension=f"A1:H{count + 3}")


def shared_string_bomb(chars=50_000_000):
    """One shared string of `chars` letters, used as the note of a good row."""

    def strings():
        yield b"<si><t>"
        for start in range(0, chars, 1_000_000):
            yield b"x" * min(1_000_000, chars - start)
        yield b"</t></si>"

    def rows():
        yield row_xml(1, HEADER)
        yield row_xml(2, GOOD_ROWS[0][:7]).replace(b"</row>", b'<c r="H2" t="s"><v>0</v></c></row>')

    return workbook(rows(), shared_strings=strings())


def billion_laughs():
    """Entities that expand each other ten times over, nine levels deep, in the sheet."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    )
    prologue = f"<!DOCTYPE worksheet [{entities}]>".encode()
    rows = [row_xml(1, HEADER), row_xml(2, GOOD_ROWS[0][:7] + ["&lol9;"]).replace(b"&amp;", b"&")]
    return workbook(rows, prologue=prologue)


def deep_bomb(depth=200_000):
    """Elements nested far deeper than any spreadsheet, in the sheet."""
    return workbook([*good_rows_xml(), b"<x>" * depth, b"</x>" * depth])


def wide_workbook(columns):
    """A good row with a value in column number `columns` too."""
    rows = list(good_rows_xml())
    rows[1] = rows[1].replace(
        b"</row>", b'<c r="%s2"><v>1</v></c></row>' % column_letters(columns).encode()
    )
    return workbook(rows)


def empty_cells_bomb(rows, cells):
    """Two good rows, then `rows` rows of `cells` empty cells each (formatting, say)."""

    def chunks():
        yield from good_rows_xml()
        for number in range(4, rows + 4):
            yield b'<row r="%d">' % number + b"<c/>" * cells + b"</row>"

    return workbook(chunks())


def long_cell_workbook(chars):
    row = row_xml(2, GOOD_ROWS[0][:7] + ["y" * chars])
    return workbook([row_xml(1, HEADER), row])


def many_rows_workbook_rows(count):
    """The header and `count` valid rows, as sheet XML."""
    yield row_xml(1, HEADER)
    for number in range(2, count + 2):
        yield row_xml(number, ["reception-accommodated", "RS", "2019", f"c{number}", "1"])


def many_rows_workbook(count):
    return workbook(many_rows_workbook_rows(count), dimension="A1:E2")


def lying_member(data, name, declared):
    """`data` (a zip) with member `name`'s uncompressed size in the directory set to `declared`."""
    data = bytearray(data)
    encoded = name.encode()
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, position + 24, declared)
            return bytes(data)
        position = data.find(b"PK\x01\x02", position + 4)
    raise ValueError(f"{name} is not in the archive")


def many_members(count):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(count):
            archive.writestr(f"part{number}.xml", "")
    return buffer.getvalue()


def csv_file(rows, header=HEADER):
    return ("\n".join(",".join(row) for row in [header, *rows]) + "\n").encode()


def csv_bad_rows(count=1_000_000):
    """`count` rows with errors in every column, 9 bytes each (a million: 9 MB)."""
    return (",".join(HEADER) + "\n").encode() + b"x,X,1,,y\n" * count


def csv_good_rows(count):
    rows = [["reception-accommodated", "RS", "2019", f"c{number}", "1"] for number in range(count)]
    return csv_file(rows, HEADER[:5])


def office_bomb(unpacked_bytes=200 * 1024 * 1024):
    """A "DOCX" whose one extra member unpacks to `unpacked_bytes` of zeros (about a
    thousandth of that compressed): a decompression bomb with a genuine Word content type."""
    buffer = io.BytesIO()
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/word/document.xml" ContentType="{word}"/>'
            "</Types>",
        )
        chunk = b"\0" * (1024 * 1024)
        _write(archive, "word/document.xml", (chunk for _ in range(unpacked_bytes // len(chunk))))
    return buffer.getvalue()
