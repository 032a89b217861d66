"""The indicators as SDMX: one data structure (a DSD with its code lists and concepts, an
SDMX-ML 2.1 structure message) and the figures as SDMX-CSV 2.0 that refers to it.

- `structure`: the identifiers, how a status, qualifier, category and area become codes,
  and the structure message (`structure_xml`).
- `csv`: the SDMX-CSV 2.0 rows of public observations (`sdmx_csv`).
- `views`: the files at /statistics/<code>/sdmx.csv, /statistics/sdmx/data.csv?indicators=
  and /statistics/sdmx/structure.xml.

Public figures only: every file reads `Observation.objects.public()`, as the other downloads.
How to read them: docs/developers/sdmx.md.
"""
