"""Periods as SDMX TIME_PERIODs: single periods as written, ranges as a first day and a
length that ends on the range's last day; a malformed period is refused as everywhere."""

import pytest

from formatting.periods import sdmx_time_period


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2025", "2025"),
        ("2025-03", "2025-03"),
        ("2025-Q1", "2025-Q1"),
        ("2025-03-31", "2025-03-31"),
        ("2016/2025", "2016-01-01/P10Y"),
        ("2016/2025-05", "2016-01-01/P9Y5M"),
        ("2024-Q2/2024-Q3", "2024-04-01/P6M"),
        ("2025-03-01/2025-03-15", "2025-03-01/P15D"),
        ("2024-01-15/2024-03-20", "2024-01-15/P2M6D"),
        ("2025-03-31/2025-03-31", "2025-03-31/P1D"),
    ],
)
def test_sdmx_time_period(period, expected):
    assert sdmx_time_period(period) == expected


def test_malformed_period_is_refused():
    with pytest.raises(ValueError, match="not an ISO 8601 period"):
        sdmx_time_period("March 2025")
