import datetime
from decimal import Decimal
from statistics.models import Indicator, Observation, Source

import pytest
from django.core.management import call_command
from django.utils.html import escape

from documents.models import Document
from projects.models import Facility, Project, ThematicArea
from regions.models import ApproachSection, Contact, Country, Office, Region

pytestmark = pytest.mark.django_db

MODELS = [
    Country, Region, ApproachSection, Office, Contact, ThematicArea, Facility, Project,
    Source, Indicator, Observation, Document,
]  # fmt: skip


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_the_demo_content_twice_duplicates_nothing(demo):
    first = counts()
    assert all(first.values()), first
    call_command("load_demo", without_source_files=True, verbosity=0)
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
    assert (avr.period, avr.value, avr.status) == ("2016/2025-05", Decimal("3353"), "as_published")
    reception = Observation.objects.get(indicator__code="reception-accommodated")
    # The seed's "+1,200": more than 1,200, not an estimate of 1,200.
    assert (reception.period, reception.value, reception.qualifier, reception.status) == (
        "2025-03",
        Decimal("1200"),
        "more_than",
        "as_published",
    )
    assert not Observation.objects.filter(source__isnull=True).exists()
    # The presentation calls nothing final: its only mark is "non-final" (provisional).
    assert not Observation.objects.filter(status="final").exists()
    iom = Source.objects.get(code="iom-emwp-2025-05-14")
    assert (iom.publisher, iom.reference_date) == (
        "International Organization for Migration (IOM)",
        datetime.date(2025, 5, 14),
    )
    # The seed states no licence or terms: none are invented, and the portal's is not IOM's.
    assert (iom.licence, iom.licence_url, iom.terms, iom.is_own_compilation) == ("", "", "", False)
    world_bank = Source.objects.get(code="worldbank-wdi-sp-pop-totl")
    assert (world_bank.publisher, world_bank.licence, world_bank.licence_url) == (
        "World Bank",
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert not Source.objects.filter(is_own_compilation=True).exists()


def test_loading_the_demo_removes_the_rows_it_superseded(demo):
    """A database loaded with an earlier demo kept the AVR figure as "2016/2025"."""
    avr = Observation.objects.get(indicator__code="returns-avr-cumulative")
    avr.pk, avr.period = None, "2016/2025"
    avr.save()
    call_command("load_demo", without_source_files=True, verbosity=0)
    assert list(
        Observation.objects.filter(indicator__code="returns-avr-cumulative").values_list(
            "period", flat=True
        )
    ) == ["2016/2025-05"]
    assert set(Project.objects.values_list("acronym", flat=True)) >= {"PSMM"}


def test_the_first_demo_document_is_the_seeds_presentation_without_a_file(demo, client):
    document = Document.objects.get()
    assert document.title == "Western Balkans: External Aspects of Asylum and Migration (EMWP)"
    assert (document.date, document.language, document.author) == (
        datetime.date(2025, 5, 14),
        "en",
        "International Organization for Migration (IOM)",
    )
    assert "WK 6344/2025 INIT" in document.description
    # The seeds hold the presentation's text, not its file: none is invented.
    assert not document.file
    assert (document.file_type, document.file_size, document.original_name) == ("", None, "")
    assert document.note_without_file.startswith("The file itself is not available")
    assert list(document.regions.values_list("slug", flat=True)) == ["western-balkans"]
    # The two projects the presentation presents among its key achievements.
    assert set(document.projects.values_list("slug", flat=True)) == {
        "psmm",
        "return-management-systems-2024",
    }
    assert Document.objects.published().filter(pk=document.pk).exists()
    html = client.get("/regions/western-balkans/").content.decode()
    assert document.title in html and escape(document.note_without_file) in html
    assert document.title in client.get("/projects/psmm/").content.decode()
