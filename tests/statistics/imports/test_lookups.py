"""statistics.imports.lookups on its own: codes and names to what is stored."""

from statistics.imports.lookups import MAX_LISTED, Lookups, known, qualifier
from statistics.models import ObservationStatus, ValueQualifier

import pytest

from tests.factories import CountryFactory, IndicatorFactory, RegionFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_codes_resolve_whatever_their_case():
    indicator = IndicatorFactory(code="Arrivals-Total")
    country, region = CountryFactory(iso_code="QS"), RegionFactory(code="QWB")
    source = SourceFactory(code="unhcr", name=" UN Refugee Agency ")
    lookups = Lookups()
    assert lookups.indicator("arrivals-total") == indicator.pk
    assert lookups.area("qs") == (country.pk, None)
    assert lookups.area("QWB") == (None, region.pk)
    assert lookups.source("UNHCR") == lookups.source("un refugee agency") == source.pk
    assert lookups.source("") is None
    assert lookups.status("") == ObservationStatus.AS_PUBLISHED
    assert lookups.status("Not-Available") == ObservationStatus.NOT_AVAILABLE
    assert lookups.period("2025-q1").text == "2025-Q1"


def test_unknown_values_are_refused_with_what_is_accepted():
    CountryFactory(iso_code="QS")
    lookups = Lookups()
    with pytest.raises(ValueError, match="Unknown area 'SRB'. Known country codes: QS;"):
        lookups.area("SRB")
    with pytest.raises(ValueError, match="Unknown status 'final!'. Accepted: as_published,"):
        lookups.status("final!")
    with pytest.raises(ValueError, match="Unknown source 'x'"):
        lookups.source("x")
    for _attempt in range(2):  # the second answer comes from the cache, with the same message
        with pytest.raises(ValueError, match="2025-13"):
            lookups.period("2025-13")


def test_qualifier_spellings():
    assert qualifier("") == ValueQualifier.EXACT
    assert qualifier("More  Than") == qualifier(">") == qualifier("+") == ValueQualifier.MORE_THAN
    assert qualifier("~") == ValueQualifier.ABOUT
    with pytest.raises(ValueError, match="Unknown qualifier 'lots'"):
        qualifier("lots")


def test_known_lists_the_first_codes_and_counts_the_rest():
    codes = [f"c{n:02d}" for n in range(MAX_LISTED + 3)]
    assert known(reversed(codes)) == ", ".join(codes[:MAX_LISTED]) + " and 3 more"
