"""The page cache through the review workflow: a pending revision never shows, approval,
return and a scheduled go-live or withdrawal never leave a stale page."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from publishing.revisions import Revision
from tests.admin_forms import change_url
from tests.clock import midday
from tests.pagecache.conftest import get_twice, sign_in
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(staff_with_role):
    from staff.roles import EDITOR, PUBLISHER

    return staff_with_role(EDITOR), staff_with_role(PUBLISHER)


def propose(client, region, text):
    data = form_data(client, change_url(region), summary=text, _submit="Submit for review")
    assert client.post(change_url(region), data).status_code == 302
    return Revision.objects.for_item(region).open().get()


def test_pending_and_returned_revisions_never_show_approval_does_at_once(
    visitor, region, people, client
):
    editor, publisher = people
    url = region.get_absolute_url()
    assert "Lead text one." in get_twice(visitor, url).content.decode()

    sign_in(client, editor)
    revision = propose(client, region, "Proposed lead.")
    page = visitor.get(url).content.decode()
    assert "Lead text one." in page and "Proposed lead." not in page

    sign_in(client, publisher)
    client.post(
        revision.admin_url(),
        {"action": "return", "comment": "Not yet.", "version": revision.version},
    )
    page = visitor.get(url).content.decode()
    assert "Lead text one." in page and "Proposed lead." not in page

    sign_in(client, editor)
    revision = propose(client, region, "Proposed lead, again.")
    sign_in(client, publisher)
    client.post(revision.admin_url(), {"action": "approve", "version": revision.version})
    response = visitor.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Proposed lead, again." in response.content.decode()


def test_a_change_approved_for_later_is_served_once_it_went_live(visitor, region, people, client):
    editor, publisher = people
    url = region.get_absolute_url()
    start = midday()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, editor)
        revision = propose(client, region, "Later lead.")
        sign_in(client, publisher)
        go_live = timezone.localtime(start + timedelta(hours=1))
        client.post(
            revision.admin_url(),
            {
                "action": "approve",
                "version": revision.version,
                "go_live_at_0": go_live.strftime("%Y-%m-%d"),
                "go_live_at_1": go_live.strftime("%H:%M:%S"),
            },
        )
        assert "Lead text one." in get_twice(visitor, url).content.decode()

        clock.move_to(start + timedelta(hours=1, seconds=30))
        call_command("publish_scheduled", verbosity=0)
        response = visitor.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Later lead." in response.content.decode()


def test_a_scheduled_withdrawal_is_not_served_from_the_cache_after_its_time(visitor, region):
    start = midday()
    region.unpublish_at = start + timedelta(minutes=5)
    region.save()
    url = region.get_absolute_url()
    with time_machine.travel(start, tick=False) as clock:
        get_twice(visitor, url)
        clock.move_to(start + timedelta(minutes=5))
        assert visitor.get(url).status_code == 404
