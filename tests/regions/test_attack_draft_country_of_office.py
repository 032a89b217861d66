"""ATTACK (issue 22 review): the public list of offices and contacts prints (and links, to a
404) the country of a live office even when that country is a draft, which an Editor
changes directly: an unreviewed country name reaches a live page without a Publisher."""

import pytest
from django.test import Client
from django.urls import reverse

from staff.roles import EDITOR
from tests.admin_forms import change_url
from tests.factories import CountryFactory, OfficeFactory, RegionFactory
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


def test_attack_a_draft_countrys_name_never_reaches_the_public_contacts_page(staff_with_role):
    region = RegionFactory()
    country = CountryFactory(name="Reviewedland", is_published=False)
    region.countries.add(country)
    OfficeFactory(region=region, country=country, name="Seat office", city="Capital")
    client = Client()
    client.force_login(staff_with_role(EDITOR))
    url = change_url(country)
    response = client.post(url, form_data(client, url, name="Unreviewedland"))
    assert response.status_code == 302  # a draft: saved directly, as designed
    html = Client().get(reverse("regions:contacts")).content.decode()
    assert "Seat office" in html  # the live office is listed
    assert "Unreviewedland" not in html


def test_a_draft_countrys_offices_are_listed_without_its_name(client):
    country = CountryFactory(name="Unreviewedland", slug="unreviewedland", is_published=False)
    OfficeFactory(country=country, name="Border office", city="Capital")
    html = client.get(reverse("regions:contacts")).content.decode()
    assert "Border office" in html and "Other offices" in html
    assert "Unreviewedland" not in html and "unreviewedland" not in html


def test_a_draft_countrys_own_page_still_names_it_for_staff(client, staff_with_role):
    country = CountryFactory(name="Unreviewedland", is_published=False)
    client.force_login(staff_with_role(EDITOR))
    html = client.get(country.get_absolute_url()).content.decode()
    assert "<h1>Unreviewedland" in html
