import pytest
from django.db import IntegrityError, transaction

from regions.models import Country, Office
from tests.factories import CountryFactory, OfficeFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_a_region_has_at_most_one_regional_seat():
    region = RegionFactory()
    OfficeFactory(region=region, is_regional_seat=True)
    OfficeFactory(region=region, is_regional_seat=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeFactory(region=region, is_regional_seat=True)
    OfficeFactory(region=RegionFactory(), is_regional_seat=True)
    assert Office.objects.filter(is_regional_seat=True).count() == 2


def test_membership_year_cannot_predate_the_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        CountryFactory(member_state_since=1950)
    assert not Country.objects.filter(member_state_since=1950).exists()


def test_country_display_name_carries_the_footnote_marker():
    assert str(CountryFactory(name="Kosovo", footnote="UNSCR 1244/99")) == "Kosovo*"
    assert str(CountryFactory(name="Serbia")) == "Serbia"


def test_offices_in_region_are_those_in_its_countries_seat_first():
    serbia, turkiye, elsewhere = CountryFactory(), CountryFactory(), CountryFactory()
    region = RegionFactory(countries=[serbia, turkiye])
    belgrade = OfficeFactory(country=serbia, city="Belgrade")
    istanbul = OfficeFactory(country=turkiye, city="Istanbul", is_regional_seat=True)
    OfficeFactory(country=elsewhere)
    assert list(Office.objects.in_region(region)) == [istanbul, belgrade]
