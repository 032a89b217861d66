"""`make bench-import`: the observation importer against its floor and its peer, in one run.

Generates 100,000 valid rows, then times, each phase in its own process (so peak memory is
the phase's own, read with resource.getrusage):
  floor     plain bulk_create of the same rows (ids already resolved, bounds precomputed)
  import    statistics.imports.pipeline.import_observations - the path the admin and command use
  reimport  the same file again: every row unchanged, nothing written
  peer      django-import-export's default row-by-row ModelResource import, on a sample
            (BENCH_PEER_ROWS, default 5,000), rows/s extrapolated to the full size
  changes   an admin-sized file (CHANGE_ROWS) changing every field of existing observations:
            preview, confirm and undo, timed (no target).
            `--changes-only` runs just this.
  wide      profile import (statistics.profiles) of a wide file of BENCH_ROWS cells (one
            column per year, names to resolve, decimal commas, markers) against the contract
            import of the same observations: time ratio, target within 2x.
            `--profiles-only` runs just these two.
  unhcr     the shipped multi-measure profile import of UNHCR's population file
            (fixtures/data/, fixtures/profiles/unhcr_population.json) against the contract
            import of the same observations: time ratio, target within 1.5x.
  demo      the whole demo load (`load_demo`, the source files included) into a fresh
            database, then again over itself (what `make run` does each time): seconds and
            peak RSS; target under 60 s. `--demo-only` runs just these and the unhcr pair.
  bombs     the worst upload bomb of each kind (tests/bombs.py), each refused by the
            pipeline in a fresh process (dry run): seconds and peak RSS, also as the
            difference to an idle process that only set Django up; target under 5 s and
            under 200 MB each. `--bombs-only` runs just these.
Database: a fresh SQLite file in bench/out/ unless BENCH_DATABASE_URL is set (e.g. a
PostgreSQL database of your own). Absolute numbers drift between machines: read the ratios.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
PEER_ROWS = int(os.environ.get("BENCH_PEER_ROWS", "5000"))
CSV_PATH = OUT / "observations.csv"
INDICATORS = [f"bench-indicator-{n}" for n in range(10)]
AREAS = ["AL", "BA", "XK", "ME", "MK", "RS", "TR", "WB", "WBT"]
CATEGORIES = ["", "Afghanistan", "Syrian Arab Republic", "Türkiye"]


def setup_django(database_url=None):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbportal.settings")
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DATABASE_URL"] = database_url or os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}"
    )
    os.environ["IMPORT_MAX_UPLOAD_BYTES"] = str(50 * 1024 * 1024)
    # The bench imports as `import_indicators` would (the admin's row limit is far lower).
    os.environ["IMPORT_MAX_ROWS"] = str(max(ROWS, 200_000))
    import django

    django.setup()


def generate_rows():
    rows = []
    for indicator in INDICATORS:
        for area in AREAS:
            for year in range(1990, 2026):
                for month in range(1, 13):
                    for category in CATEGORIES:
                        if len(rows) == ROWS:
                            return rows
                        value = f"{(len(rows) * 7919) % 100000}.{len(rows) % 10}"
                        status = "provisional" if len(rows) % 17 == 0 else ""
                        rows.append(
                            [
                                indicator,
                                area,
                                f"{year}-{month:02d}",
                                category,
                                value,
                                status,
                                "rs-kirs",
                                "Priština" if len(rows) % 5 == 0 else "",
                            ]
                        )
    raise SystemExit(f"cannot generate {ROWS} unique rows; add indicators")


WIDE_YEARS = list(range(2000, 2025))
# Areas as sources write them: every one goes through the name table (AreaName, regions).
WIDE_AREAS = {
    "Albania": "AL", "Bosna i Hercegovina": "BA", "Kosovo*": "XK", "Crna Gora": "ME",
    "Северна Македонија": "MK", "Srbija": "RS", "Turkey": "TR", "Western Balkans": "WB",
    "Western Balkans and Türkiye": "WBT",
}  # fmt: skip
WIDE_CSV = OUT / "wide.csv"
WIDE_CONTRACT_CSV = OUT / "wide_contract.csv"
WIDE_PROFILE = {
    "format": "wbportal-import-profile",
    "version": 1,
    "name": "bench: wide table",
    "delimiter": ";",
    "layout": "wide",
    "columns": {"indicator": "Indicator", "area": "Area", "category": "Category"},
    "value_columns": "^(?P<period>\\d{4})$",
    "numbers": {"decimal": ","},
    "markers": {"..": "not_available"},
}


def generate_wide():
    """(wide rows, contract rows): the same ROWS observations, one per value cell."""
    wide = [["Indicator", "Area", "Category", *map(str, WIDE_YEARS)]]
    contract = [["indicator", "area", "period", "category", "value", "status", "source", "note"]]
    cell = 0
    for indicator in INDICATORS:
        for name, code in WIDE_AREAS.items():
            for group in range(100):
                if cell >= ROWS:
                    return wide, contract
                category = f"Group {group}"
                row = [indicator, f"  {name}" if group % 7 == 0 else name, category]
                for year in WIDE_YEARS:
                    cell += 1
                    if cell % 50 == 0:
                        row.append("..")
                        contract.append(
                            [indicator, code, str(year), category, "", "not_available", "", ""]
                        )
                    else:
                        value = f"{(cell * 7919) % 100000},{cell % 10}"
                        row.append(value)
                        contract.append(
                            [
                                indicator,
                                code,
                                str(year),
                                category,
                                value.replace(",", "."),
                                "",
                                "",
                                "",
                            ]
                        )
                wide.append(row)
    raise SystemExit(f"cannot generate {ROWS} wide cells; add indicators")


def prepare():
    """Fresh database with the demo reference data and the bench indicators; the CSV file."""
    OUT.mkdir(parents=True, exist_ok=True)
    sqlite = OUT / "bench.sqlite3"
    if "BENCH_DATABASE_URL" not in os.environ and sqlite.exists():
        sqlite.unlink()
    setup_django()
    from statistics.models import Indicator, Observation

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # The catalogue of the demo's source files, not their observations: the unhcr phases
    # import them (the demo phases load the whole demo into a database of their own).
    call_command("load_demo", without_source_files=True, verbosity=0)
    call_command("loaddata", "unhcr.json", verbosity=0)
    Observation.objects.filter(indicator__code__startswith="bench-").delete()
    for code in INDICATORS:
        Indicator.objects.get_or_create(code=code, defaults={"name": code, "unit": "people"})
    import csv

    with open(CSV_PATH, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["indicator", "area", "period", "category", "value", "status", "source", "note"]
        )
        writer.writerows(generate_rows())
    wide, contract = generate_wide()
    with open(WIDE_CSV, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(wide)
    with open(WIDE_CONTRACT_CSV, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(contract)


def clear():
    from statistics.models import Observation

    Observation.objects.filter(indicator__code__startswith="bench-").delete()


def phase_floor():
    from decimal import Decimal
    from statistics.models import Indicator, Observation, Source

    from django.db import transaction

    from formatting.periods import parse_period
    from regions.models import Country, Region

    indicators = dict(Indicator.objects.values_list("code", "pk"))
    countries = dict(Country.objects.values_list("iso_code", "pk"))
    regions = dict(Region.objects.values_list("code", "pk"))
    source = Source.objects.get(code="rs-kirs").pk
    rows = generate_rows()
    periods = {row[2]: parse_period(row[2]) for row in rows}
    clear()
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, len(rows), 2000):
            batch = []
            for indicator, area, period, category, value, status, _s, note in rows[
                start : start + 2000
            ]:
                parsed = periods[period]
                batch.append(
                    Observation(
                        indicator_id=indicators[indicator],
                        country_id=countries.get(area),
                        region_id=regions.get(area),
                        period=period,
                        period_start=parsed.start,
                        period_end=parsed.end,
                        category=category,
                        value=Decimal(value),
                        status=status or "final",
                        source_id=source,
                        note=note,
                    )
                )
            Observation.objects.bulk_create(batch)
    elapsed = time.perf_counter() - started
    clear()
    return {"seconds": elapsed, "rows": len(rows)}


def phase_import():
    from statistics.imports.pipeline import import_observations

    clear()
    data = CSV_PATH.read_bytes()
    started = time.perf_counter()
    report = import_observations(data, file_name=CSV_PATH.name)
    elapsed = time.perf_counter() - started
    assert not report.has_errors, report.error_lines()[:5]
    assert report.counts["new"] == ROWS, report.counts
    return {"seconds": elapsed, "rows": ROWS, "counts": report.counts}


def phase_reimport():
    from statistics.imports.pipeline import import_observations
    from statistics.models import Observation

    assert Observation.objects.filter(indicator__code__startswith="bench-").count() == ROWS
    data = CSV_PATH.read_bytes()
    started = time.perf_counter()
    report = import_observations(data, file_name=CSV_PATH.name)
    elapsed = time.perf_counter() - started
    assert report.counts["unchanged"] == ROWS, report.counts
    clear()
    return {"seconds": elapsed, "rows": ROWS, "counts": report.counts}


def phase_peer():
    from statistics.models import Indicator, Observation, Source

    import tablib
    from import_export import fields, resources, widgets

    from regions.models import Country

    class PeerResource(resources.ModelResource):
        """A plain ModelResource as the django-import-export docs show it (row by row)."""

        indicator = fields.Field(
            "indicator", "indicator", widgets.ForeignKeyWidget(Indicator, "code")
        )
        country = fields.Field("country", "country", widgets.ForeignKeyWidget(Country, "iso_code"))
        source = fields.Field("source", "source", widgets.ForeignKeyWidget(Source, "code"))

        class Meta:
            model = Observation
            fields = [
                "indicator",
                "country",
                "period",
                "category",
                "value",
                "status",
                "source",
                "note",
            ]
            import_id_fields = ["indicator", "country", "period", "category"]

    countries = set(Country.objects.values_list("iso_code", flat=True))
    sample = [row for row in generate_rows() if row[1] in countries][:PEER_ROWS]
    dataset = tablib.Dataset(
        headers=["indicator", "country", "period", "category", "value", "status", "source", "note"]
    )
    for row in sample:
        row = list(row)
        row[5] = row[5] or "final"
        dataset.append(row)
    clear()
    started = time.perf_counter()
    result = PeerResource().import_data(dataset, dry_run=False)
    elapsed = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors(), (
        result.base_errors[:1],
        result.invalid_rows[:1],
        [r.errors for r in result.rows[:1]],
    )
    clear()
    return {"seconds": elapsed, "rows": len(sample)}


def phase_wide_contract():
    from statistics.imports.pipeline import import_observations

    clear()
    data = WIDE_CONTRACT_CSV.read_bytes()
    started = time.perf_counter()
    report = import_observations(data, file_name=WIDE_CONTRACT_CSV.name)
    elapsed = time.perf_counter() - started
    assert not report.has_errors, report.error_lines()[:5]
    assert report.counts["new"] == ROWS, report.counts
    clear()
    return {"seconds": elapsed, "rows": ROWS}


def phase_wide_profile():
    from statistics.profiles.format import parse_profile
    from statistics.profiles.load import import_with_profile

    clear()
    data = WIDE_CSV.read_bytes()
    started = time.perf_counter()
    report = import_with_profile(data, parse_profile(WIDE_PROFILE), file_name=WIDE_CSV.name)
    elapsed = time.perf_counter() - started
    assert not report.has_errors, report.error_lines()[:5]
    assert report.counts["new"] == ROWS, report.counts
    clear()
    return {"seconds": elapsed, "rows": ROWS}


UNHCR_SOURCE = "unhcr-refugee-statistics"
UNHCR_CONTRACT_CSV = OUT / "unhcr_population_contract.csv"


def clear_unhcr():
    from statistics.models import Observation

    Observation.objects.filter(source__code=UNHCR_SOURCE).delete()


def phase_unhcr_profile():
    """The UNHCR population file through its shipped profile (six measures, names resolved,
    Germany & co. skipped); then the same observations written out in the contract format
    for phase_unhcr_contract."""
    import csv
    from statistics.models import Observation
    from statistics.profiles.load import import_with_profile
    from statistics.profiles.shipped import DATA, save_profile

    clear_unhcr()
    saved = save_profile("unhcr_population.json")
    profile = saved.profile()
    data = (DATA / "unhcr_population_wb7_1951_2025.csv").read_bytes()
    started, cpu = time.perf_counter(), time.process_time()
    report = import_with_profile(data, profile, label=saved.name, file_name="unhcr_population")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert not report.has_errors, report.error_lines()[:5]
    rows = Observation.objects.filter(source__code=UNHCR_SOURCE).values_list(
        "indicator__code", "country__iso_code", "period", "category", "value", "status",
        "source__code", "note", "qualifier", "area_label",
    )  # fmt: skip
    with open(UNHCR_CONTRACT_CSV, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["indicator", "area", "period", "category", "value", "status", "source", "note",
             "qualifier", "area_label"]
        )  # fmt: skip
        writer.writerows(rows)
    clear_unhcr()
    return {"seconds": elapsed, "cpu": cpu, "rows": report.counts["new"]}


def phase_unhcr_contract():
    from statistics.imports.pipeline import import_observations

    clear_unhcr()
    data = UNHCR_CONTRACT_CSV.read_bytes()
    started, cpu = time.perf_counter(), time.process_time()
    report = import_observations(data, file_name=UNHCR_CONTRACT_CSV.name)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert not report.has_errors, report.error_lines()[:5]
    clear_unhcr()
    return {"seconds": elapsed, "cpu": cpu, "rows": report.counts["new"]}


DEMO_DATABASE = OUT / "demo.sqlite3"


def phase_demo():
    """The whole demo into a fresh, migrated database (migrations not timed), then again."""
    from statistics.models import Observation

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("load_demo", verbosity=0)
    first = time.perf_counter() - started
    started = time.perf_counter()
    call_command("load_demo", verbosity=0)
    again = time.perf_counter() - started
    return {"seconds": first, "again": again, "rows": Observation.objects.count()}


UNHCR_ROUNDS = int(os.environ.get("BENCH_UNHCR_ROUNDS", "3"))


def run_demo_data():
    """The UNHCR profile import against its contract twin, and the whole demo load.

    The two imports alternate, a fresh process each, for UNHCR_ROUNDS rounds; the target is
    on the median of the rounds' ratios (a single pair moved from 0.45 to 1.75 on this
    shared machine). CPU seconds of the import (time.process_time: SQLite writes in-process
    included) beside the wall clock: less disturbed by the other processes."""

    def median(values):  # not the standard library's: `statistics` is the app here
        ordered = sorted(values)
        middle = len(ordered) // 2
        return (ordered[middle] + ordered[~middle]) / 2

    ratios, cpu_ratios = [], []
    for round_number in range(1, UNHCR_ROUNDS + 1):
        profile, contract = run_phase("unhcr-profile"), run_phase("unhcr-contract")
        ratios.append(profile["seconds"] / contract["seconds"])
        cpu_ratios.append(profile["cpu"] / contract["cpu"])
        print(
            f"  unhcr round {round_number}: {profile['rows']:,} observations: profile "
            f"{profile['seconds']:.2f} s ({profile['cpu']:.2f} s CPU, peak RSS "
            f"{profile['peak_mb']:.0f} MB), contract {contract['seconds']:.2f} s "
            f"({contract['cpu']:.2f} s CPU, {contract['peak_mb']:.0f} MB): ratio "
            f"{ratios[-1]:.2f} (CPU {cpu_ratios[-1]:.2f})"
        )
    ratio = median(ratios)
    profile_ok = ratio <= 1.5
    print(
        f"  multi-measure profile import of UNHCR's population file vs contract import "
        f"(median time ratio, target <= 1.5): {ratio:.2f} {'OK' if profile_ok else 'MISSED'}; "
        f"median CPU ratio {median(cpu_ratios):.2f}"
    )
    if "BENCH_DATABASE_URL" not in os.environ and DEMO_DATABASE.exists():
        DEMO_DATABASE.unlink()
    demo = run_phase("demo")
    demo_ok = demo["seconds"] < 60
    print(
        f"  demo load (load_demo, source files included) into a fresh database: "
        f"{demo['seconds']:.1f} s (target < 60 s) {'OK' if demo_ok else 'MISSED'}; again over "
        f"itself: {demo['again']:.1f} s; {demo['rows']:,} observations; peak RSS "
        f"{demo['peak_mb']:.1f} MB"
    )
    return profile_ok and demo_ok


CHANGE_ROWS = 10_000  # the admin's IMPORT_MAX_ROWS: its confirm runs in one web request


def phase_changes():
    """An admin-sized file that changes every written field of existing observations: its
    preview (a dry run, with the list of changes) and its confirm (writing the changes and
    their batch record), then undoing it (restoring every row), each timed."""
    import csv
    import io
    from statistics.imports.pipeline import import_observations
    from statistics.models import ImportRecord

    clear()
    rows = generate_rows()[:CHANGE_ROWS]
    header = ["indicator", "area", "period", "category", "value", "status", "source", "note"]

    def as_csv(rows):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([*header, "qualifier"])
        writer.writerows(rows)
        return out.getvalue().encode()

    first = as_csv([[*row, ""] for row in rows])
    changed = as_csv(
        [[*row[:4], f"{row[4]}1", "estimated", "", "Revised", "about"] for row in rows]
    )
    assert import_observations(first, file_name="first.csv").counts["new"] == CHANGE_ROWS
    started = time.perf_counter()
    preview = import_observations(changed, file_name="changed.csv", dry_run=True)
    preview_seconds = time.perf_counter() - started
    assert preview.counts["updated"] == CHANGE_ROWS, preview.counts
    started = time.perf_counter()
    report = import_observations(changed, file_name="changed.csv")
    confirm_seconds = time.perf_counter() - started
    assert report.counts["updated"] == CHANGE_ROWS, report.counts
    result = {"rows": CHANGE_ROWS, "preview": preview_seconds, "seconds": confirm_seconds}
    try:
        from statistics.imports.undo import undo_import
    except ImportError:  # a site before undo: the two timings alone
        clear()
        return result
    record = ImportRecord.objects.written().latest("pk")
    started = time.perf_counter()
    undone = undo_import(record, None)
    result["undo"] = time.perf_counter() - started
    assert undone.restored == CHANGE_ROWS, undone
    clear()
    return result


def run_changes():
    """Timed and printed, no target: the admin's row limit (IMPORT_MAX_ROWS) was chosen
    from these figures on PostgreSQL; see bench/NOTES.md."""
    result = run_phase("changes")
    undo = f", undo {result['undo']:.2f} s" if "undo" in result else ""
    print(
        f"  changes   {result['rows']:>7,} rows changing every field: preview "
        f"{result['preview']:.2f} s, confirm {result['seconds']:.2f} s{undo}, peak RSS "
        f"{result['peak_mb']:6.1f} MB (no target)"
    )


def run_wide():
    """The profile import against the contract import of the same observations."""
    results = {}
    for name in ("wide-contract", "wide-profile"):
        results[name] = result = run_phase(name)
        print(
            f"  {name:13s} {result['rows']:>7,} observations in {result['seconds']:7.2f} s, "
            f"peak RSS {result['peak_mb']:6.1f} MB"
        )
    ratio = results["wide-profile"]["seconds"] / results["wide-contract"]["seconds"]
    ok = ratio <= 2
    print(
        f"  profile import of a wide file vs contract import (time ratio, target <= 2.0): "
        f"{ratio:.2f} {'OK' if ok else 'MISSED'}"
    )
    return ok


BOMB_DIR = OUT / "bombs"
UPLOAD_LIMIT = 10 * 1024 * 1024  # the default IMPORT_MAX_UPLOAD_BYTES: bombs get no more


def bomb_builders():
    """name -> (file name, what it is, builder). The worst of each kind, all under 10 MB."""
    from tests import bombs

    return {
        "dimension": (
            "dimension.xlsx",
            "XLSX declaring A1:XFD1048576, two real rows (imported, not refused)",
            bombs.dimension_bomb,
        ),
        "empty-rows": (
            "empty-rows.xlsx",
            "XLSX, two rows then 2,000,000 empty rows",
            lambda: bombs.empty_rows_bomb(2_000_000),
        ),
        "shared-string": (
            "shared-string.xlsx",
            "XLSX, one 200 MB shared string",
            lambda: bombs.shared_string_bomb(200_000_000),
        ),
        "shared-string-lying": (
            "shared-string-lying.xlsx",
            "the same, its part declaring 1 MB (under every size and ratio limit)",
            lambda: bombs.lying_member(
                bombs.shared_string_bomb(200_000_000), "xl/sharedStrings.xml", 1_000_000
            ),
        ),
        "lying-size": (
            "lying-size.xlsx",
            "XLSX whose 40 MB sheet declares 1 KB",
            lambda: bombs.lying_member(
                bombs.empty_rows_bomb(2_000_000), "xl/worksheets/sheet1.xml", 1000
            ),
        ),
        "empty-cells": (
            "empty-cells.xlsx",
            "XLSX, two rows then 199,990 rows of 10 empty cells (2,000,000: within limits)",
            lambda: bombs.empty_cells_bomb(rows=199_990, cells=10),
        ),
        "xml-depth": (
            "xml-depth.xlsx",
            "XLSX nesting 3,000,000 elements",
            lambda: bombs.deep_bomb(3_000_000),
        ),
        "billion-laughs": (
            "billion-laughs.xlsx",
            "XLSX with nested entities",
            bombs.billion_laughs,
        ),
        "wide-xlsx": (
            "wide.xlsx",
            "XLSX with a cell in column XFD",
            lambda: bombs.wide_workbook(16384),
        ),
        "xlsx-rows": (
            "rows.xlsx",
            "XLSX of 200,001 valid rows (one over the limit)",
            lambda: bombs.many_rows_workbook(200_001),
        ),
        "xlsx-late-errors": (
            "late-errors.xlsx",
            "XLSX of 199,899 valid rows then 101 bad ones (the whole file is checked)",
            lambda: bombs.workbook(
                [
                    *bombs.many_rows_workbook_rows(199_899),
                    *(
                        bombs.row_xml(number, ["x", "X", "1", "", "y"])
                        for number in range(199_901, 200_002)
                    ),
                ]
            ),
        ),
        "csv-bad-rows": (
            "bad-rows.csv",
            "CSV of 1,000,000 bad rows (9 MB)",
            lambda: bombs.csv_bad_rows(1_000_000),
        ),
        "csv-errors": (
            "errors.csv",
            "CSV of 200,000 bad rows (at the command's row limit: every row checked, the "
            "first IMPORT_MAX_ERRORS listed; the admin's row limit refuses it at once)",
            lambda: bombs.csv_bad_rows(200_000),
        ),
        "csv-late-errors": (
            "late-errors.csv",
            "CSV of 199,899 valid rows then 101 bad ones (the whole file is checked)",
            lambda: bombs.csv_good_rows(199_899)[:-1] + b"\n" + b"x,X,1,,y\n" * 101,
        ),
        "csv-rows": (
            "rows.csv",
            "CSV of 240,000 valid rows",
            lambda: bombs.csv_good_rows(240_000),
        ),
        "csv-wide": (
            "wide.csv",
            "CSV with a row of 9,000,000 empty cells",
            lambda: bombs.csv_file([bombs.GOOD_ROWS[0] + [""] * 9_000_000]),
        ),
        "csv-long-cell": (
            "long-cell.csv",
            "CSV with a 9 MB cell (an unclosed quote)",
            lambda: bombs.csv_file([bombs.GOOD_ROWS[0][:7] + ['"' + "z" * 9_000_000]]),
        ),
    }


def build_bombs():
    BOMB_DIR.mkdir(parents=True, exist_ok=True)
    for file_name, _what, build in bomb_builders().values():
        data = build()
        assert len(data) < UPLOAD_LIMIT, (file_name, len(data))
        (BOMB_DIR / file_name).write_bytes(data)


def phase_bomb(name):
    from statistics.imports.pipeline import import_observations

    from django.conf import settings

    settings.IMPORT_MAX_UPLOAD_BYTES = UPLOAD_LIMIT
    # The most rows any path accepts (the command's limit; the admin's is lower): the bombs are
    # sized against it.
    settings.IMPORT_MAX_ROWS = settings.IMPORT_COMMAND_MAX_ROWS
    if name == "idle":
        return {"seconds": 0.0}
    file_name = bomb_builders()[name][0]
    data = (BOMB_DIR / file_name).read_bytes()
    started = time.perf_counter()
    report = import_observations(data, file_name=file_name, dry_run=True)
    elapsed = time.perf_counter() - started
    lines = report.error_lines()
    outcome = lines[0] if lines else f"accepted: {report.counts}"
    return {"seconds": elapsed, "bytes": len(data), "outcome": outcome}


# Files within every limit, run for what they cost (the most the limits allow); the target is
# for files a limit refuses.
WITHIN_LIMITS = ("empty-cells", "xlsx-late-errors", "csv-errors", "csv-late-errors")


def run_bombs():
    build_bombs()
    idle = run_phase("bomb:idle")["peak_mb"]
    print(
        f"  bombs: dry run, a fresh process each; peak RSS (VmHWM), and over an idle process "
        f"that only set Django up ({idle:.0f} MB); target under 5 s and under 200 MB"
    )
    missed = []
    for name, (_file, what, _build) in bomb_builders().items():
        result = run_phase(f"bomb:{name}")
        if name in WITHIN_LIMITS:
            verdict = "(within limits, no target)"
        elif result["seconds"] < 5 and result["peak_mb"] < 200:
            verdict = "OK"
        else:
            verdict = "MISSED"
            missed.append(name)
        print(
            f"    {name:19s} {result['bytes'] / 1e6:4.1f} MB file {result['seconds']:6.2f} s "
            f"peak {result['peak_mb']:6.1f} MB (+{result['peak_mb'] - idle:5.1f}) {verdict}"
            f"\n      {what}\n      -> {result['outcome'][:160]}"
        )
    return missed


def peak_mb():
    """This process's peak resident memory in MB.

    VmHWM, not ru_maxrss: on Linux ru_maxrss survives fork and exec, so a phase would report
    the parent's peak whenever that is higher (the parent builds the bombs).
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(name):
    """Run one phase in a fresh process; return its timing and peak RSS in MB."""
    output = subprocess.run(
        [sys.executable, __file__, "--phase", name],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--phase":
        # The demo is loaded into a database of its own (BENCH_DEMO_DATABASE_URL, e.g. an
        # empty PostgreSQL database of yours; default a fresh SQLite file).
        demo_url = os.environ.get("BENCH_DEMO_DATABASE_URL", f"sqlite:///{DEMO_DATABASE}")
        setup_django(demo_url if sys.argv[2] == "demo" else None)
        if sys.argv[2].startswith("bomb:"):
            result = phase_bomb(sys.argv[2].removeprefix("bomb:"))
        else:
            result = {
                "floor": phase_floor,
                "import": phase_import,
                "reimport": phase_reimport,
                "peer": phase_peer,
                "wide-contract": phase_wide_contract,
                "wide-profile": phase_wide_profile,
                "changes": phase_changes,
                "unhcr-profile": phase_unhcr_profile,
                "unhcr-contract": phase_unhcr_contract,
                "demo": phase_demo,
            }[sys.argv[2]]()
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return
    prepare()
    database = os.environ.get("BENCH_DATABASE_URL", "SQLite file bench/out/bench.sqlite3")
    print(f"bench-import: {ROWS:,} rows, {CSV_PATH.stat().st_size / 1e6:.1f} MB CSV, {database}")
    if sys.argv[1:] == ["--bombs-only"]:
        sys.exit(1 if run_bombs() else 0)
    if sys.argv[1:] == ["--profiles-only"]:
        sys.exit(0 if run_wide() else 1)
    if sys.argv[1:] == ["--changes-only"]:
        run_changes()
        return
    if sys.argv[1:] == ["--demo-only"]:
        sys.exit(0 if run_demo_data() else 1)
    results = {}
    for name in ("floor", "import", "reimport", "peer"):
        results[name] = result = run_phase(name)
        result["rows_per_s"] = result["rows"] / result["seconds"]
        note = " (sample; rows/s extrapolated)" if name == "peer" else ""
        print(
            f"  {name:9s} {result['rows']:>7,} rows in {result['seconds']:7.2f} s = "
            f"{result['rows_per_s']:>9,.0f} rows/s, peak RSS {result['peak_mb']:6.1f} MB{note}"
        )
    floor, ours, again, peer = (
        results[n]["rows_per_s"] for n in ("floor", "import", "reimport", "peer")
    )
    peer_seconds = ROWS / peer
    checks = [
        (
            "import vs bulk_create floor (time ratio, target <= 3.0)",
            floor / ours,
            floor / ours <= 3,
        ),
        (
            "re-import unchanged vs floor (time ratio, target <= 3.0)",
            floor / again,
            floor / again <= 3,
        ),
        ("import speed-up over row-by-row peer (target >= 10)", ours / peer, ours / peer >= 10),
        (
            "import peak memory MB (target < 400)",
            results["import"]["peak_mb"],
            results["import"]["peak_mb"] < 400,
        ),
    ]
    print(f"  peer extrapolated to {ROWS:,} rows: {peer_seconds:,.0f} s")
    for label, value, ok in checks:
        print(f"  {label}: {value:.2f} {'OK' if ok else 'MISSED'}")
    checks.append(("profile import within 2x of the contract import", 0, run_wide()))
    checks.append(("UNHCR profile within 1.5x, demo load under 60 s", 0, run_demo_data()))
    run_changes()
    missed = run_bombs()
    checks.append(("bombs under 5 s and 200 MB", len(missed), not missed))
    if not all(ok for _l, _v, ok in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()
