from decimal import Decimal
from statistics.models import Indicator, Observation, Source

import pytest
from django.core.management import call_command

from projects.models import Facility, Project, ThematicArea
from regions.models import ApproachSection, Contact, Country, Office, Region

pytestmark = pytest.mark.django_db

MODELS = [
    Country, Region, ApproachSection, Office, Contact, ThematicArea, Facility, Project,
    Source, Indicator, Observation,
]  # fmt: skip


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_the_demo_content_twice_duplicates_nothing(demo):
    first = counts()
    assert all(first.values()), first
    call_command("load_demo", verbosity=0)
    assert counts() == first


def test_demo_regions_and_countries_follow_the_seeds(demo):
    wb = Region.objects.get(slug="western-balkans")
    wbt = Region.objects.get(slug="western-balkans-turkiye")
    assert (wb.code, wbt.code) == ("WB", "WBT")
    assert sorted(wb.countries.values_list("iso_code", flat=True)) == sorted(
        ["AL", "BA", "XK", "ME", "MK", "RS"]
    )
    assert set(wbt.countries.values_list("iso_code", flat=True)) == {
        "AL", "BA", "XK", "ME", "MK", "RS", "TR",
    }  # fmt: skip
    members = dict(
        Country.objects.filter(member_state_since__isnull=False).values_list(
            "iso_code", "member_state_since"
        )
    )
    assert members == {"BA": 2012, "RS": 2014, "MK": 2015}
    kosovo = Country.objects.get(iso_code="XK")
    assert "UNSCR 1244/99" in kosovo.footnote
    assert str(kosovo) == "Kosovo*"
    assert wb.approach_sections.count() == 3


def test_demo_offices_and_contacts_follow_the_seeds(demo):
    assert set(Office.objects.values_list("city", flat=True)) == {
        "Belgrade", "Sarajevo", "Skopje", "Istanbul", "Ankara", "Prishtina",
    }  # fmt: skip
    assert Office.objects.get(city="Istanbul").is_regional_seat
    sarajevo = Office.objects.get(city="Sarajevo")
    assert "Fra Andela Zvizdovica 1" in sarajevo.street_address
    assert sarajevo.postal_code == "71000"
    assert Contact.objects.get(name="Elena Petreska").office.city == "Skopje"
    assert Contact.objects.get(name="Melita Gruevska-Graham").role == (
        "Special Representative for Western Balkans"
    )


def test_demo_figures_follow_the_presentation(demo):
    shares = dict(
        Observation.objects.filter(indicator__code="arrivals-top-nationalities").values_list(
            "category", "value"
        )
    )
    assert shares == {
        "Syrian Arab Republic": Decimal("35"),
        "Afghanistan": Decimal("18"),
        "Morocco": Decimal("9"),
        "Türkiye": Decimal("8"),
        "Egypt": Decimal("5"),
    }
    assert (
        Observation.objects.filter(indicator__code="arrivals-top-nationalities")
        .exclude(status="provisional")
        .count()
        == 0
    )
    avr = Observation.objects.get(indicator__code="returns-avr-cumulative")
    assert (avr.period, avr.value) == ("2016/2025", Decimal("3353"))
    reception = Observation.objects.get(indicator__code="reception-accommodated")
    assert (reception.period, reception.value) == ("2025-03", Decimal("1200"))
    assert not Observation.objects.filter(source__isnull=True).exists()
    assert set(Project.objects.values_list("acronym", flat=True)) >= {"PSMM"}
