"""The profile engine's parts: the format's checks, numbers, periods, area names."""

import datetime
from decimal import Decimal
from statistics.imports.readers import Limits
from statistics.profiles.format import ProfileError, parse_profile
from statistics.profiles.names import AreaResolver
from statistics.profiles.reshape import ProfileReader, Reshaper
from statistics.profiles.values import NumberFormat, PeriodReader

import pytest

BASE = {"format": "wbportal-import-profile", "version": 1, "name": "Test"}


def test_profile_format_lists_every_problem():
    with pytest.raises(ProfileError) as raised:
        parse_profile(
            {
                "format": "something-else",
                "version": 1,
                "layout": "long",
                "columns": {"area": "Country", "colour": "C"},
                "markers": {"*": "zero"},
                "numbers": {"decimal": ",", "thousands": ","},
                "skip": [{"column": "area", "matches": "["}],
            }
        )
    problems = raised.value.problems
    assert "“format” must be “wbportal-import-profile”. [format]" in problems
    assert "“Profile name” is required (a text). [name]" in problems
    roles = "indicator, area, period, month, category, value, note"
    assert f"Unknown column role “colour”; the roles are {roles}. [columns.colour]" in problems
    assert (
        "“Markers”: “*” means “zero”; use one of skip, not_available, suppressed. [markers]"
        in problems
    )
    assert (
        "Choose the column that holds the values (“Value (long layout)”), or list value "
        "columns under “Measures”. [columns.value]"
    ) in problems
    assert any(
        problem.startswith("The “Thousands separator” is one of")
        and problem.endswith("[numbers.thousands]")
        for problem in problems
    )
    assert any(
        problem.startswith("“Skip rows where”, line 1 is not a valid regular expression")
        and problem.endswith("[skip[1].matches]")
        for problem in problems
    )


def test_profile_without_header_takes_positions_only():
    with pytest.raises(ProfileError) as raised:
        parse_profile(
            {
                **BASE,
                "header_row": None,
                "columns": {"area": "Country", "value": 2, "period": 3},
                "defaults": {"indicator": "x"},
            }
        )
    assert raised.value.problems == [
        "The column for “Area (country or region)” names a header cell, but the file has no "
        "header row (“Header row” 0): give the column number. [columns.area]"
    ]


def test_split_column_and_header_rows_are_checked():
    long = {**BASE, "columns": {"area": 1, "period": 2, "value": 3}, "defaults": {"indicator": "x"}}
    with pytest.raises(ProfileError) as raised:
        parse_profile({**long, "split_column": {"by": ",", "into": ["geo"]}, "header_rows": 3})
    problems = raised.value.problems
    assert "“Header rows” is 1 or 2. [header_rows]" in problems
    assert any(problem.startswith("“split_column” must be an object") for problem in problems)
    with pytest.raises(ProfileError) as raised:
        parse_profile({**long, "split_column": {"by": ",", "into": ["geo", "GEO"]}})
    assert raised.value.problems == ["“split_column.into”: each part needs its own name."]
    with pytest.raises(ProfileError) as raised:
        parse_profile({**long, "header_row": 2, "header_rows": 2, "data_row": 3})
    assert raised.value.problems == ["The first data row comes after the header row(s). [data_row]"]
    profile = parse_profile(
        {**long, "split_column": {"by": ",", "into": ["freq", "geo"]}, "flags": {"c": "suppressed"}}
    )
    assert profile.split_column.position == 1 and profile.split_column.into == ("freq", "geo")


def test_invalid_json_text():
    with pytest.raises(ProfileError, match="not valid JSON"):
        parse_profile("{name: 1}")


@pytest.mark.parametrize(
    ("decimal", "thousands", "text", "expected"),
    [
        (".", "", "1200.5", "1200.5"),
        (".", ",", "18,420", "18420"),
        (".", ",", "1,234,567.25", "1234567.25"),
        (",", ".", "1.200,5", "1200.5"),
        (",", " ", "1\u00a0200,5", "1200.5"),
        (",", "", "-0,25", "-0.25"),
    ],
)
def test_numbers_as_the_profile_writes_them(decimal, thousands, text, expected):
    assert NumberFormat(decimal, thousands, Decimal(1)).parse(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["18,42", "1,2345", "1.200.5", "12e3", "", "0x10"])
def test_numbers_that_are_not_numbers(text):
    with pytest.raises(ValueError, match="is neither a number"):
        NumberFormat(".", ",", Decimal(1)).parse(text)


def test_multiplier_is_exact():
    assert NumberFormat(".", "", Decimal(1000)).parse("1.234") == Decimal("1234.000")


@pytest.mark.parametrize(
    ("cell", "means", "expected"),
    [
        ("2008M01", "day", "2008-01"),
        ("2024Q1", "day", "2024-Q1"),
        ("2024-q3", "day", "2024-Q3"),
        ("2024", "day", "2024"),
        ("2016/2025", "day", "2016/2025"),
        ("2024-03-31", "day", "2024-03-31"),
        ("31.03.2024", "day", "2024-03-31"),
        ("31.03.2024", "quarter", "2024-Q1"),
        (datetime.datetime(2024, 6, 30), "month", "2024-06"),
        (datetime.date(2024, 6, 30), "year", "2024"),
    ],
)
def test_periods_in_the_forms_sources_write(cell, means, expected):
    assert PeriodReader(means).read(cell) == expected


def test_year_and_month_name():
    reader = PeriodReader("day")
    assert reader.read("2024", "September") == "2024-09"
    assert reader.read("2024", "sept.") == "2024-09"
    assert reader.read("2024", "11") == "2024-11"
    with pytest.raises(ValueError, match="'Septembre' is not a month"):
        reader.read("2024", "Septembre")


@pytest.mark.parametrize("text", ["2024M13", "31.02.2024", "Q1 2024", "24"])
def test_periods_refused(text):
    with pytest.raises(ValueError):
        PeriodReader("day").read(text)


@pytest.mark.parametrize("cell", [True, datetime.timedelta(hours=26)])
def test_a_boolean_or_duration_cell_is_no_period(cell):
    """XLSX gives TRUE as a bool and a [h]:mm cell as a timedelta: refused, not a crash."""
    reader = PeriodReader("day")
    with pytest.raises(ValueError, match="is not a period this profile reads"):
        reader.read(cell)
    with pytest.raises(ValueError, match="is not a month name"):
        reader.read("2024", cell)


def test_a_duration_value_cell_is_no_number():
    profile = parse_profile(
        {
            **BASE,
            "columns": {"area": "Area", "value": "Value"},
            "defaults": {"period": "2024", "indicator": "x"},
        }
    )
    reshaper = Reshaper(profile, AreaResolver({}, names={}), Limits.from_settings())
    with pytest.raises(ValueError, match="'1 day, 2:00:00' is neither a number"):
        reshaper.value(datetime.timedelta(hours=26))


def test_a_file_no_delimiter_reads_is_left_to_the_csv_reader_to_refuse():
    """A quotation mark never closed makes one field longer than csv's limit under every
    delimiter: sniffing falls back to a comma, and the reader refuses the file with its row."""
    profile = parse_profile(
        {
            **BASE,
            "columns": {"area": "Area", "value": "Value"},
            "defaults": {"period": "2024", "indicator": "x"},
        }
    )
    assert ProfileReader(profile, names={}).sniff('Area,Value\n"' + "a" * 200_000) == ","


NAMES = {"srb": "RS", "srbija": "RS", "črna gora": "ME", "crna gora": "ME", "türkiye": "TR"}


def test_names_match_case_and_spaces_but_not_accents():
    resolver = AreaResolver({}, names=NAMES)
    assert resolver.resolve("  SRBIJA ") == ("RS", "")
    assert resolver.resolve("Črna   Gora") == ("ME", "")
    # "Turkiye" is in the seeded table as its own name; here, without it, the accent counts.
    with pytest.raises(ValueError, match="'Turkiye' is not a known area name"):
        resolver.resolve("Turkiye")
    # NFD input (a decomposed "ü") matches the NFC name.
    assert resolver.resolve("Tu\u0308rkiye") == ("TR", "")


def test_profile_exceptions_override_and_keep_the_label():
    resolver = AreaResolver(
        {"Serbia and Kosovo: S/RES/1244 (1999)": "SRB", "Srbija": "skip"}, names=NAMES
    )
    # The source's label is the observation's area label (no longer a note).
    assert resolver.resolve("Serbia and Kosovo:  S/RES/1244 (1999)") == (
        "RS",
        "Serbia and Kosovo: S/RES/1244 (1999)",
    )
    assert resolver.resolve("srbija") == ("skip", "")
