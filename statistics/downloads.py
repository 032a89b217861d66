"""The public downloads of an indicator besides its CSV: the XLSX, the README and the zip that
holds them, and their file names. The views keep the XLSX and the zip in the cache once per
data version, as the chart files (charts.files.cached_file).

Every file is made from the rows of `statistics.imports.export.download_rows` (the contract's
columns, then names, unit, source and licence), so the CSV, the XLSX and the zip say the same
thing and each imports again as it is. Periods stay ISO 8601 text in every file: the XLSX
stores them as text cells; a CSV cannot say a cell is text, so the README says how to open it
in Excel without Excel turning "2025-03" into a date (README_EXCEL).
"""

import html
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from formatting.display import format_period_span
from regions.models import Country, Region

from .area_labels import area_label_notes
from .attribution import qualifier_records, source_licence, status_records
from .citation import cite_indicator
from .derived.page import with_input_sources
from .imports.cells import neutralise
from .imports.rows import DOWNLOAD_COLUMNS
from .models import Observation, Source

# The most rows an XLSX or a zip is built with, in memory; above it the CSV (streamed) is
# the download. settings.DOWNLOAD_MAX_ROWS overrides it.
DOWNLOAD_MAX_ROWS = 200_000

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TooLarge(Exception):
    """More rows than DOWNLOAD_MAX_ROWS: the file is not built in memory."""


def max_rows():
    return getattr(settings, "DOWNLOAD_MAX_ROWS", DOWNLOAD_MAX_ROWS)


# --- file names --------------------------------------------------------------------------


def _name_part(text):
    """ASCII letters, digits, "-" and "." only: safe in any file system and header."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-.")


def file_stem(code, area_code="", first_period="", last_period="", suffix=""):
    """What a file holds, in its name: "refugees-hosted_TR_2015-2025" (the indicator, the area
    when filtered, the first and last period; a range's outer ends: "2016/2025-05" gives
    "2016" as a first and "2025-05" as a last period)."""
    parts = [_name_part(code) or "data"]
    if area_code:
        parts.append(_name_part(area_code))
    first = (first_period or "").split("/")[0]
    last = (last_period or "").split("/")[-1]
    if first and last:
        parts.append(_name_part(first if first == last else f"{first}-{last}"))
    if suffix:
        parts.append(suffix)
    return "_".join(parts)


def content_disposition(filename, attachment=True):
    """A Content-Disposition header: `filename` for every client (ASCII, quoted-safe) and
    `filename*` (RFC 6266/5987) as well."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename)
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def export_file_stem(queryset, suffix=""):
    """file_stem() of any set of observations (the admin's export): the indicator's code when
    they are of one ("observations" otherwise), the area's when of one. Four small queries."""
    unordered = queryset.order_by()
    codes = list(unordered.values_list("indicator__code", flat=True).distinct()[:2])
    areas = list(unordered.values_list("country__iso_code", "region__code").distinct()[:2])
    first = queryset.order_by("period_start", "period_end").values_list("period", flat=True).first()
    last = (
        queryset.order_by("-period_end", "-period_start").values_list("period", flat=True).first()
    )
    code = codes[0] if len(codes) == 1 else "observations"
    area = (areas[0][0] or areas[0][1] or "") if len(areas) == 1 else ""
    return file_stem(code, area, first or "", last or "", suffix)


# --- the XLSX ----------------------------------------------------------------------------

# Column widths of the Data sheet, in characters: wide enough to read without resizing.
_WIDTHS = {"indicator": 22, "area_name": 24, "note": 30, "area_note": 40, "indicator_name": 30}
PERIOD_POSITION = DOWNLOAD_COLUMNS.index("period")


def _xlsx_text(text):
    """`text` neutralised as in the CSV, without the control characters XLSX cannot hold
    (openpyxl refuses them: one in a note made the whole file a 500)."""
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(text))


def _xlsx_cell(sheet, value, position, header=False):
    """A typed cell: a value as a number, every text as text (a period "2025-03" too: Excel
    keeps it as written), formula-like text neutralised as in the CSV."""
    if isinstance(value, Decimal):
        number = int(value) if value == value.to_integral_value() else float(value)
        return WriteOnlyCell(sheet, value=number)
    if value is None:
        return WriteOnlyCell(sheet, value=None)
    cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
    cell.data_type = "s"
    if header:
        cell.font = Font(bold=True)
    elif position == PERIOD_POSITION:
        cell.number_format = "@"
    return cell


def xlsx_bytes(rows, about_lines, limit=None):
    """An XLSX of two sheets: "Data" (rows, header first, frozen; values as numbers, periods
    and every other text as text) and "About" (the README, a line a row). The first sheet
    is the data, so the file imports again as it is. Raises TooLarge above `limit` rows."""
    limit = max_rows() if limit is None else limit
    rows = iter(rows)
    header = next(rows)
    # Read (up to the limit) before the workbook is begun: one left half-written holds files.
    body = []
    for row in rows:
        if len(body) == limit:
            raise TooLarge
        body.append(row)
    book = Workbook(write_only=True)
    data = book.create_sheet(_("Data"))
    data.freeze_panes = "A2"
    for position, name in enumerate(header):
        letter = _column_letter(position)
        data.column_dimensions[letter].width = _WIDTHS.get(name, 14)
    data.append([_xlsx_cell(data, name, n, header=True) for n, name in enumerate(header)])
    for row in body:
        data.append([_xlsx_cell(data, cell, n) for n, cell in enumerate(row)])
    about = book.create_sheet(_("About"))
    about.column_dimensions["A"].width = 100
    for line in about_lines:
        cell = WriteOnlyCell(about, value=_xlsx_text(line.lstrip("# ")) if line else None)
        if cell.value is not None:
            cell.data_type = "s"
        if line.startswith("#"):
            cell.font = Font(bold=True)
        about.append([cell])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column_letter(position):
    return get_column_letter(position + 1)


# --- the README --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadmeFile:
    name: str
    description: str


def derivation_text(indicator):
    """How a derived indicator's figures are computed, as plain text: the page's own account
    (templates/statistics/_derivation.html) without its markup. "" for one that is not."""
    rendered = render_to_string("statistics/_derivation.html", {"indicator": indicator})
    rendered = re.sub(r"<h3>.*?</h3>", "", rendered, flags=re.S)  # the README has its own
    paragraphs = []
    for block in re.split(r"</p>|</li>", rendered):
        text = " ".join(html.unescape(strip_tags(block)).split())
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _area_notes(observations):
    """The territory footnotes (Kosovo*) of the areas in `observations`, and the notes on the
    areas the sources name their own way (area_label_notes). Three queries at most."""
    # Footnoted countries the figures are of, or that a source's name of theirs takes in.
    labels = observations.exclude(area_label="").values("area_label")
    countries = {
        c.pk: c
        for c in Country.objects.filter(
            Q(pk__in=observations.values("country")) | Q(shared_area_names__name__in=labels),
            footnote__gt="",
        )
        .distinct()
        .order_by("name")
    }
    pairs = set(
        observations.exclude(area_label="")
        .order_by()
        .values_list("area_label", "country_id", "region_id")
        .distinct()[:100]
    )
    if pairs:
        named = {c.pk: c for c in Country.objects.filter(pk__in={p[1] for p in pairs if p[1]})}
        regions = {r.pk: r for r in Region.objects.filter(pk__in={p[2] for p in pairs if p[2]})}
        labelled = [
            Observation(
                area_label=label, country=named.get(country_id), region=regions.get(region_id)
            )
            for label, country_id, region_id in sorted(pairs, key=lambda p: (p[0], p[1] or 0))
        ]
    else:
        labelled = []
    return list(countries.values()), area_label_notes(labelled)


def readme_text(indicator, observations, *, site, page_url, area=None, files=()):
    """The README of an indicator's download (Markdown): what the data is, where it is from
    and under what terms, how to cite it, how a derived figure was computed, what the
    statuses, qualifiers and the territory footnote mean, the columns, and how to open the CSV
    in Excel with the periods kept as text."""

    sources = with_input_sources(
        indicator,
        list(Source.objects.filter(pk__in=observations.values("source")).order_by("name")),
    )
    footnoted, label_notes = _area_notes(observations)
    first, last = getattr(indicator, "first_period", ""), getattr(indicator, "last_period", "")
    context = {
        "indicator": indicator,
        "area": area,
        "page_url": page_url,
        "periods": format_period_span(first, last) if first and last else "",
        "sources": [(source, source_licence(source, site)) for source in sources],
        "portal_licence": site.data_licence_name,
        "citation": cite_indicator(indicator, page_url, site, sources).text,
        "derivation": derivation_text(indicator),
        "footnoted": footnoted,
        "label_notes": label_notes,
        "statuses": status_records(),
        "qualifiers": qualifier_records(),
        "columns": column_meanings(),
        "files": files,
        "site_name": settings.SITE_NAME,
        # When these figures last changed on the portal: the area's own when filtered.
        "latest_change": getattr(indicator, "area_latest_change", None)
        if area is not None
        else getattr(indicator, "latest_change", None),
        "excel_note": readme_excel_note(),
    }
    text = render_to_string("statistics/download_readme.md", context)
    # Template whitespace: no more than one blank line in a row, none at the ends.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def column_meanings():
    """(column, meaning) of each download column, in order."""
    meanings = {
        "indicator": _("The indicator's code."),
        "area": _(
            "The area's code: ISO 3166-1 alpha-2 for a country (XK for Kosovo*), the "
            "portal's code for a region."
        ),
        "period": _(
            "The period the value is for, ISO 8601: 2025 (year), 2025-03 (month), "
            "2025-Q1 (quarter), 2025-03-31 (day) or a range such as 2016/2025."
        ),
        "category": _("The breakdown's category; blank for the area's total."),
        "value": _(
            "The figure, with a decimal point (a decimal comma in the CSV for Excel); "
            "blank where the source publishes no number (see status and qualifier)."
        ),
        "status": _("How final the figure is (see Statuses)."),
        "source": _("The source's code on the portal."),
        "note": _("The source's note on this value."),
        "qualifier": _(
            "What the value means beside its number (see Qualifiers); blank for an exact figure."
        ),
        "area_label": _(
            "The area as the source names it, where that is not simply the portal's area."
        ),
        "area_name": _("The area's name (Kosovo* with its marker: see area_note)."),
        "area_note": _("The footnote that goes with the area's name, where it has one."),
        "indicator_name": _("The indicator's name."),
        "unit": _("What the value counts."),
        "source_name": _("The source's name."),
        "source_url": _("Where the source publishes the figures."),
        "licence": _(
            "The licence the source's figures are under; blank where the source "
            "names none (its terms, if any, are under Sources)."
        ),
        "licence_url": _("The licence's address."),
    }
    return [(name, meanings[name]) for name in DOWNLOAD_COLUMNS]


def readme_excel_note():
    """How to open the CSV in Excel so that periods stay as written (README and page)."""
    return _(
        "Excel turns a period such as 2025-03 into a date when it opens a CSV by a double "
        "click. To keep periods as written, open the XLSX file instead (its periods are text "
        "cells), or import the CSV through Data > From Text/CSV, choose “Transform Data” and "
        "set the period column's type to Text. The “CSV for Excel (regional)” file uses “;” "
        "between columns and a decimal comma, as Excel expects where a comma is the decimal "
        "separator (Serbian, Bosnian, Macedonian or Turkish settings, for instance)."
    )


def export_about_lines(count):
    """The "About" sheet of the admin's XLSX export: what the rows are, whose terms they are
    under, what each column, status and qualifier means, how periods stay text."""
    lines = [
        f"# {settings.SITE_NAME}",
        _("%(count)s observations, exported on %(date)s (drafts and staged releases included).")
        % {"count": count, "date": timezone.localdate().isoformat()},
        _(
            "Each value is under its source's licence or terms (columns source_name, "
            "source_url, licence, licence_url): not the portal's."
        ),
        "",
        "# " + _("Columns"),
        *(f"{name}: {meaning}" for name, meaning in column_meanings()),
        "",
        "# " + _("Statuses"),
        *(f"{s['code']} ({s['label']}): {s['meaning']}" for s in status_records()),
        "",
        "# " + _("Qualifiers"),
        *(f"{q['code']} ({q['label']}): {q['meaning']}" for q in qualifier_records()),
    ]
    return lines


# --- the zip -----------------------------------------------------------------------------


def zip_bytes(members):
    """A zip of (name, bytes) members, deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()
