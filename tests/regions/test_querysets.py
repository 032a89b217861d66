"""Visibility lives in QuerySet methods; the views only call them."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from projects.models import Project
from regions.models import Contact, Country, Office, Region
from tests.factories import (
    ContactFactory,
    CountryFactory,
    OfficeFactory,
    ProjectFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model,factory", [(Region, RegionFactory), (Project, ProjectFactory)])
def test_visible_to(model, factory):
    live = factory(is_published=True)
    draft = factory(is_published=False)
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name="Editor"))  # previews need the view permission
    reader = UserFactory(is_staff=False)
    unprivileged_staff = UserFactory(is_staff=True)
    for user in (AnonymousUser(), reader, unprivileged_staff, None):
        assert list(model.objects.visible_to(user)) == [live]
        assert model.objects.visible_to(user).get().is_live is True
    flags = {obj.pk: obj.is_live for obj in model.objects.visible_to(staff)}
    assert flags == {live.pk: True, draft.pk: False}


def test_public_countries_offices_and_contacts_follow_published_regions():
    shown, hidden = CountryFactory(iso_code="AA"), CountryFactory(iso_code="BB")
    live = RegionFactory(countries=[shown])
    draft = RegionFactory(is_published=False, countries=[hidden])
    live_office = OfficeFactory(region=live, country=shown)
    OfficeFactory(region=draft, country=hidden)
    public = ContactFactory(region=live, office=live_office)
    ContactFactory(region=live, office=live_office, is_published=False)
    ContactFactory(region=draft)
    regional = ContactFactory(region=live, office=None)
    assert list(Country.objects.public()) == [shown]
    assert list(Office.objects.public()) == [live_office]
    assert set(Contact.objects.public()) == {public, regional}
    assert list(Contact.objects.public().region_wide()) == [regional]


def test_project_search_matches_every_word_in_title_acronym_or_summary():
    hit = ProjectFactory(title="Return systems", acronym="RMS", summary="In Priština.")
    ProjectFactory(title="Border posts", acronym="BP", summary="Elsewhere.")
    assert list(Project.objects.search("rms priština")) == [hit]
    assert list(Project.objects.search("RETURN")) == [hit]
    assert Project.objects.search("return border").count() == 0
