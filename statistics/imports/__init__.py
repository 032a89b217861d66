"""Importing and exporting observations in the contract's columns, one job per module.

- readers: bytes -> decoded text and rows, within the import limits (a reader a format)
- tables: a file's bytes -> a Table (kind, contract column names, SourceRows)
- rows: the contract's columns; SourceRow (as read) and ParsedObservation (as checked)
- cells: formula neutralising, numbers, a cell's text
- lookups: codes and names -> ids, statuses, periods, qualifiers
- validation: SourceRow -> ParsedObservation, or errors with row and column
- writing: compare with what is stored, write in bulk, import records, data releases
- report: ImportReport and RowResult (counts, errors, preview)
- export: observations -> contract rows and CSV
- pipeline: import_observations(data or table) and import_table(table), which tie them
  together; its docstring describes the seam for rows read by an import profile.
"""
