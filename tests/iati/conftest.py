"""IATI test helpers: the publisher filled in, a complete project, reading a served file."""

import datetime
import itertools
from decimal import Decimal

import pytest
from lxml import etree

from iati import codelists, validation
from pages.models import SiteSettings
from tests.builders import KOSOVO_NOTE
from tests.factories import CountryFactory, OrganisationFactory, ProjectFactory, RegionFactory

PUBLISHER = "XM-DAC-47066"
_numbers = itertools.count(1)


def set_publisher(identifier=PUBLISHER, organisation_type="40"):
    site = SiteSettings.objects.current()
    site.iati_organisation_identifier = identifier
    site.iati_organisation_type = organisation_type
    site.save()
    return site


@pytest.fixture
def publisher(db):
    return set_publisher()


@pytest.fixture
def places(db):
    kosovo = CountryFactory(name="Kosovo", slug="kosovo", iso_code="XK", footnote=KOSOVO_NOTE)
    serbia = CountryFactory(name="Serbia", slug="serbia", iso_code="RS")
    region = RegionFactory(name="Western Balkans", slug="wb", countries=[kosovo, serbia])
    return {"kosovo": kosovo, "serbia": serbia, "region": region}


def complete_project(countries, **fields):
    """A published project with everything IATI requires."""
    values = {
        "iati_identifier": f"{PUBLISHER}-P{next(_numbers)}",
        "iati_sectors": "15190",
        "planned_start": datetime.date(2024, 1, 1),
        "planned_end": datetime.date(2026, 12, 31),
        "budget": Decimal("1500000.00"),
        "currency": "EUR",
        **fields,
    }
    donors = values.pop("donors", None)
    project = ProjectFactory(countries=countries, **values)
    project.donors.set(donors if donors is not None else [OrganisationFactory()])
    return project


def parse(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return etree.fromstring(response.content)


def assert_valid(content):
    """Valid against the official 2.03 schemas and every coded value active in its list."""
    assert validation.errors(content) == []
    root = etree.fromstring(content)
    coded = [
        ("activity-status", "code", "ActivityStatus"),
        ("activity-date", "type", "ActivityDateType"),
        ("participating-org", "role", "OrganisationRole"),
        ("participating-org", "type", "OrganisationType"),
        ("reporting-org", "type", "OrganisationType"),
        ("recipient-country", "code", "Country"),
        ("sector", "vocabulary", "SectorVocabulary"),
        ("budget", "type", "BudgetType"),
        ("budget", "status", "BudgetStatus"),
        ("value", "currency", "Currency"),
        ("category", "code", "DocumentCategory"),
        ("language", "code", "Language"),
    ]
    for tag, attribute, listname in coded:
        for element in root.iter(tag):
            if element.get(attribute) is not None:
                assert codelists.is_active(listname, element.get(attribute)), (
                    tag,
                    attribute,
                    element.get(attribute),
                )
    for activity in root.iter("iati-activity"):
        currency = activity.get("default-currency")
        if currency:
            assert codelists.is_active("Currency", currency)
    for sector in root.iter("sector"):
        if sector.get("vocabulary") == "1":
            assert codelists.is_active("Sector", sector.get("code"))
    return root
