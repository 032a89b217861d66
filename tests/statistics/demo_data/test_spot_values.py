"""The demo's real data, imported from fixtures/data/ through the shipped profiles by
`load_demo`, holds exactly the figures the files publish (the spot values of
fixtures/data/README.md), the portal's totals and rates of them, and nothing the files do
not say (a missing row is no zero)."""

import io
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from statistics.models import Derivation, ImportProfile, ImportRecord, Indicator, Observation

import pytest
from django.core.management import call_command
from django.db.models import Sum

SERBIA_LABEL = "Serbia and Kosovo: S/RES/1244 (1999)"
AREAS = {"TUR": "TR", "SRB": "RS", "MKD": "MK", "MNE": "ME", "ALB": "AL", "BIH": "BA"}

pytestmark = pytest.mark.usefixtures("source_data")


def figures(indicator, area, period, **filters):
    return Observation.objects.filter(
        indicator__code=indicator, country__iso_code=area, period=period, **filters
    )


def value(indicator, area, period, category=""):
    return figures(indicator, area, period, category=category).get().value


def summed(indicator, area, period):
    return figures(indicator, area, period).aggregate(total=Sum("value"))["total"]


def rate(numerator, denominator, scale):
    """As the portal stores a rate: to the derived indicator's decimals (1), half up."""
    return (D(numerator) * scale / D(denominator)).quantize(D("0.1"), ROUND_HALF_UP)


# --- World Bank population -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "period", "expected"),
    [("XK", "2024", 1_594_353), ("RS", "2024", 6_586_476), ("AL", "1960", 1_608_800),
     ("TR", "2024", 85_518_661)],
)  # fmt: skip
def test_world_bank_population_spot_values(area, period, expected):
    observation = figures("population", area, period).get()
    assert observation.value == expected
    assert observation.source.code == "worldbank-wdi-sp-pop-totl"
    assert observation.status == "estimated" and observation.area_label == ""


def test_every_world_bank_row_is_imported_kosovo_under_xk():
    population = Observation.objects.filter(indicator__code="population")
    assert population.count() == 7 * 65
    assert population.filter(country__iso_code="XK").count() == 65


# --- Population stocks -----------------------------------------------------------------------


REFUGEES_HOSTED = [
    ("TUR", "2024", 2_940_735), ("SRB", "2024", 36_068), ("MKD", "2024", 20_911),
    ("MNE", "2024", 18_670), ("ALB", "2024", 9_381), ("BIH", "2024", 495),
    ("TUR", "2025", 2_390_414), ("SRB", "2025", 40_863),
]  # fmt: skip


@pytest.mark.parametrize(("iso3", "period", "expected"), REFUGEES_HOSTED)
def test_refugees_hosted_summed_over_origins(iso3, period, expected):
    assert summed("refugees-hosted", AREAS[iso3], period) == expected


@pytest.mark.parametrize(("iso3", "period", "expected"), REFUGEES_HOSTED)
def test_the_portals_total_of_refugees_hosted(iso3, period, expected):
    total = figures("refugees-hosted-total", AREAS[iso3], period, category="").get()
    assert total.value == expected and total.is_derived


def test_serbias_figures_keep_unhcrs_label_and_none_is_moved_onto_kosovo():
    serbia = Observation.objects.filter(indicator__code="refugees-hosted", country__iso_code="RS")
    assert serbia.exists()
    assert set(serbia.values_list("area_label", flat=True)) == {SERBIA_LABEL}
    assert not figures("refugees-hosted", "TR", "2024").exclude(area_label="").exists()
    unhcr = Observation.objects.filter(source__code="unhcr-refugee-statistics")
    assert not unhcr.filter(country__iso_code="XK").exists()


def test_syrian_refugees_in_turkiye_2024_under_unhcrs_name():
    assert value("refugees-hosted", "TR", "2024", "Syrian Arab Rep.") == 2_901_478


def test_nationals_abroad_read_by_country_of_origin():
    """The row of refugees from "Serbia and Kosovo: S/RES/1244 (1999)" in Bosnia and
    Herzegovina, end of 2024 (29), read by the country of origin."""
    row = figures("refugees-abroad", "RS", "2024", category="Bosnia and Herzegovina").get()
    assert (row.value, row.area_label) == (29, SERBIA_LABEL)
    assert value("refugees-hosted", "BA", "2024", SERBIA_LABEL) == 29


def test_a_published_zero_is_imported_as_zero():
    """Syrians in Albania, end of 2024: 34 refugees, 0 asylum-seekers (fixtures/data/README)."""
    assert value("refugees-hosted", "AL", "2024", "Syrian Arab Rep.") == 34
    assert value("asylum-seekers-hosted", "AL", "2024", "Syrian Arab Rep.") == 0


def test_idps_and_stateless_where_unhcr_reports_them():
    assert value("idps", "RS", "2024") == 209_753
    assert value("idps", "BA", "2025") == 94_796
    assert not figures("idps", "TR", "2024").exists()
    # A 0 of the country's own row is not imported (fixtures/data/README.md): not a figure.
    assert not figures("idps", "MK", "2003").exists()
    stateless = {"AL": 2203, "BA": 23, "MK": 159, "ME": 423, "RS": 1715, "TR": 420}
    for area, expected in stateless.items():
        assert value("stateless", area, "2024") == expected


def test_columns_that_say_nothing_are_not_imported():
    """oip is empty on every row, hst 0 on every row: neither becomes an indicator."""
    imported = set(
        Observation.objects.filter(source__code="unhcr-refugee-statistics", is_derived=False)
        .values_list("indicator__code", flat=True)
        .distinct()
    )
    assert imported == {
        "refugees-hosted", "asylum-seekers-hosted", "refugees-abroad", "asylum-seekers-abroad",
        "idps", "stateless", "asylum-applications", "asylum-applications-abroad",
        "asylum-applications-cases", "asylum-applications-abroad-cases", "asylum-decisions",
        "asylum-decisions-recognised", "asylum-decisions-complementary",
        "asylum-decisions-rejected", "asylum-decisions-closed", "asylum-decisions-cases",
        "asylum-decisions-recognised-cases", "asylum-decisions-complementary-cases",
        "asylum-decisions-rejected-cases", "asylum-decisions-closed-cases",
    }  # fmt: skip


# --- Asylum applications ---------------------------------------------------------------------


APPLICATIONS_2024 = {"TUR": 9_009, "SRB": 406, "MKD": 322, "BIH": 239, "MNE": 117, "ALB": 16}


@pytest.mark.parametrize(("iso3", "expected"), APPLICATIONS_2024.items())
def test_applications_lodged_in_2024(iso3, expected):
    area = AREAS[iso3]
    assert summed("asylum-applications", area, "2024") == expected
    assert value("asylum-applications-total", area, "2024") == expected


def test_albanian_nationals_applying_anywhere_in_2024():
    assert value("asylum-applications-abroad-total", "AL", "2024") == 13_686
    assert summed("asylum-applications-abroad", "AL", "2024") == 13_686


def test_cases_and_persons_are_never_added_together():
    """Albania reported its 2000-2002 applications in cases: a cases indicator of its own."""
    assert value("asylum-applications-cases-total", "AL", "2001") == 155
    assert not figures("asylum-applications", "AL", "2001").exists()
    units = dict(Indicator.objects.values_list("code", "unit"))
    assert units["asylum-applications-cases"] == units["asylum-applications-cases-total"]
    assert units["asylum-applications-cases"] == "cases" != units["asylum-applications"]


def test_a_category_keeps_origin_procedure_type_and_stage_apart():
    categories = set(
        figures("asylum-applications", "TR", "2024").values_list("category", flat=True)
    )
    assert categories and all(category.count(" · ") == 3 for category in categories)


# --- Asylum decisions ------------------------------------------------------------------------


DECISIONS_2024 = {"SRB": 382, "MKD": 331, "BIH": 147, "MNE": 133, "ALB": 18}


@pytest.mark.parametrize(("iso3", "expected"), DECISIONS_2024.items())
def test_decisions_taken_in_2024(iso3, expected):
    area = AREAS[iso3]
    assert summed("asylum-decisions", area, "2024") == expected
    assert value("asylum-decisions-total", area, "2024") == expected


def test_turkiyes_2024_decisions_are_not_in_the_data_not_zero():
    for code in ("asylum-decisions", "asylum-decisions-total", "asylum-recognised-share"):
        assert not figures(code, "TR", "2024").exists()
    assert value("asylum-decisions-total", "TR", "2023") == 81_070


@pytest.mark.parametrize(
    ("area", "period", "recognised", "decided"),
    [("RS", "2024", 17, 382), ("ME", "2024", 33, 133), ("AL", "2024", 13, 18),
     ("MK", "2024", 0, 331), ("TR", "2023", 9_966, 81_070)],
)  # fmt: skip
def test_share_of_decisions_recognising_refugee_status(area, period, recognised, decided):
    assert value("asylum-decisions-recognised-total", area, period) == recognised
    assert value("asylum-recognised-share", area, period) == rate(recognised, decided, 100)


def test_refugees_hosted_per_1000_inhabitants():
    assert value("refugees-hosted-per-1000", "TR", "2024") == rate(2_940_735, 85_518_661, 1000)
    assert value("refugees-hosted-per-1000", "BA", "2024") == rate(495, 3_164_253, 1000)
    # 2025: UNHCR has figures, the World Bank's series ends with 2024: no rate.
    assert not figures("refugees-hosted-per-1000", "TR", "2025").exists()
    # UNHCR's "Serbia and Kosovo: S/RES/1244 (1999)" over the World Bank's Serbia alone: none.
    assert figures("refugees-hosted-total", "RS", "2024").get().area_label == SERBIA_LABEL
    assert not Observation.objects.filter(
        indicator__code="refugees-hosted-per-1000", country__iso_code__in=["RS", "XK"]
    ).exists()


# --- What the demo load leaves for staff -----------------------------------------------------


def test_the_shipped_profiles_are_saved_for_staff_and_named_in_the_records():
    names = set(ImportProfile.objects.values_list("name", flat=True))
    assert {
        "UNHCR population statistics (refugees package: population)",
        "UNHCR asylum applications (refugees package: asylum_applications)",
        "UNHCR asylum decisions (refugees package: asylum_decisions)",
        "World Bank population (SP.POP.TOTL, datasets/population)",
    } <= names
    recorded = set(ImportRecord.objects.written().values_list("profile", flat=True))
    assert "UNHCR asylum decisions (refugees package: asylum_decisions)" in recorded


def test_every_derived_indicator_is_defined_and_computed():
    derived = Derivation.objects.values_list("indicator__code", flat=True)
    assert len(derived) == 20
    for code in derived:
        assert Observation.objects.filter(indicator__code=code, is_derived=True).exists(), code


def test_loading_the_whole_demo_again_changes_nothing():
    """`make run` loads the demo each time: the second load finds every figure unchanged."""
    before = Observation.objects.count(), ImportProfile.objects.count(), Derivation.objects.count()
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    after = Observation.objects.count(), ImportProfile.objects.count(), Derivation.objects.count()
    assert after == before
    lines = [line for line in output.getvalue().splitlines() if line.endswith("observations.")]
    assert len(lines) == 4 and all(" 0 new, 0 updated," in line for line in lines), lines
