"""The public downloads of an indicator (CSV, CSV for Excel, XLSX, zip with a README) and the
admin's XLSX export: read back as a reader would (Python's csv, openpyxl, zipfile), named for
what they hold, public figures only, imported again unchanged, in a bounded number of queries."""

import csv
import io
import zipfile
from decimal import Decimal
from statistics.imports.pipeline import import_observations
from statistics.models import AreaName, Derivation, Observation

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from regions.models import Country, Region
from tests.factories import IndicatorFactory, ObservationFactory, SourceFactory
from tests.statistics.test_data_release import HIDDEN as STAGED
from tests.statistics.test_data_release import clock, release  # noqa: F401 - fixtures
from tests.statistics.test_draft_visibility import areas, hidden_texts  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def hosted(demo):
    """An indicator with figures for Kosovo* (a month, a decimal, a qualifier, a note that
    looks like a formula), for Türkiye over years, and a region's total."""
    indicator = IndicatorFactory(
        code="refugees-hosted",
        name="Refugees hosted",
        unit="people",
        description="Refugees and people in a refugee-like situation, end of period.",
    )
    source = SourceFactory(
        name="UNHCR Refugee Data Finder",
        code="unhcr-rdf",
        url="https://www.unhcr.org/refugee-statistics/",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        citation="UNHCR, Refugee Data Finder.",
    )
    kosovo = Country.objects.get(iso_code="XK")
    turkiye = Country.objects.get(iso_code="TR")
    wb = Region.objects.get(code="WB")

    def observe(**kwargs):
        where = kwargs.pop("area")
        area = {"country": where, "region": None} if isinstance(where, Country) else {}
        area = area or {"region": where}
        return ObservationFactory(indicator=indicator, source=source, **area, **kwargs)

    observe(area=kosovo, period="2025-03", value=Decimal("1234.5"), note="=SUM(A1)")
    observe(area=kosovo, period="2025-04", value=None, status="not_available")
    for year in range(2015, 2026):
        observe(area=turkiye, period=str(year), value=3_000_000 + year)
    observe(area=wb, period="2024", value=12, qualifier="more_than")
    return indicator


def csv_rows(response, delimiter=","):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads Š, Ç, Ђ only with it
    return data, list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def get(client, name, code="refugees-hosted", query=""):
    response = client.get(reverse(f"statistics:{name}", args=[code]) + query)
    assert response.status_code == 200, response.status_code
    return response


# --- CSV ------------------------------------------------------------------------------------


def test_csv_names_places_indicator_source_and_licence_and_imports_again(client, hosted):
    data, rows = csv_rows(get(client, "indicator-csv"))
    kosovo = Country.objects.get(iso_code="XK")
    month = next(r for r in rows if r["period"] == "2025-03")
    assert month["area"] == "XK" and month["area_name"] == "Kosovo*"
    assert month["area_note"] == kosovo.footnote != ""  # the site's one wording
    assert month["indicator_name"] == "Refugees hosted" and month["unit"] == "people"
    assert month["source"] == "unhcr-rdf" and month["source_name"] == "UNHCR Refugee Data Finder"
    assert month["source_url"] == "https://www.unhcr.org/refugee-statistics/"
    assert (month["licence"], month["licence_url"]) == (
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert month["value"] == "1234.5" and month["note"] == "'=SUM(A1)"  # never a formula
    missing = next(r for r in rows if r["period"] == "2025-04")
    assert (missing["value"], missing["status"]) == ("", "not_available")
    region = next(r for r in rows if r["area"] == "WB")
    assert (region["area_name"], region["area_note"], region["qualifier"]) == (
        "Western Balkans",
        "",
        "more_than",
    )
    report = import_observations(data)
    assert not report.has_errors
    assert report.counts["unchanged"] == len(rows) == 14
    assert report.counts["new"] == report.counts["updated"] == 0


def test_csv_for_excel_has_semicolons_and_decimal_commas_and_imports_again(client, hosted):
    data, rows = csv_rows(get(client, "indicator-csv", query="?layout=regional"), ";")
    month = next(r for r in rows if r["period"] == "2025-03")
    assert month["value"] == "1234,5" and month["area_name"] == "Kosovo*"
    assert Decimal(month["value"].replace(",", ".")) == Decimal("1234.5")
    assert b"refugees-hosted;XK;2025-03;" in data
    report = import_observations(data)
    assert not report.has_errors and report.counts["unchanged"] == len(rows)


def test_the_layout_is_chosen_never_guessed(client, hosted):
    url = reverse("statistics:indicator-csv", args=["refugees-hosted"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="sr,tr;q=0.9")
    assert b"".join(response.streaming_content).decode("utf-8-sig").startswith("indicator,area,")
    assert client.get(url + "?layout=excel").status_code == 404  # a bounded set of files


def test_an_area_keeps_its_figures_and_names_the_file(client, hosted):
    response = get(client, "indicator-csv", query="?area=TR")
    _data, rows = csv_rows(response)
    assert {r["area"] for r in rows} == {"TR"} and len(rows) == 11
    assert response["Content-Disposition"] == (
        'attachment; filename="refugees-hosted_TR_2015-2025.csv"; '
        "filename*=UTF-8''refugees-hosted_TR_2015-2025.csv"
    )
    regional = get(client, "indicator-csv", query="?area=TR&layout=regional")
    assert 'filename="refugees-hosted_TR_2015-2025_regional.csv"' in regional["Content-Disposition"]
    whole = get(client, "indicator-csv")
    assert 'filename="refugees-hosted_2015-2025.csv"' in whole["Content-Disposition"]
    xlsx = get(client, "indicator-xlsx", query="?area=XK")
    assert 'filename="refugees-hosted_XK_2025-03-2025-04.xlsx"' in xlsx["Content-Disposition"]
    archive = get(client, "indicator-zip", query="?area=TR")
    assert 'filename="refugees-hosted_TR_2015-2025.zip"' in archive["Content-Disposition"]


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_has_numbers_as_numbers_periods_as_text_and_the_terms(client, hosted):
    response = get(client, "indicator-xlsx")
    assert response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Data", "About"]
    data = book["Data"]
    header = [cell.value for cell in data[1]]
    assert header[:10] == [
        "indicator", "area", "period", "category", "value", "status", "source", "note",
        "qualifier", "area_label",
    ]  # fmt: skip
    rows = [dict(zip(header, (cell for cell in row), strict=True)) for row in data.iter_rows(2)]
    month = next(r for r in rows if r["period"].value == "2025-03")
    assert month["period"].data_type == "s" and month["period"].number_format == "@"
    assert month["value"].value == 1234.5 and month["value"].data_type == "n"
    assert month["note"].value == "'=SUM(A1)" and month["note"].data_type == "s"
    assert month["area_name"].value == "Kosovo*" and month["licence"].value == "CC BY 4.0"
    year = next(r for r in rows if r["period"].value == "2020")
    assert year["period"].data_type == "s"  # a year stays text too
    assert year["value"].value == 3_002_020 and isinstance(year["value"].value, int)
    assert next(r for r in rows if r["period"].value == "2025-04")["value"].value is None
    about = "\n".join(str(row[0].value or "") for row in book["About"].iter_rows())
    assert "UNHCR Refugee Data Finder" in about and "CC BY 4.0" in about
    assert Country.objects.get(iso_code="XK").footnote in about
    report = import_observations(response.content)  # the first sheet imports again
    assert not report.has_errors and report.counts["unchanged"] == len(rows) == 14


# --- zip with a README ----------------------------------------------------------------------


def test_zip_holds_the_csv_and_a_readme_saying_what_it_is(client, hosted):
    response = get(client, "indicator-zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["refugees-hosted_2015-2025.csv", "README.md"]
    data = archive.read("refugees-hosted_2015-2025.csv")
    assert data == b"".join(get(client, "indicator-csv").streaming_content)
    readme = archive.read("README.md").decode()
    assert readme.startswith("# Refugees hosted\n")
    for text in [
        "Refugees and people in a refugee-like situation, end of period.",  # definition
        "Unit: people",
        "UNHCR Refugee Data Finder",
        "https://www.unhcr.org/refugee-statistics/",
        "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "Cite as: UNHCR, Refugee Data Finder.",
        "## How to cite",
        "/statistics/refugees-hosted/",
        f"Kosovo*: {Country.objects.get(iso_code='XK').footnote}",
        "not_available (",
        "more_than (more than):",
        "Data > From Text/CSV",  # how periods stay text in Excel
        "- area_note:",
    ]:
        assert text in readme, text
    assert "How these figures are computed" not in readme  # not a derived indicator
    regional = zipfile.ZipFile(
        io.BytesIO(get(client, "indicator-zip", query="?layout=regional").content)
    )
    assert regional.namelist()[0] == "refugees-hosted_2015-2025_regional.csv"
    assert b"refugees-hosted;XK;2025-03;;1234,5;" in regional.read(regional.namelist()[0])


def test_readme_says_how_a_derived_indicator_is_computed(client, hosted):
    total = IndicatorFactory(code="refugees-total", name="Refugees, total")
    Derivation.objects.create(indicator=total, method="total", numerator=hosted)
    ObservationFactory(indicator=total, period="2024", value=5, source=None)
    archive = zipfile.ZipFile(io.BytesIO(get(client, "indicator-zip", "refugees-total").content))
    readme = archive.read("README.md").decode()
    assert "## How these figures are computed" in readme
    assert "the sum of the categories of Refugees hosted" in readme
    assert "<a " not in readme and "&" not in readme.replace("Data > From", "")


def test_zip_and_xlsx_are_built_once_per_data_version(
    client, hosted, settings, django_assert_num_queries
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    first = get(client, "indicator-zip").content
    workbook = get(client, "indicator-xlsx").content
    # Built: the indicator, then only the cache; no rows read again.
    with django_assert_num_queries(1):
        assert get(client, "indicator-zip").content == first
    with django_assert_num_queries(1):
        assert get(client, "indicator-xlsx").content == workbook
    # Each area and layout is its own file.
    assert get(client, "indicator-zip", query="?area=TR").content != first
    Observation.objects.filter(period="2024", region__code="WB").update(value=13)
    hosted.observations.filter(period="2024", region__code="WB").first().save()
    changed = zipfile.ZipFile(io.BytesIO(get(client, "indicator-zip").content))
    assert b"WB,2024,,13," in changed.read(changed.namelist()[0])


def test_a_download_too_large_to_build_points_to_the_csv(client, hosted, settings):
    settings.DOWNLOAD_MAX_ROWS = 5
    for name in ("indicator-xlsx", "indicator-zip"):
        response = client.get(reverse(f"statistics:{name}", args=["refugees-hosted"]))
        assert response.status_code == 413 and b"download the CSV" in response.content
    assert (
        client.get(reverse("statistics:indicator-csv", args=["refugees-hosted"])).status_code == 200
    )


# --- public figures only --------------------------------------------------------------------

DOWNLOADS = [
    "{code}.csv",
    "{code}.csv?layout=regional",
    "{code}.xlsx",
    "{code}.zip",
    "{code}.zip?layout=regional",
]


def download_text(client, url):
    """Every text a download holds, as a reader would see it."""
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    if response["Content-Type"] == XLSX:
        book = load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
        )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())


@pytest.mark.parametrize("path", DOWNLOADS)
@pytest.mark.parametrize("code", ["arrivals", "draft-only"])
def test_no_download_holds_anything_of_a_hidden_area(client, areas, path, code):  # noqa: F811
    url = "/statistics/" + path.format(code=code)
    text = download_text(client, url)
    leaked = [hidden for hidden in hidden_texts() if hidden in text]
    assert not leaked, f"{url} shows {leaked}"
    if code == "arrivals":
        assert "Open Region" in text and "Open Statistics Office" in text  # fails both ways


@pytest.mark.parametrize("path", [*DOWNLOADS, "{code}.csv?area=OPEN", "{code}.xlsx?area=BL"])
@pytest.mark.parametrize("code", ["arrivals", "staged-only"])
def test_no_download_holds_a_staged_release(client, release, path, code):  # noqa: F811
    url = "/statistics/" + path.format(code=code)
    text = download_text(client, url)
    leaked = [hidden for hidden in STAGED if hidden in text]
    assert not leaked, f"{url} shows {leaked}"


# --- query budgets --------------------------------------------------------------------------


def _grow(indicator, factor):
    country = Country.objects.get(iso_code="XK")
    region = Region.objects.get(code="WB")
    sources = [SourceFactory(licence=f"Licence {n}") for n in range(3)]
    rows = []
    for n in range(20 * factor):
        area = {"country": country} if n % 2 else {"region": region}
        rows.append(
            Observation(
                indicator=indicator, period=str(1900 + n), value=n, source=sources[n % 3], **area
            )
        )
    for observation in rows:
        observation.set_period_bounds()
    Observation.objects.bulk_create(rows)


@pytest.mark.parametrize("factor", [1, 10])
def test_download_queries_do_not_grow_with_the_data(
    client, demo, factor, settings, django_assert_num_queries
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    indicator = IndicatorFactory(code="grown")
    _grow(indicator, factor)
    # The indicator (with its periods and data version), the sources, the countries, the
    # names of areas that take in a footnoted one, the rows.
    with django_assert_num_queries(5):
        b"".join(get(client, "indicator-csv", "grown").streaming_content)
    # Those, then for the README: the site settings, its sources, the footnoted countries,
    # the areas named the source's way, how it is derived.
    with django_assert_num_queries(10):
        get(client, "indicator-xlsx", "grown")
    with django_assert_num_queries(10):
        get(client, "indicator-zip", "grown")


# --- the page's links -----------------------------------------------------------------------


def test_the_page_links_every_download_in_its_download_section(client, hosted):
    url = reverse("statistics:indicator-detail", args=["refugees-hosted"])
    section = client.get(url + "?area=TR").content.decode().split('id="download"')[1]
    section = section.split("</section>")[0]
    for href in [
        "/statistics/refugees-hosted.csv?area=TR",
        "/statistics/refugees-hosted.csv?area=TR&amp;layout=regional",
        "/statistics/refugees-hosted.xlsx?area=TR",
        "/statistics/refugees-hosted.zip?area=TR",
    ]:
        assert f'href="{href}"' in section, href
    assert "CSV for Excel (regional)" in section and "Data > From Text/CSV" in section


def test_the_indicator_list_offers_the_same_data_files_as_the_page(client, hosted):
    """What the page's Download section offers, the list offers in each indicator's row."""
    page = client.get(reverse("statistics:indicator-detail", args=["refugees-hosted"]))
    section = page.content.decode().split('id="download"')[1].split("</section>")[0]
    row = client.get(reverse("statistics:indicator-list")).content.decode()
    row = row.split('href="/statistics/refugees-hosted/"')[1].split("</tr>")[0]
    offered = [
        "/statistics/refugees-hosted.csv",
        "/statistics/refugees-hosted.csv?layout=regional",
        "/statistics/refugees-hosted.xlsx",
        "/statistics/refugees-hosted.zip",
        "/statistics/refugees-hosted.json",
    ]
    for href in offered:
        assert f'href="{href}"' in section, href
        assert f'href="{href}"' in row, href
    assert "CSV for Excel (regional)" in row


# --- the admin's export ---------------------------------------------------------------------

EXPORT = reverse("admin:statistics_observation_export")


def test_admin_exports_an_xlsx_that_imports_again(admin_client, hosted):
    url = f"{EXPORT}?indicator__id__exact={hosted.pk}"
    response = admin_client.post(url, {"format": "2", "resource": "0"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="refugees-hosted_2015-2025.xlsx"; '
        "filename*=UTF-8''refugees-hosted_2015-2025.xlsx"
    )
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Data"].iter_rows(values_only=True))
    header = rows[0]
    month = dict(zip(header, next(r for r in rows if r[2] == "2025-03"), strict=True))
    assert month["value"] == 1234.5 and month["source_name"] == "UNHCR Refugee Data Finder"
    about = "\n".join(str(row[0] or "") for row in book["About"].iter_rows(values_only=True))
    assert "14 observations" in about and "source's licence" in about
    report = import_observations(response.content)
    assert not report.has_errors and report.counts["unchanged"] == 14


def test_admin_csv_export_is_named_for_what_it_holds_and_imports_again(admin_client, hosted):
    turkiye = Country.objects.get(iso_code="TR")
    url = f"{EXPORT}?indicator__id__exact={hosted.pk}&country__id__exact={turkiye.pk}"
    response = admin_client.post(url, {"format": "1", "resource": "0"})  # the regional CSV
    assert 'filename="refugees-hosted_TR_2015-2025_regional.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 12 and rows[0][-1] == "area_label"  # the contract, as before
    report = import_observations(response.content)
    assert not report.has_errors and report.counts["unchanged"] == 11


def test_a_source_name_that_takes_in_kosovo_carries_its_footnote(client, hosted):
    """UNHCR's "Serbia and Kosovo: S/RES/1244 (1999)", filed under Serbia: the rows name the
    label, and the footnote of the Kosovo* it covers, in the CSV and the README."""
    label = "Serbia and Kosovo: S/RES/1244 (1999)"
    serbia, kosovo = (Country.objects.get(iso_code=code) for code in ("RS", "XK"))
    AreaName.objects.create(name=label, country=serbia).also_covers.add(kosovo)
    ObservationFactory(
        indicator=hosted, region=None, country=serbia, period="2024", value=36068,
        source=None, area_label=label,
    )  # fmt: skip
    _data, rows = csv_rows(get(client, "indicator-csv", query="?area=XK"))
    shared = next(r for r in rows if r["area"] == "RS")
    assert (shared["area_name"], shared["area_label"]) == ("Serbia", label)
    assert shared["area_note"] == f"Kosovo*: {kosovo.footnote}"
    archive = zipfile.ZipFile(io.BytesIO(get(client, "indicator-zip", query="?area=XK").content))
    readme = archive.read("README.md").decode()
    assert f"“{label}” is the source’s name for an area that covers Serbia and Kosovo*" in readme
    # The footnote too, where only the shared name takes Kosovo* in.
    archive = zipfile.ZipFile(io.BytesIO(get(client, "indicator-zip", query="?area=RS").content))
    readme = archive.read("README.md").decode()
    assert f"Kosovo*: {kosovo.footnote}" in readme


@pytest.mark.parametrize("path", DOWNLOADS)
def test_a_hidden_area_has_no_download(client, areas, path):  # noqa: F811
    """`?area=` names public areas only: a draft country's or region's file is a 404."""
    for code in ("SX", "ZDR", "SCHED"):
        url = "/statistics/" + path.format(code="arrivals")
        url += ("&" if "?" in url else "?") + f"area={code}"
        assert client.get(url).status_code == 404, url


def test_an_import_ignores_the_read_only_columns(hosted):
    """A name, unit or licence in a file changes nothing: they are edited on their models."""
    data = (
        "indicator,area,period,value,unit,licence,area_name,source_name\n"
        "refugees-hosted,TR,2030,7,tonnes,Public domain,Narnia,Someone else\n"
    )
    report = import_observations(data.encode())
    assert not report.has_errors and report.counts["new"] == 1
    hosted.refresh_from_db()
    assert hosted.unit == "people"
    assert not Country.objects.filter(name="Narnia").exists()
    assert import_observations(b"indicator,area,period,value,colour\nx,TR,2030,1\n").has_errors
