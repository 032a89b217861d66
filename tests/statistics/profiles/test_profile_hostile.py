"""Hostile import profiles and files: a pattern that backtracks catastrophically under Python's
`re`, features RE2 does not have, JSON nested thousands of levels deep, a CSV field over csv's
own limit. Each gets a clear error, never a hang or a 500.

On the code before RE2, the two tests with `^(?P<period>(a+)+)$` never finish (2**36 steps):
they were checked by hand under `timeout 20`, not with a timer here."""

import io
import json
from collections import Counter
from dataclasses import replace
from statistics.imports.readers import FileError, Limits
from statistics.models import ImportProfile
from statistics.profiles.format import ProfileError, parse_profile
from statistics.profiles.reshape import ProfileReader

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
ADD = reverse("admin:statistics_importprofile_add")
BUILD = reverse("admin:statistics_importprofile_build")
CATASTROPHIC = r"^(?P<period>(a+)+)$"
HEADER = "a" * 36 + "!"
CSV = f"area,{HEADER}\nAL,1\n".encode()


def profile(**overrides):
    return {
        "format": "wbportal-import-profile",
        "version": 1,
        "name": "Hostile",
        "layout": "wide",
        "columns": {"area": "area"},
        "defaults": {"indicator": "residence-permits"},
        "value_columns": CATASTROPHIC,
        **overrides,
    }


@pytest.fixture
def staff(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client


@pytest.fixture
def permits(demo):
    return IndicatorFactory(code="residence-permits")


def test_a_catastrophic_pattern_is_matched_in_linear_time_by_the_command(permits, tmp_path):
    (tmp_path / "hostile.csv").write_bytes(CSV)
    (tmp_path / "hostile.json").write_text(json.dumps(profile()))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Rejected: nothing was written"):
        call_command(
            "import_indicators",
            str(tmp_path / "hostile.csv"),
            "--profile",
            str(tmp_path / "hostile.json"),
            stdout=out,
            stderr=out,
        )
    assert "no header cell matches the profile's “value_columns”" in out.getvalue()


def test_a_catastrophic_pattern_is_matched_in_linear_time_by_the_admin(staff, permits):
    response = staff.post(ADD, {"name": "Hostile", "definition": json.dumps(profile())})
    assert response.status_code == 302  # a valid pattern: RE2 matches it in linear time
    saved = ImportProfile.objects.get()
    response = staff.post(
        f"{BUILD}?profile={saved.pk}", {"file": SimpleUploadedFile("hostile.csv", CSV)}
    )
    assert response.status_code == 302
    page = staff.get(response["Location"]).content.decode()  # the dry run with the profile
    assert "no header cell matches the profile&#x27;s “value_columns”" in page


@pytest.mark.parametrize(
    "pattern, feature",
    [
        (r"^(?P<period>\d{4})(?= total)", "lookahead or lookbehind"),
        (r"^(?P<period>\d{4}) (?<!x)(?P<category>.+)$", "lookahead or lookbehind"),
        (r"^(?P<period>(\d)\2\d\d)$", "backreference"),
        (r"^(?P<period>\d++)$", "possessive quantifier"),
        (r"^(?P<period>(?>\d+))$", "atomic group"),
    ],
)
def test_features_re2_lacks_are_refused_at_save_naming_the_feature(staff, demo, pattern, feature):
    response = staff.post(
        ADD, {"name": "P", "definition": json.dumps(profile(value_columns=pattern))}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“Value columns (wide)” is not a valid regular expression" in page
    assert "[value_columns]" in page
    assert f"it uses a {feature}" in page
    assert not ImportProfile.objects.exists()


DEEP = "[" * 100_000 + "]" * 100_000
MODERATELY_DEEP = json.dumps(profile(description=json.loads("[" * 50 + "]" * 50)))


@pytest.mark.parametrize("text", [DEEP, MODERATELY_DEEP], ids=["100000 levels", "50 levels"])
def test_deeply_nested_json_in_the_definition_is_refused(staff, demo, text):
    response = staff.post(ADD, {"name": "Deep", "definition": text})
    assert response.status_code == 200
    assert "levels deep" in response.content.decode()
    assert not ImportProfile.objects.exists()


def test_deeply_nested_json_in_a_profile_file_is_refused(staff, demo, tmp_path, permits):
    upload = SimpleUploadedFile("deep.json", DEEP.encode())
    response = staff.post(ADD, {"name": "", "definition": "", "profile_file": upload})
    assert response.status_code == 200
    assert "levels deep" in response.content.decode()
    assert not ImportProfile.objects.exists()
    (tmp_path / "deep.json").write_text(DEEP)
    (tmp_path / "data.csv").write_bytes(CSV)
    with pytest.raises(CommandError, match="levels deep"):
        call_command(
            "import_indicators",
            str(tmp_path / "data.csv"),
            "--profile",
            str(tmp_path / "deep.json"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def test_a_csv_field_over_csvs_own_limit_is_a_clear_error_in_the_builder(staff, demo):
    data = b'area,2020\nAL,"' + b"x" * 140_000 + b'"\n'
    response = staff.post(BUILD, {"file": SimpleUploadedFile("long.csv", data)}, follow=True)
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any("Row 2 is longer than" in message for message in messages), messages


# --- Rules and measures out of proportion ---------------------------------------------------

LONG_PROFILE = {
    "format": "wbportal-import-profile",
    "version": 1,
    "name": "Hostile rules",
    "columns": {"area": "area", "period": "year"},
    "measures": [{"value": "v", "indicator": "residence-permits"}],
}


def test_a_rule_listing_a_hundred_thousand_values_is_one_set_lookup(permits):
    values = [f"Country {n}" for n in range(100_000)]
    definition = {**LONG_PROFILE, "keep": [{"column": "origin", "in": [*values, "Syria"]}]}
    data = b"area,year,origin,v\n" + b"AL,2024,Syria,1\nAL,2024,Iraq,2\n" * 2_000
    table = ProfileReader(parse_profile(definition), names={"al": "AL"}, units={})(data)
    rows = list(table.rows)
    assert len(rows) == 2_000  # every Syria row kept, every Iraq row counted, once per row
    # The reason lists the first ten values, not the hundred thousand.
    reason = "Keep only rows where: origin = " + ", ".join(values[:10]) + " (and 99991 more)"
    assert table.skipped == {reason: Counter({"Iraq": 2_000})}


def test_a_catastrophic_rule_pattern_runs_in_linear_time(permits):
    definition = {**LONG_PROFILE, "skip": [{"column": "origin", "matches": "^(a+)+$"}]}
    data = f"area,year,origin,v\nAL,2024,{HEADER},1\n".encode()
    table = ProfileReader(parse_profile(definition), names={"al": "AL"}, units={})(data)
    assert [row.cells[4] for row in table.rows] == ["1"]  # "aaa...!" does not match


def test_a_rule_with_a_feature_re2_lacks_is_refused_at_save(staff, demo):
    rule = {"column": "origin", "matches": "^(?!Syria)", "ignore_case": True}
    response = staff.post(
        ADD, {"name": "P", "definition": json.dumps({**LONG_PROFILE, "skip": [rule]})}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "it uses a lookahead or lookbehind" in page
    assert "[skip[1].matches]" in page
    assert not ImportProfile.objects.exists()


def test_many_measures_on_a_few_rows_meet_the_observation_bound(permits):
    measures = [{"value": "v", "indicator": f"m{n}"} for n in range(40)]
    definition = {**LONG_PROFILE, "measures": measures}
    data = b"area,year,v\nAL,2024,1\nAL,2025,2\nAL,2026,3\n"
    reader = ProfileReader(parse_profile(definition), names={"al": "AL"}, units={})
    limits = replace(Limits.from_settings(), rows=3)
    with pytest.raises(FileError, match="reshapes into more than 30 observations"):
        list(reader(data, limits).rows)


def test_a_category_of_many_columns_over_the_limit_is_a_row_error(permits):
    names = [f"c{n}" for n in range(80)]
    definition = {**LONG_PROFILE, "columns": {**LONG_PROFILE["columns"], "category": names}}
    data = ("area,year,v," + ",".join(names) + "\nAL,2024,1," + ",".join(names) + "\n").encode()
    rows = list(ProfileReader(parse_profile(definition), names={"al": "AL"}, units={})(data).rows)
    assert len(rows) == 1 and "the limit is 200" in rows[0].errors[0][1]


def test_a_profile_with_thousands_of_unknown_keys_lists_each_once(demo):
    definition = {**LONG_PROFILE, **{f"key{n}": n for n in range(5_000)}}
    with pytest.raises(ProfileError) as raised:
        parse_profile(definition)
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith("Unknown key(s): key0, key1, key10,")


def test_a_profile_with_thousands_of_measures_is_refused_when_parsed(permits):
    # Each measure is read for every row: 10,000 of them kept the reader busy for over a
    # minute on UNHCR's decisions file before the observation bound refused it.
    measures = [{"value": "v", "indicator": "residence-permits"}] * 10_000
    with pytest.raises(ProfileError) as raised:
        parse_profile({**LONG_PROFILE, "measures": measures})
    assert raised.value.problems == [
        "“Measures” lists 10,000 measures; a profile has at most 100. [measures]"
    ]


def test_a_profile_with_thousands_of_measures_is_refused_at_save(staff, demo):
    measures = [{"value": "v", "indicator": "residence-permits"}] * 5_000
    definition = json.dumps({**LONG_PROFILE, "measures": measures})
    response = staff.post(ADD, {"name": "P", "definition": definition})
    assert response.status_code == 200
    assert "a profile has at most 100" in response.content.decode()
    assert not ImportProfile.objects.exists()
