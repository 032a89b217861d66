"""A chart's data table: the values as drawn, plus those the source gives without a number,
with a Status, Note and source column only when some row needs one."""

from dataclasses import dataclass, field

from formatting.display import format_observation

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
