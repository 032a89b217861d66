"""django-import-export glue: the admin's import and export run through statistics.imports.

The admin keeps django-import-export's upload -> preview -> confirm flow, but the file is
handed over as bytes (the format below does no decoding of its own), so encoding and
delimiter detection, number parsing, validation and the bulk writes are all the shared
pipeline's. Between preview and confirm the upload is a PendingUpload (statistics/admin.py),
never a file. Export writes the contract CSV with a BOM and neutralised formula-like text.
"""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.formats.base_formats import Format
from import_export.results import Error, Result, RowResult
from import_export.tmp_storages import BaseStorage

from .imports.export import export_rows
from .imports.pipeline import import_observations
from .imports.rows import COLUMNS, ERROR, NEW, UNCHANGED, UPDATED
from .models import ImportRecord, Observation

ADMIN_PREVIEW_ROWS = 1000


class UploadedFile(tablib.Dataset):
    """The upload's bytes, untouched, in the shape django-import-export passes along."""

    def __init__(self, data):
        super().__init__()
        self.raw = data

    def __bool__(self):
        return True  # let the pipeline, not the admin, word the "empty file" error


class PreviewOnlyStorage(BaseStorage):
    """Holds the upload for the preview request only: nothing is written to any folder.

    django-import-export's default storage writes every upload to the system temp folder under
    a name the confirm form then sends back; a passed preview is kept as a PendingUpload.
    """

    def save(self, data):
        self.data = data

    def read(self):
        return self.data

    def remove(self):
        self.data = None


class DetectedFileFormat(Format):
    """Import format: CSV (UTF-8/Windows-1250/1251, comma or semicolon) or XLSX, detected."""

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return _("CSV or XLSX (encoding, delimiter and type detected)")

    def create_dataset(self, in_stream):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return UploadedFile(bytes(in_stream))

    def get_extension(self):
        return "csv"

    def can_import(self):
        return True


class ContractCSVFormat(Format):
    """Export format: the contract CSV, UTF-8 with BOM (bytes made by the pipeline)."""

    def __init__(self, encoding=None):
        self.encoding = encoding

    regional = False

    def get_title(self):
        return _("CSV, standard (commas, decimal point, UTF-8 with BOM)")

    def export_data(self, dataset, **kwargs):
        return dataset

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


class ObservationResource(resources.ModelResource):
    """The contract's columns. import_data() and export() delegate to statistics.imports."""

    indicator = Field(attribute="indicator__code", column_name="indicator", readonly=True)
    area = Field(attribute="area_code", column_name="area", readonly=True)
    period = Field(attribute="period", column_name="period")
    category = Field(attribute="category", column_name="category")
    value = Field(attribute="value", column_name="value")
    status = Field(attribute="status", column_name="status")
    source = Field(attribute="source__code", column_name="source", readonly=True)
    note = Field(attribute="note", column_name="note")
    qualifier = Field(attribute="qualifier", column_name="qualifier")

    class Meta:
        model = Observation
        fields = COLUMNS
        import_id_fields = ["indicator", "area", "period", "category"]
        skip_unchanged = True
        clean_model_instances = True

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        data = getattr(dataset, "raw", None)
        if data is None:  # a tablib Dataset built in code: hand it over as CSV
            data = dataset.export("csv").encode("utf-8")
        report = import_observations(
            data,
            file_name=kwargs.get("file_name") or "",
            user=kwargs.get("user"),
            dry_run=dry_run,
            via=ImportRecord.Via.ADMIN,
            preview_limit=ADMIN_PREVIEW_ROWS,
            release=kwargs.get("release"),
        )
        return report_as_result(report)

    def export(self, queryset=None, **kwargs):
        rows = export_rows(queryset if queryset is not None else Observation.objects.all())
        dataset = tablib.Dataset(headers=next(rows))
        for row in rows:
            dataset.append(row)
        return dataset


def report_as_result(report):
    """A django-import-export Result carrying our ImportReport (the template reads both)."""
    result = Result()
    result.report = report
    result.diff_headers = list(COLUMNS)
    for message in report.file_errors:
        result.append_base_error(Error(message))
    for row in report.error_rows:
        errors = {}
        for column, message in row.errors:
            errors.setdefault(column or NON_FIELD_ERRORS, []).append(message)
        result.append_invalid_row(row.number, row.values, ValidationError(errors))
    counts = report.counts
    result.totals[RowResult.IMPORT_TYPE_NEW] = counts[NEW]
    result.totals[RowResult.IMPORT_TYPE_UPDATE] = counts[UPDATED]
    result.totals[RowResult.IMPORT_TYPE_SKIP] = counts[UNCHANGED]
    result.totals[RowResult.IMPORT_TYPE_INVALID] = counts[ERROR]
    result.total_rows = report.total
    return result
