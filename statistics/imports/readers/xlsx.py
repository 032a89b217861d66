"""XLSX: a workbook's bytes -> the rows of its first sheet, by a streaming reader of its own.

The archive is checked before any XML is read (member count, declared and actual unpacked
sizes, compression ratio); each XML part is parsed by streaming (expat, no DTD, bounded
nesting and token length), and the sheet is never padded to its declared `<dimension>`.
"""

import array
import datetime
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import NoReturn, Self, TypeVar
from xml.parsers import expat

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from .limits import (
    RECORD_CELLS,
    FileError,
    Limits,
    cell_too_long,
    grouped,
    too_many_columns,
    too_many_rows,
)

# An XLSX workbook has a dozen parts; a spreadsheet with images or many sheets a few hundred.
MAX_ZIP_MEMBERS = 1000
# Small parts compress well for innocent reasons; the ratio limit applies above this size.
RATIO_FLOOR_BYTES = 1_048_576
# Spreadsheet XML nests a few levels deep; thousands of levels only grow the parser's stack.
MAX_XML_DEPTH = 64
CHUNK_BYTES = 65_536

# A cell's value as openpyxl reads it with data_only=True.
Cell = str | int | float | bool | datetime.datetime | datetime.timedelta | None
# (the cell styles that show a number as a date, those of them that show a duration)
DateStyles = tuple[set[int], set[int]]


def _megabytes(size: int) -> str:
    return number_format(round(size / 1_048_576, 1), decimal_pos=1, force_grouping=True)


def _damaged() -> FileError:
    return FileError(
        _(
            "The file is a ZIP archive but not a readable XLSX workbook. Open it in a "
            "spreadsheet program, save it again as .xlsx (or as CSV) and upload that."
        )
    )


def _open_archive(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """A ZipFile whose declared sizes are within the limits, or FileError."""
    # Each member costs memory as soon as ZipFile reads the central directory: count the
    # directory's entry signatures first (an upper bound on the members).
    members = data.count(b"PK\x01\x02")
    if members > MAX_ZIP_MEMBERS:
        raise FileError(
            _(
                "The file is a ZIP archive of %(count)s parts; an XLSX workbook has far fewer "
                "(the limit is %(limit)s). Upload a workbook saved by a spreadsheet program."
            )
            % {"count": grouped(members), "limit": grouped(MAX_ZIP_MEMBERS)}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _damaged() from None
    total = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise FileError(
                _(
                    "The workbook is encrypted or packed in an unusual way (%(part)s). Save it "
                    "again without a password as .xlsx, or as CSV, and upload that."
                )
                % {"part": info.filename[:100]}
            )
        total += info.file_size
        if total > limits.uncompressed_bytes:
            raise FileError(
                _(
                    "The workbook unpacks to more than %(limit)s MB (its parts declare "
                    "%(size)s MB so far, %(part)s included); the limit is %(limit)s MB. "
                    "Delete empty rows and columns, or split the file into smaller files."
                )
                % {
                    "limit": _megabytes(limits.uncompressed_bytes),
                    "size": _megabytes(total),
                    "part": info.filename[:100],
                }
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            limits.compression_ratio
            and info.file_size > RATIO_FLOOR_BYTES
            and ratio > limits.compression_ratio
        ):
            raise FileError(
                _(
                    "The workbook part %(part)s unpacks to %(ratio)s times its packed size; "
                    "the limit is %(limit)s. Spreadsheets do not compress that well unless "
                    "they hold masses of empty rows or cells: delete them, or save the data "
                    "as CSV, and upload that."
                )
                % {
                    "part": info.filename[:100],
                    "ratio": grouped(int(ratio)),
                    "limit": grouped(limits.compression_ratio),
                }
            )
    return archive


# The start of a row or cell element, with or without a namespace prefix.
_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]")


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _Part:
    """One XML part of the workbook, parsed by streaming; subclasses handle the elements.

    `start()` and `end()` are called only for the elements named in `starts` and `ends`
    (a sheet has millions of elements; most need no Python call of their own).
    """

    starts: frozenset[str] = frozenset()
    ends: frozenset[str] = frozenset()

    def __init__(self, workbook: "_Workbook", name: str) -> None:
        self.workbook = workbook
        self.name = name
        self.stack: list[str] = []
        self.names: dict[
            str, str
        ] = {}  # raw element name -> local name, for the first few hundred names

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        tag = self.names.get(name)
        if tag is None:
            tag = _local(name)
            if len(self.names) < 256:
                self.names[name] = tag
        stack = self.stack
        stack.append(tag)
        if len(stack) > MAX_XML_DEPTH:
            raise _damaged()
        if tag in self.starts:
            self.start(tag, attrs)

    def _end(self, name: str) -> None:
        tag = self.stack.pop()
        if tag in self.ends:
            self.end(tag)

    def _doctype(self, *args: object) -> NoReturn:
        # Spreadsheet XML has no DTD; refusing one refuses every entity trick with it.
        raise _damaged()

    def chunks(self) -> Iterator[None]:
        """Parse the part, yielding after each chunk (the sheet hands rows out meanwhile)."""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self.text
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        workbook = self.workbook
        # Expat holds a whole tag (with its attributes) in memory: a long run without "<" is
        # either a huge tag or text longer than any cell, so it is refused as it streams.
        longest = 10 * workbook.limits.cell_chars + 4096
        run = 0
        try:
            for chunk in workbook.member(self.name):
                workbook.spend(len(chunk))
                first = chunk.find(b"<")
                if first < 0:
                    run += len(chunk)
                else:
                    run += first
                    if run <= longest:
                        run = len(chunk) - chunk.rfind(b"<") - 1
                if run > longest:
                    raise FileError(workbook.text_too_long())
                parser.Parse(chunk, False)
                yield
            parser.Parse(b"", True)
            yield
        except expat.ExpatError:
            raise _damaged() from None

    def parse(self) -> Self:
        for _chunk in self.chunks():
            pass
        return self


PartT = TypeVar("PartT", bound=_Part)


class _Relationships(_Part):
    starts = frozenset({"Relationship"})

    def __init__(self, workbook: "_Workbook", name: str) -> None:
        super().__init__(workbook, name)
        self.by_id: dict[str | None, str] = {}
        self.by_type: dict[str, str] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "Relationship" and "Target" in attrs:
            target = attrs["Target"]
            if target.startswith("/"):
                target = target[1:]
            else:
                base = posixpath.dirname(posixpath.dirname(self.name))
                target = posixpath.normpath(posixpath.join(base, target))
            self.by_id[attrs.get("Id")] = target
            self.by_type.setdefault(attrs.get("Type", "").rpartition("/")[2], target)


class _WorkbookPart(_Part):
    starts = frozenset({"sheet", "workbookPr"})

    def __init__(self, workbook: "_Workbook", name: str) -> None:
        super().__init__(workbook, name)
        self.first_sheet: str | None = None
        self.epoch: datetime.datetime = CALENDAR_WINDOWS_1900

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "sheet" and self.first_sheet is None:
            self.first_sheet = next(
                (value for key, value in attrs.items() if key == "id" or key.endswith(":id")),
                None,
            )
        elif tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
            self.epoch = CALENDAR_MAC_1904


class _Styles(_Part):
    """Which cell styles show a number as a date (openpyxl's reading of number formats)."""

    starts = frozenset({"numFmt", "xf"})

    def __init__(self, workbook: "_Workbook", name: str) -> None:
        super().__init__(workbook, name)
        self.formats = dict(BUILTIN_FORMATS)
        self.cell_formats: list[int] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "numFmt" and "numFmts" in self.stack:
            try:
                self.formats[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif tag == "xf" and "cellXfs" in self.stack and len(self.cell_formats) < 65_536:
            try:
                self.cell_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                self.cell_formats.append(0)

    def date_styles(self) -> DateStyles:
        dates: set[int] = set()
        durations: set[int] = set()
        for style, format_id in enumerate(self.cell_formats):
            code = self.formats.get(format_id, "")
            if is_date_format(code):
                dates.add(style)
                if is_timedelta_format(code):
                    durations.add(style)
        return dates, durations


class _SharedStrings(_Part):
    """The workbook's shared strings, packed into one UTF-8 buffer with end offsets.

    A list of Python strings costs about fifty bytes more per string than its text: packed,
    the table costs no more than the XML it came from. A string is decoded the first time a
    cell refers to it and every later reference gets that same str, so a sheet that repeats
    one long text in every row holds it once, not once a row.
    """

    starts = ends = frozenset({"si"})

    def __init__(self, workbook: "_Workbook", name: str) -> None:
        super().__init__(workbook, name)
        self.packed = bytearray()
        # Not `ends`: that class attribute names the elements whose end() is called.
        self.offsets = array.array("Q")
        self.decoded: dict[int, str] = {}  # index -> str, for the strings cells referred to
        self.parts: list[str] | None = None
        self.length = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "si":
            self.parts, self.length = [], 0

    def text(self, data: str) -> None:
        if self.parts is not None and self.stack[-1] == "t" and "rPh" not in self.stack:
            self.length += len(data)
            if self.length > self.workbook.limits.cell_chars:
                raise FileError(self.workbook.text_too_long())
            self.parts.append(data)

    def end(self, tag: str) -> None:
        if tag == "si" and self.parts is not None:
            self.packed += "".join(self.parts).encode()
            self.offsets.append(len(self.packed))
            self.parts = None

    def __getitem__(self, index: int) -> str:
        text = self.decoded.get(index)
        if text is None:
            if index < 0:
                raise IndexError(index)
            start = self.offsets[index - 1] if index else 0
            text = self.decoded[index] = self.packed[start : self.offsets[index]].decode()
        return text

    def __len__(self) -> int:
        return len(self.offsets)


def _column_number(reference: str) -> int | None:
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif char.isdigit():
            break
        else:
            return None
    return number or None


class _Sheet(_Part):
    """The first worksheet's rows: non-blank rows handed out, blank ones only counted."""

    starts = ends = frozenset({"row", "c"})

    def __init__(
        self,
        workbook: "_Workbook",
        name: str,
        strings: "_SharedStrings | list[str]",
        styles: DateStyles,
        epoch: datetime.datetime,
    ) -> None:
        super().__init__(workbook, name)
        self.strings = strings
        self.dates, self.durations = styles
        self.epoch = epoch
        self.limits = workbook.limits
        self.rows_seen = 0
        self.row_number = 0
        self.ready: list[tuple[int, list[Cell]]] = []  # completed since the last chunk
        self.cells: dict[int, Cell] | None = None  # column number -> value, in a row
        self.column = 0
        self.cell_type: str | None = None
        self.cell_style: int | None = None
        self.parts: list[str] | None = None
        self.length = 0
        self.column_numbers: dict[str, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "row":
            self.rows_seen += 1
            if self.rows_seen > self.limits.rows + 1:
                raise too_many_rows(self.limits)
            try:
                self.row_number = int(attrs["r"])
            except (KeyError, ValueError):
                self.row_number += 1
            self.cells, self.column = {}, 0
        elif tag == "c" and self.cells is not None:
            reference = attrs.get("r")
            column = None
            if reference:
                letters = reference.rstrip("0123456789")
                column = self.column_numbers.get(letters)
                if column is None:
                    column = _column_number(letters)
                    if column and column <= self.limits.columns:
                        self.column_numbers[letters] = column
            self.column = column or self.column + 1
            if self.column > self.limits.columns:
                found = _("at least %(count)s") % {"count": grouped(self.column)}
                raise too_many_columns(self.row_number, found, self.limits)
            self.cell_type = attrs.get("t", "n")
            try:
                self.cell_style = int(attrs.get("s", "0"))
            except ValueError:
                self.cell_style = 0
            self.parts, self.length = [], 0

    def text(self, data: str) -> None:
        if self.parts is None:
            return
        tag = self.stack[-1]
        # In a cell, <t> is inline text (<is>); <rPh> holds a phonetic reading, not the value.
        if tag == "v" or (tag == "t" and "rPh" not in self.stack):
            self.length += len(data)
            if self.length > self.limits.cell_chars:
                raise cell_too_long(self.row_number, self.column, self.limits)
            self.parts.append(data)

    def end(self, tag: str) -> None:
        if tag == "c" and self.parts is not None and self.cells is not None:
            value = self._value("".join(self.parts))
            if value is not None and value != "":
                self.cells[self.column] = value
            self.parts = None
        elif tag == "row" and self.cells is not None:
            if self.cells:
                row: list[Cell] = [None] * max(self.cells)
                for column, value in self.cells.items():
                    row[column - 1] = value
                self.ready.append((self.row_number, row))
            self.cells = None

    def _value(self, text: str) -> Cell:
        """The cell's value as openpyxl gives it with data_only=True."""
        kind = self.cell_type
        if kind == "inlineStr" or kind == "str" or kind == "e":
            return text
        if text == "":
            return None
        try:
            if kind == "s":
                return self.strings[int(text)]
            if kind == "b":
                return bool(int(text))
            if kind == "d":
                return datetime.datetime.fromisoformat(text)
            number = float(text) if any(char in text for char in ".eE") else int(text)
        except (ValueError, IndexError, TypeError):
            return text
        if self.cell_style in self.dates:
            try:
                return from_excel(number, self.epoch, timedelta=self.cell_style in self.durations)
            except (ValueError, OverflowError):
                return number
        return number

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        for _chunk in self.chunks():
            ready, self.ready = self.ready, []
            yield from ready


class _Workbook:
    def __init__(self, data: bytes, limits: Limits) -> None:
        self.limits = limits
        self.archive = _open_archive(data, limits)
        self.left = limits.uncompressed_bytes
        self.names = set(self.archive.namelist())

    def member(self, name: str) -> Iterator[bytes]:
        """The unpacked bytes of part `name`, a chunk at a time."""
        try:
            with self.archive.open(name) as member:
                while chunk := member.read(CHUNK_BYTES):
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            # zipfile stops at a member's declared size and then checks its CRC: a member
            # that lies about its size ends up here.
            raise FileError(
                _(
                    "The workbook is damaged: its part %(part)s does not match its declared "
                    "size or checksum. Open it in a spreadsheet program, save it again and "
                    "upload the new file."
                )
                % {"part": name[:100]}
            ) from None

    def count_sheet(self, name: str) -> None:
        """Refuse a sheet with too many rows or cells before any of its rows is checked.

        A byte scan for row and cell tags (empty ones included): far cheaper than parsing,
        and a sheet within the counts costs a bounded number of elements to parse.
        """
        rows = cells = 0
        carry = b""
        for chunk in self.member(name):
            data = carry + chunk
            cut = data.rfind(b"<", max(len(data) - 64, 0))  # a tag may go on in the next chunk
            if cut < 0:
                cut = len(data)
            tags = _ROW_OR_CELL.findall(data, 0, cut)
            carry = data[cut:]
            found = tags.count(b"row")
            rows += found
            cells += len(tags) - found
            if rows > self.limits.rows + 1:
                raise too_many_rows(self.limits)
            if cells > self.limits.rows * RECORD_CELLS:
                raise FileError(
                    _(
                        "The sheet has more than %(limit)s cells (empty cells that hold "
                        "formatting count too); the limit is %(limit)s, ten a row. Delete "
                        "the empty rows and columns around the data, or split the file into "
                        "smaller files."
                    )
                    % {"limit": grouped(self.limits.rows * RECORD_CELLS)}
                )

    def spend(self, size: int) -> None:
        """Count bytes actually unpacked: declared sizes are the file's word, not a fact."""
        self.left -= size
        if self.left < 0:
            raise FileError(
                _(
                    "The workbook unpacks to more than %(limit)s MB; the limit is %(limit)s "
                    "MB. Delete empty rows and columns, or split the file into smaller files."
                )
                % {"limit": _megabytes(self.limits.uncompressed_bytes)}
            )

    def text_too_long(self) -> str:
        return _(
            "The workbook holds a text of more than %(limit)s characters; the limit is "
            "%(limit)s a cell. Shorten the text, or split it over several rows."
        ) % {"limit": grouped(self.limits.cell_chars)}

    def part(self, cls: type[PartT], name: str | None) -> PartT | None:
        if name is None or name not in self.names:
            return None
        return cls(self, name)

    def relationships(self, name: str) -> _Relationships:
        directory, base = posixpath.split(name)
        rels = self.part(_Relationships, posixpath.join(directory, "_rels", base + ".rels"))
        return rels.parse() if rels is not None else _Relationships(self, name)

    def first_sheet_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        main = self.relationships("").by_type.get("officeDocument", "xl/workbook.xml")
        workbook = self.part(_WorkbookPart, main)
        if workbook is None:
            raise _damaged()
        workbook.parse()
        rels = self.relationships(main)
        sheet = rels.by_id.get(workbook.first_sheet)
        if sheet is None or sheet not in self.names:
            raise _damaged()
        shared = self.part(_SharedStrings, rels.by_type.get("sharedStrings"))
        strings: _SharedStrings | list[str] = shared.parse() if shared is not None else []
        style_part = self.part(_Styles, rels.by_type.get("styles"))
        styles = style_part.parse().date_styles() if style_part is not None else (set(), set())
        self.count_sheet(sheet)
        return _Sheet(self, sheet, strings, styles, workbook.epoch).rows()


def xlsx_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, list[Cell]]]:
    """(row number, cells) for each non-blank row of the workbook's first sheet.

    Cells are values as openpyxl reads them with data_only=True (text, int, float, bool,
    datetime), None where blank, up to the row's last non-blank cell. FileError at the first
    limit passed, or for a damaged workbook.
    """
    return _Workbook(data, limits).first_sheet_rows()
