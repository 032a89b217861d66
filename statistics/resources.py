"""django-import-export for the admin's export: the resource makes the dataset, a format writes it.

Export only. The admin's import is its own upload -> preview -> confirm flow on the shared
pipeline (statistics.imports.pipeline, statistics/admin.py); docs/developers/libraries.md
("Admin import: our pipeline, not django-import-export's import") says why. The rows are
statistics.imports.export's, the same the public downloads and `export_indicators` write: the
contract's columns, formula-like text neutralised, and in the regional layout decimal commas.
"""

import tablib
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.formats.base_formats import Format

from .downloads import XLSX_TYPE, export_about_lines, xlsx_bytes
from .imports.export import csv_chunks, download_rows, export_rows
from .imports.rows import COLUMNS
from .models import Observation


class ContractCSVFormat(Format):
    """Export format: the contract CSV, UTF-8 with BOM, commas and decimal points."""

    regional = False

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return _("CSV, standard (commas, decimal point, UTF-8 with BOM)")

    def export_data(self, dataset, **kwargs):
        rows = [dataset.headers, *dataset]
        return "".join(csv_chunks(rows, regional=self.regional)).encode("utf-8")

    def get_extension(self):
        return "csv"

    def get_content_type(self):
        return "text/csv; charset=utf-8"

    def can_export(self):
        return True


class RegionalCSVFormat(ContractCSVFormat):
    """Export format: the same columns with semicolons and decimal commas, UTF-8 with BOM, as
    Excel set up for the region opens it directly."""

    regional = True

    def get_title(self):
        return _("CSV for Excel in the region (semicolons, decimal comma, UTF-8 with BOM)")


class XLSXFormat(ContractCSVFormat):
    """Export format: an Excel workbook, as the public XLSX download: a "Data" sheet with the
    contract's columns (the file imports again as it is) and the names, unit, source and
    licence after them, values as numbers and periods as text; an "About" sheet saying what
    the columns, statuses and qualifiers mean and that each value is under its source's
    licence. No row limit: the admin exports what it is asked to."""

    regional = False
    typed = True

    def get_title(self):
        return _("XLSX (Excel workbook; values as numbers, periods as text)")

    def export_data(self, dataset, **kwargs):
        rows = [dataset.headers, *dataset]
        return xlsx_bytes(rows, export_about_lines(len(dataset)), limit=len(dataset))

    def get_extension(self):
        return "xlsx"

    def get_content_type(self):
        return XLSX_TYPE

    def is_binary(self):
        return True


class ObservationResource(resources.ModelResource):
    """The contract's columns, one row per observation, in the order of the natural key.

    `regional`: values with a decimal comma (for RegionalCSVFormat). The rows come from
    export_rows() in one query rather than field by field from model instances, so that the
    admin's file is byte for byte the public download's."""

    indicator = Field(attribute="indicator__code", column_name="indicator", readonly=True)
    area = Field(attribute="area_code", column_name="area", readonly=True)
    period = Field(attribute="period", column_name="period", readonly=True)
    category = Field(attribute="category", column_name="category", readonly=True)
    value = Field(attribute="value", column_name="value", readonly=True)
    status = Field(attribute="status", column_name="status", readonly=True)
    source = Field(attribute="source__code", column_name="source", readonly=True)
    note = Field(attribute="note", column_name="note", readonly=True)
    qualifier = Field(attribute="qualifier", column_name="qualifier", readonly=True)
    area_label = Field(attribute="area_label", column_name="area_label", readonly=True)

    class Meta:
        model = Observation
        fields = COLUMNS

    def __init__(self, regional=False, typed=False, **kwargs):
        super().__init__(**kwargs)
        self.regional = regional
        self.typed = typed

    def export(self, queryset=None, **kwargs):
        queryset = queryset if queryset is not None else Observation.objects.all()
        # `typed` (XLSX): the download's rows, values as Decimals, names and licence too.
        rows = (
            download_rows(queryset)
            if self.typed
            else export_rows(queryset, decimal_comma=self.regional)
        )
        dataset = tablib.Dataset(headers=next(rows))
        for row in rows:
            dataset.append(row)
        return dataset

    def import_data(self, *args, **kwargs):
        raise NotImplementedError(
            "Observations are imported by statistics.imports.pipeline, which checks every "
            "row before anything is written; this resource only exports."
        )
