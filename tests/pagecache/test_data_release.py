"""The page cache and scheduled data releases: a cached page never outlives a release's
time (no signal fires when it comes), and "Release now" in the admin bumps it."""

from datetime import timedelta
from statistics.models import DataRelease

import pytest
import time_machine
from django.urls import reverse

import pagecache
from staff.roles import DATA_MANAGER, PUBLISHER
from tests.clock import midday
from tests.factories import IndicatorFactory, ObservationFactory

from .conftest import get_twice, sign_in

pytestmark = pytest.mark.django_db
URL = "/statistics/arrivals/"


@pytest.fixture
def start():
    return midday()


@pytest.fixture
def staged(region, start):
    """A public figure and a staged one of the same region, released in five minutes."""
    arrivals = IndicatorFactory(code="arrivals", name="Arrivals", is_featured=True)
    ObservationFactory(indicator=arrivals, region=region, period="2024", value=111101)
    release = DataRelease.objects.create(name="Embargo", release_at=start + timedelta(minutes=5))
    ObservationFactory(
        indicator=arrivals, region=region, period="2029", value=888801, release=release
    )
    return release


def test_release_time_caps_the_life_of_cached_pages(start, staged):
    assert pagecache.next_scheduled_change(start) == staged.release_at
    assert pagecache.page_lifetime("any", start) == 300


def test_a_scheduled_release_appears_on_a_cached_page_at_its_time(visitor, staged, start):
    with time_machine.travel(start, tick=False) as clock:
        cached = get_twice(visitor, URL).content.decode()
        assert "111,101" in cached and "888,801" not in cached

        clock.move_to(staged.release_at - timedelta(seconds=1))
        before = visitor.get(URL)
        assert before["X-Page-Cache"] == "hit"
        assert "888,801" not in before.content.decode()

        clock.move_to(staged.release_at)
        after = visitor.get(URL)
        assert after["X-Page-Cache"] == "miss"
        assert "888,801" in after.content.decode()


@pytest.mark.parametrize("role", [PUBLISHER, DATA_MANAGER])
def test_release_now_in_the_admin_shows_on_the_next_request(
    visitor, client, staged, staff_with_role, role
):
    DataRelease.objects.filter(pk=staged.pk).update(release_at=None)  # held: no time at all
    cached = get_twice(visitor, URL).content.decode()
    assert "888,801" not in cached

    sign_in(client, staff_with_role(role))
    response = client.post(
        reverse("admin:statistics_datarelease_changelist"),
        {"action": "release_now", "_selected_action": [staged.pk]},
    )
    assert response.status_code == 302

    after = visitor.get(URL)
    assert after["X-Page-Cache"] == "miss"
    assert "888,801" in after.content.decode()


def test_staff_previews_of_staged_figures_are_never_stored(visitor, client, staged, region):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, staff)
    preview = client.get(region.get_absolute_url())
    assert "staged: not public yet" in preview.content.decode()
    assert preview.get("X-Page-Cache") == "bypass"
    anonymous = visitor.get(region.get_absolute_url())
    assert anonymous["X-Page-Cache"] == "miss"
    assert "888,801" not in anonymous.content.decode()
