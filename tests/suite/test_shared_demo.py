"""The demo content shared between tests (tests/shared_demo.py) never carries one test's
changes into another, and a test that does not ask for it never sees it."""

import pytest
from django.db import transaction

from regions.models import Country, Region


def test_a_test_may_change_the_shared_demo(demo):
    region = Region.objects.get(slug="western-balkans")
    region.name = "Changed by a test"
    region.save()
    Country.objects.filter(slug="kosovo").update(name="Renamed by a test")
    assert Region.objects.filter(name="Changed by a test").exists()


def test_the_next_test_sees_the_demo_as_loaded(demo):
    assert Region.objects.get(slug="western-balkans").name != "Changed by a test"
    assert Country.objects.get(slug="kosovo").name != "Renamed by a test"


def test_a_test_without_the_demo_sees_an_empty_database(db):
    assert not Region.objects.exists()
    assert not Country.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_committing_test_starts_empty_and_its_commits_do_not_reach_the_demo():
    assert not Region.objects.exists()
    with transaction.atomic():
        Region.objects.create(name="Committed", slug="committed", code="RCOMM")


def test_after_a_committing_test_the_demo_is_whole(demo):
    assert not Region.objects.filter(slug="committed").exists()
    assert Region.objects.filter(slug="western-balkans").exists()
