"""Writes the XLSX files with real Excel date cells used by the import tests.

Run from the project root: .venv/bin/python tests/data/make_excel_dates.py. The files are
committed; this script documents how they were made. openpyxl stores a datetime as Excel
does: a serial number with a date number format, which is how a period typed as "2025-03"
or "Mar 2025" ends up when Excel turns it into a date.
"""

import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = ["indicator", "area", "period", "category", "value", "status", "source", "note"]


def write(name, rows, period_format):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
        period_cell = sheet.cell(row=sheet.max_row, column=3)
        if isinstance(period_cell.value, datetime.date):
            period_cell.number_format = period_format
    workbook.save(HERE / name)


# Row 3's period is a date cell shown as "Mar 2025": a month typed into Excel. Row 2 is text.
write(
    "error_period_excel_date.xlsx",
    [
        ["reception-accommodated", "BA", "2024-Q2", "", 120, "final", "", ""],
        ["reception-accommodated", "AL", datetime.datetime(2025, 3, 1), "", 95, "final", "", ""],
    ],
    "mmm yyyy",
)
