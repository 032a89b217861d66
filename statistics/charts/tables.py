"""A chart's data table: the values as drawn, plus those the source gives without a number,
with a Status, Note and source column only when some row needs one."""

from dataclasses import dataclass, field

from django.utils.translation import pgettext

from formatting.display import format_observation, format_period

from ..models import ObservationStatus


def status_labels():
    """Status value -> its label in the active language (looked up once, not per row)."""
    return {value: str(label) for value, label in ObservationStatus.choices}


@dataclass
class TableRow:
    observation: object  # None for a country on a map with no value
    header: str  # the period, category or area that names the row
    value_text: str
    area: object = None  # the area, when the table has several
    period_text: str = ""
    share_text: str = ""
    status_text: str = ""
    note: str = ""
    source_number: int = 0  # its source's number in the table's footnote (0: none)
    is_marked: bool = False  # provisional or estimated

    @property
    def has_value(self):
        return self.observation is not None and self.observation.has_value


@dataclass
class ChartTable:
    rows: list
    header_label: str  # the column of `TableRow.header`
    has_area: bool = False
    has_period: bool = False  # a period column, when the rows are of different periods
    share_header: str = ""
    has_status: bool = False
    has_note: bool = False
    sources: list = field(default_factory=list)  # (number, Source or None) once per table


def chart_table(rows, header_label, **flags):
    """The chart's data table: a Status column only when some value has a status worth
    saying, a Note column only when there are notes, and each source named once below."""
    numbers = {}
    for row in rows:
        observation = row.observation
        if observation is None:
            continue
        key = observation.source_id
        if key not in numbers:
            numbers[key] = (len(numbers) + 1, observation.source)
        row.source_number = numbers[key][0]
    has_status = any(
        row.observation is not None and row.observation.status != ObservationStatus.AS_PUBLISHED
        for row in rows
    )
    return ChartTable(
        rows=rows,
        header_label=header_label,
        has_status=has_status,
        has_note=any(row.note for row in rows),
        sources=list(numbers.values()),
        **flags,
    )


def table_row(observation, header, indicator, labels, **extra):
    return TableRow(
        observation=observation,
        header=header,
        value_text=format_observation(observation, indicator),
        status_text=labels[observation.status],
        note=observation.note,
        is_marked=observation.is_provisional or observation.is_estimated,
        **extra,
    )


# --- the wide table: places x periods ------------------------------------------------------


def status_marks():
    """The short mark a wide table's cell gives a value's status (the long table's Status
    column in a letter), for the statuses worth saying; the table's key spells them out."""
    return {
        ObservationStatus.FINAL: pgettext("status mark of a final value", "f"),
        ObservationStatus.PROVISIONAL: pgettext("status mark of a provisional value", "p"),
        ObservationStatus.ESTIMATED: pgettext("status mark of an estimated value", "e"),
    }


@dataclass
class WideCell:
    observation: object  # None: no figure for this place and period
    value_text: str = ""
    status_mark: str = ""
    status_text: str = ""

    @property
    def has_value(self):
        return self.observation is not None and self.observation.has_value

    @property
    def is_marked(self):
        return self.observation is not None and (
            self.observation.is_provisional or self.observation.is_estimated
        )


@dataclass
class WideRow:
    area: object
    code: str
    cells: list


@dataclass
class WideTable:
    periods: list  # (period, text) in time order
    rows: list
    sort: str = ""  # "" by place name, else the period sorted by (largest first)
    marks: list = field(default_factory=list)  # (mark, status text) used in the cells


def wide_table(series_rows, indicator, *, sort=""):
    """Places x periods: a row a place (its figures in `series_rows`), a column a period, each
    cell the value as the long table writes it (qualifier included) with its status mark.
    Rows by place name, or by their value in the period `sort` (largest first, places
    without a number for it last)."""
    labels = status_labels()
    marks = status_marks()
    periods = {}
    for rows in series_rows:
        for o in rows:
            periods.setdefault(o.period, (o.period_start, o.period_end))
    ordered = sorted(periods, key=lambda period: periods[period])
    used = set()
    table_rows = []
    for rows in series_rows:
        by_period = {o.period: o for o in rows}
        cells = []
        for period in ordered:
            o = by_period.get(period)
            if o is None:
                cells.append(WideCell(None))
                continue
            mark = marks.get(o.status, "")
            if mark:
                used.add(o.status)
            cells.append(
                WideCell(o, format_observation(o, indicator), mark, labels[o.status].lower())
            )
        table_rows.append(WideRow(rows[0].shown_area, rows[0].area_code, cells))
    if sort in periods:
        column = ordered.index(sort)

        def key(row):
            cell = row.cells[column]
            value = cell.observation.value if cell.has_value else None
            return (value is None, -(value or 0), str(row.area))

        table_rows.sort(key=key)
    else:
        sort = ""
        table_rows.sort(key=lambda row: str(row.area))
    return WideTable(
        periods=[(period, format_period(period)) for period in ordered],
        rows=table_rows,
        sort=sort,
        marks=[(marks[status], labels[status].lower()) for status in marks if status in used],
    )
