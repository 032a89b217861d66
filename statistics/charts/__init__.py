"""Server-rendered charts of an indicator, one module a job.

- choice: which charts fit the data (`charts_for`, `chart_for`) and what each one shows
- tables: each chart's data table (the values as drawn, and those without a number)
- scales: the labels of the time and value axes, the class breaks of a map
- geometry: where every line, bar, marker and label goes, for one layout
- files: the charts as files (standalone SVG, PNG, the share image)
"""

from .choice import LATEST_PERIODS, Chart, NumberTile, chart_for, charts_for
from .scales import map_bins
from .tables import ChartTable, TableRow

__all__ = [
    "LATEST_PERIODS",
    "Chart",
    "ChartTable",
    "NumberTile",
    "TableRow",
    "chart_for",
    "charts_for",
    "map_bins",
]
