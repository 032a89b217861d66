"""Reading an upload (CSV text or an XLSX workbook) into rows, within limits: one reader a
format, and the limits and text decoding they share.

A Data manager's file must never take a worker down, so nothing here trusts what a file says
about itself: a workbook is checked as a ZIP archive (member count, declared and actual
unpacked sizes, compression ratio) before any XML is parsed; its XML is parsed by streaming
(expat, no DTD, bounded nesting and token length) and never padded to the sheet's declared
`<dimension>`; CSV is read record by record from the decoded text. Rows, columns and cell
length are counted as they are read, and the first one over its limit refuses the whole file
with a FileError that names what was found, the limit and what to do. The limits are settings
(`IMPORT_MAX_*`, see docs/operators/deploy.md).

- limits: FileError, Limits and the refusals both readers word alike
- upload: the refusals of a whole upload before it is read (size, kind of file)
- text: a CSV's bytes -> text (UTF-8, Windows-1250 or Windows-1251), and its lines
- csv: decoded text -> records
- xlsx: a workbook's bytes -> the rows of its first sheet (a streaming reader of its own)
"""

from .csv import csv_rows
from .limits import FileError, Limits, cell_too_long, too_many_columns, too_many_rows
from .text import decode, first_line, text_lines
from .upload import check_upload, is_workbook
from .xlsx import xlsx_rows

__all__ = [
    "FileError",
    "Limits",
    "cell_too_long",
    "check_upload",
    "csv_rows",
    "decode",
    "first_line",
    "is_workbook",
    "text_lines",
    "too_many_columns",
    "too_many_rows",
    "xlsx_rows",
]
