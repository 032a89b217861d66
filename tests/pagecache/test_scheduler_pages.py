"""A change approved for 09:00 goes live through the scheduler's run at 09:00 with nothing
else running, and the cached page is fresh at once (the clock is time-machine's)."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from publishing.revisions import Revision
from scheduler import jobs
from scheduler.models import PUBLISH_SCHEDULED, Heartbeat
from tests.pagecache.conftest import get_twice
from tests.scheduler.revisions import scheduled_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(staff_with_role):
    from staff.roles import EDITOR, PUBLISHER

    return staff_with_role(EDITOR), staff_with_role(PUBLISHER)


def test_a_change_approved_for_nine_is_public_after_the_scheduler_run_at_nine(
    visitor, region, people
):
    url = region.get_absolute_url()
    nine = timezone.make_aware(datetime(2099, 12, 8, 9, 0))
    with time_machine.travel(nine - timedelta(minutes=1, seconds=30), tick=False) as clock:
        revision = scheduled_change(region, nine, people[0], people[1], summary="The nine lead.")
        assert "Lead text one." in get_twice(visitor, url).content.decode()

        clock.move_to(nine - timedelta(minutes=1))  # the run at 08:59: nothing due
        jobs.publish_scheduled()
        # Its heartbeat is no content: the cached page is still served.
        response = visitor.get(url)
        assert response["X-Page-Cache"] == "hit"
        assert "The nine lead." not in response.content.decode()
        revision.refresh_from_db()
        assert revision.status == Revision.Status.SCHEDULED

        clock.move_to(nine + timedelta(seconds=30))  # the run at 09:00, a little late
        jobs.publish_scheduled()
        response = visitor.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "The nine lead." in response.content.decode()
        revision.refresh_from_db()
        assert revision.status == Revision.Status.PUBLISHED
        heartbeat = Heartbeat.objects.of(PUBLISH_SCHEDULED)
        assert heartbeat.last_success_at == nine + timedelta(seconds=30)
