"""The profile engine's parts: the format's checks, numbers, periods, area names."""

import datetime
from collections import Counter
from decimal import Decimal
from statistics.imports.readers import FileError, Limits
from statistics.imports.report import skipped_lines
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


# --- Measures, rules, categories from several columns, only areas we know ------------------

LONG = {**BASE, "columns": {"area": "Area", "period": "Year"}}
AREAS = {"serbia": "RS", "montenegro": "ME", "albania": "AL"}


def problems_of(definition):
    with pytest.raises(ProfileError) as raised:
        parse_profile(definition)
    return raised.value.problems


def read_rows(definition, text, names=AREAS, units=None):
    """(rows as dicts of the contract's cells, errors by row, the table's skipped)."""
    table = ProfileReader(parse_profile(definition), names=names, units=units or {})(text.encode())
    rows = list(table.rows)
    cells = [dict(zip(table.header, row.cells, strict=True)) for row in rows if not row.errors]
    errors = {row.number: list(row.errors) for row in rows if row.errors}
    return cells, errors, table.skipped


def test_unknown_keys_anywhere_are_listed_with_their_place():
    problems = problems_of(
        {
            **LONG,
            "colour": "blue",
            "columns": {"area": "Area", "period": "Year", "value": "V", "shade": "S"},
            "defaults": {"indicator": "x", "unit": "people"},
            "numbers": {"decimal": ".", "group": ","},
            "periods": {"dates": "day", "months": "en"},
            "skip": [{"column": "Area", "equals": "Total", "regex": "x"}],
        }
    )
    assert any(p.startswith("Unknown key(s): colour;") for p in problems), problems
    assert any(p.endswith("[columns.shade]") for p in problems)
    assert any(p.endswith("[defaults.unit]") for p in problems)
    assert "Unknown key “group”. [numbers.group]" in problems
    assert "Unknown key “months”. [periods.months]" in problems
    assert any(
        p.startswith("“Skip rows where”, line 1: unknown key “regex”")
        and p.endswith("[skip[1].regex]")
        for p in problems
    )


def test_measures_are_checked_in_the_builders_words():
    problems = problems_of(
        {
            **LONG,
            "columns": {"area": "Area", "period": "Year", "value": "V"},
            "defaults": {"indicator": "x"},
            "measures": [
                {"value": "refugees", "indicator": "refugees-hosted", "colour": "red"},
                {"value": "applied"},
                {"indicator": "y", "value_columns": "^(?P<period>\\d{4})$"},
                "refugees = refugees-hosted",
                {"value": 0, "indicator": "z", "status": "guessed", "multiplier": -1},
            ],
        }
    )
    assert (
        "With “Measures”, each measure names its value column: the column for “Value (long "
        "layout)” is not used; remove it. [columns.value]"
    ) in problems
    assert (
        "With “Measures”, each measure gives its indicator code: the “Indicator code for every "
        "row” is not used; remove it. [defaults.indicator]"
    ) in problems
    assert any(p.startswith("Measure 1: unknown key “colour”") for p in problems)
    assert (
        "Measure 2 needs its indicator code (“value column = indicator code”). "
        "[measures[2].indicator]"
    ) in problems
    assert any(p.endswith("[measures[3].value_columns]") for p in problems)
    assert any(p.endswith("[measures[3].value]") for p in problems)
    assert any(p.endswith("[measures[4]]") for p in problems)
    assert "Measure 5's value column: column numbers start at 1. [measures[5].value]" in problems
    assert any(p.endswith("[measures[5].status]") for p in problems)
    assert "The multiplier is a positive number, e.g. 1000. [measures[5].multiplier]" in problems


def test_a_long_profile_without_values_says_so_in_the_builders_words():
    assert problems_of({**LONG, "defaults": {"indicator": "x"}}) == [
        "Choose the column that holds the values (“Value (long layout)”), or list value "
        "columns under “Measures”. [columns.value]"
    ]


@pytest.mark.parametrize(
    ("pattern", "key"),
    [
        ("^(?P<period>\\d{4}) (?P<indicator>.+)$", "value_columns"),
        ("^(?P<year>\\d{4})$", "value_columns"),
    ],
)
def test_named_groups_other_than_period_and_category_are_refused(pattern, key):
    problems = problems_of(
        {**BASE, "layout": "wide", "columns": {"area": "Area"}, "value_columns": pattern,
         "defaults": {"indicator": "x", "period": "2024"}}
    )  # fmt: skip
    assert any("which are not used" in p and p.endswith(f"[{key}]") for p in problems), problems


def test_a_named_group_in_a_rule_or_a_measure_is_refused():
    problems = problems_of(
        {
            **BASE,
            "layout": "wide",
            "columns": {"area": "Area"},
            "measures": [{"indicator": "x", "value_columns": "^(?P<period>\\d{4}) (?P<sex>.+)$"}],
            "skip": [{"column": "Area", "matches": "^(?P<total>Total)$"}],
        }
    )
    assert any(p.endswith("[measures[1].value_columns]") for p in problems), problems
    assert any("(?P<total>" not in p and p.endswith("[skip[1].matches]") for p in problems)


def test_rules_take_exactly_one_test():
    problems = problems_of(
        {
            **LONG,
            "columns": {"area": "Area", "period": "Year", "value": "V"},
            "defaults": {"indicator": "x"},
            "keep": [
                {"column": "Area", "equals": "Serbia", "matches": "^S"},
                {"column": "Area"},
                {"column": "Area", "in": "Serbia"},
                {"column": "Area", "equals": ["Serbia"], "whole": True},
                {"column": "Area", "matches": "^S", "ignore_case": "yes"},
                {"equals": "x"},
            ],
        }
    )
    exactly_one = "give exactly one of “equals”, “in” (values) or “matches”"
    assert sum(exactly_one in p for p in problems) == 2
    assert any(p.endswith("[keep[3].in]") for p in problems)
    assert any(p.endswith("[keep[4].whole]") for p in problems)
    assert any(p.endswith("[keep[5].ignore_case]") for p in problems)
    assert any(p.endswith("[keep[6].column]") for p in problems)


def test_unknown_areas_is_skip_or_error():
    problems = problems_of(
        {**LONG, "columns": {**LONG["columns"], "value": "V"}, "defaults": {"indicator": "x"},
         "unknown_areas": "ignore"}
    )  # fmt: skip
    assert problems == [
        "“Only areas we know” is “skip” (on) or “error” (off, the default). [unknown_areas]"
    ]


MEASURES_CSV = (
    "Year,Area,Origin,Procedure,Stage,Persons,Cases,Kind\n"
    "2024,Serbia,Syria,G,FI,10,4,P\n"
    "2024,Serbia,Syria,G,AR,3,2,P\n"
    "2024,Serbia,Syria,,FI,7,,C\n"
    "2024,Germany,Syria,G,FI,99,1,P\n"
    "2024,Atlantis,Iraq,G,FI,5,1,P\n"
    "2024,Germany,Iraq,G,FI,8,1,P\n"
)
MEASURES = {
    **BASE,
    "columns": {"area": "Area", "period": "Year", "category": ["Origin", "Procedure", "Stage"]},
    "measures": [
        {"value": "Persons", "indicator": "persons", "keep": [{"column": "Kind", "equals": "P"}]},
        {"value": "Cases", "indicator": "cases", "category": "Origin", "status": "provisional",
         "multiplier": 1000},
    ],
    "categories": {"G": "Government", "FI": "First instance"},
    "unknown_areas": "skip",
}  # fmt: skip


def test_measures_each_with_its_columns_status_multiplier_and_keep_rule():
    rows, errors, skipped = read_rows(MEASURES, MEASURES_CSV)
    assert not errors
    got = [(r["indicator"], r["area"], r["category"], r["value"], r["status"]) for r in rows]
    assert got == [
        ("persons", "RS", "Syria · Government · First instance", "10", "as_published"),
        ("cases", "RS", "Syria", "4000", "provisional"),
        ("persons", "RS", "Syria · Government · AR", "3", "as_published"),
        ("cases", "RS", "Syria", "2000", "provisional"),
        # Row 4: persons kept out by Kind = C; the empty Cases cell is skipped, never zero.
    ]
    # Row 4's persons: the measure's own rule; Germany and Atlantis: no area of the portal,
    # counted once per row whatever the number of measures.
    assert skipped == {
        "“Persons = persons” kept only where: Kind = P": Counter({"C": 1}),
        "unknown_areas": Counter({"Germany": 2, "Atlantis": 1}),
    }


def test_an_empty_part_of_a_category_is_a_dash_so_no_two_rows_merge():
    rows, errors, _skipped = read_rows(
        {**MEASURES, "measures": MEASURES["measures"][:1], "keep": []},
        MEASURES_CSV.replace(",C\n", ",P\n"),
    )
    assert [r["category"] for r in rows if r["area"] == "RS"] == [
        "Syria · Government · First instance",
        "Syria · Government · AR",
        "Syria · – · First instance",
    ]


def test_a_category_over_200_characters_is_a_row_error():
    long_origin = "x" * 190
    _rows, errors, _skipped = read_rows(
        MEASURES, MEASURES_CSV.replace("2024,Serbia,Syria,G,AR", f"2024,Serbia,{long_origin},G,AR")
    )
    assert list(errors) == [3]
    ((column, message),) = errors[3]
    assert column == "Origin, Procedure, Stage"
    assert message.startswith(f"The category '{long_origin} · Government · AR' is 208 characters")


def test_a_measure_counting_another_unit_than_its_indicator_is_refused():
    definition = {**MEASURES, "measures": [{**MEASURES["measures"][0], "unit": "people"}]}
    with pytest.raises(FileError, match=r"counts “people”, but the indicator “persons” counts"):
        read_rows(definition, MEASURES_CSV, units={"persons": "cases"})
    rows, _errors, _skipped = read_rows(definition, MEASURES_CSV, units={"persons": "People"})
    assert rows


RULES_CSV = (
    "Year,Area,Origin,Value\n"
    "2024,Serbia,Syria,1\n"
    "2024,Serbia,Unknown origin,2\n"
    "2024,Serbia,unknown,3\n"
    "2024,Montenegro,Syria,4\n"
    "2024,Albania,Syria (total),5\n"
)
RULES = {
    **BASE,
    "columns": {"area": "Area", "period": "Year", "value": "Value"},
    "defaults": {"indicator": "x"},
}


def kept(keep=(), skip=(), csv=RULES_CSV):
    rows, errors, skipped = read_rows({**RULES, "keep": list(keep), "skip": list(skip)}, csv)
    assert not errors
    return [int(r["value"]) for r in rows], skipped


@pytest.mark.parametrize(
    ("rule", "values"),
    [
        # equals / in: the whole trimmed cell, case counts unless ignore_case.
        ({"column": "Origin", "equals": "Syria"}, [2, 3, 5]),
        ({"column": "Origin", "equals": ["syria"]}, [1, 2, 3, 4, 5]),
        ({"column": "Origin", "equals": ["syria"], "ignore_case": True}, [2, 3, 5]),
        ({"column": "origin ", "in": ["Syria", "unknown"]}, [2, 5]),
        # matches: a search anywhere in the cell...
        ({"column": "Origin", "matches": "nknown"}, [1, 4, 5]),
        ({"column": "Origin", "matches": "^Unknown"}, [1, 3, 4, 5]),
        ({"column": "Origin", "matches": "^unknown", "ignore_case": True}, [1, 4, 5]),
        ({"column": "Origin", "matches": "Syria"}, [2, 3]),
        # ...or, with whole, a full match.
        ({"column": "Origin", "matches": "Syria", "whole": True}, [2, 3, 5]),
        ({"column": "Origin", "matches": "unknown( origin)?", "whole": True,
          "ignore_case": True}, [1, 4, 5]),
        # A column by number, and a role by name (the area's label as written).
        ({"column": 3, "equals": "Syria"}, [2, 3, 5]),
        ({"column": "area", "equals": "Serbia"}, [4, 5]),
    ],
)  # fmt: skip
def test_skip_rules_on_any_column(rule, values):
    assert kept(skip=[rule])[0] == values


def test_keep_rules_all_hold_and_skipped_rows_are_counted_by_rule():
    values, skipped = kept(
        keep=[
            {"column": "Area", "in": ["Serbia", "Albania"]},
            {"column": "Origin", "matches": "^S"},
        ],
        skip=[{"column": "Origin", "matches": "total"}],
    )
    assert values == [1]
    assert skipped == {
        "Keep only rows where: Area = Serbia, Albania": Counter({"Montenegro": 1}),
        "Keep only rows where: Origin ~ ^S": Counter({"Unknown origin": 1, "unknown": 1}),
        "Skip rows where: Origin ~ total": Counter({"Syria (total)": 1}),
    }
    assert skipped_lines(skipped) == [
        "Skipped 2 rows (Keep only rows where: Origin ~ ^S): Unknown origin (1), unknown (1).",
        "Skipped 1 row (Keep only rows where: Area = Serbia, Albania): Montenegro (1).",
        "Skipped 1 row (Skip rows where: Origin ~ total): Syria (total) (1).",
    ]


def test_a_rule_on_a_column_the_file_lacks_names_it_at_the_header():
    with pytest.raises(FileError, match="Row 1 \\(header\\): no column 'Procedure'"):
        kept(keep=[{"column": "Procedure", "equals": "G"}])


def test_unknown_areas_skipped_and_grouped_with_the_rows_they_were_in():
    csv = RULES_CSV + "2024,Germany,Syria,6\n2024,Germany,Iraq,7\n2024,Austria,Syria,8\n"
    rows, errors, skipped = read_rows({**RULES, "unknown_areas": "skip"}, csv)
    assert not errors and [r["value"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert skipped == {"unknown_areas": Counter({"Germany": 2, "Austria": 1})}
    assert skipped_lines(skipped) == [
        "Skipped 2 area names in 3 rows (“Only areas we know”): Germany (2), Austria (1)."
    ]
    # Off (the default), the same file is an error naming the row and the name.
    _rows, errors, skipped = read_rows(RULES, csv)
    assert list(errors) == [7, 8, 9] and not skipped
    assert "'Germany' is not a known area name" in errors[7][0][1]


def test_wide_measures_each_with_their_value_columns():
    csv = "Area,2023 refugees,2024 refugees,2023 asylum,2024 asylum\nSerbia,1,2,3,\n"
    definition = {
        **BASE,
        "layout": "wide",
        "columns": {"area": "Area"},
        "measures": [
            {"indicator": "refugees", "value_columns": "^(?P<period>\\d{4}) refugees$"},
            {"indicator": "asylum", "value_columns": "^(?P<period>\\d{4}) asylum$"},
        ],
    }
    rows, errors, _skipped = read_rows(definition, csv)
    assert not errors
    assert [(r["indicator"], r["period"], r["value"]) for r in rows] == [
        ("refugees", "2023", "1"), ("refugees", "2024", "2"), ("asylum", "2023", "3"),
    ]  # fmt: skip


def test_a_rule_on_a_role_tests_each_measures_own_area():
    csv = "Year,Asylum,Origin,Refugees\n2024,Serbia,Montenegro,5\n2024,Germany,Montenegro,7\n"
    definition = {
        **BASE,
        "columns": {"period": "Year"},
        "measures": [
            {"value": "Refugees", "indicator": "hosted", "area": "Asylum", "category": "Origin"},
            {"value": "Refugees", "indicator": "abroad", "area": "Origin", "category": "Asylum"},
        ],
        "skip": [{"column": "area", "equals": "Germany"}],
    }
    rows, errors, skipped = read_rows(definition, csv)
    assert not errors
    assert [(r["indicator"], r["area"], r["category"], r["value"]) for r in rows] == [
        ("hosted", "RS", "Montenegro", "5"),
        ("abroad", "ME", "Serbia", "5"),
        ("abroad", "ME", "Germany", "7"),  # only the hosted value of row 3 is skipped
    ]
    assert skipped == {"Skip rows where: area = Germany": Counter({"Germany": 1})}


def test_a_measures_column_the_header_lacks_is_named_at_the_header():
    with pytest.raises(FileError, match="Row 1 \\(header\\): no column 'Persons', 'Kind'"):
        read_rows(MEASURES, MEASURES_CSV.replace("Persons", "People").replace("Kind", "Type"))


def test_a_wide_measure_whose_pattern_matches_no_header_is_named():
    definition = {
        **BASE,
        "layout": "wide",
        "columns": {"area": "Area"},
        "measures": [{"indicator": "asylum", "value_columns": "^(?P<period>\\d{4}) asylum$"}],
    }
    with pytest.raises(FileError, match="“value_columns” \\(.*asylum\\$ = asylum\\)"):
        read_rows(definition, "Area,2023 refugees\nSerbia,1\n")
