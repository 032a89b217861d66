"""The review form's "goes live at" reads dates as every other admin form does."""

import datetime

import pytest
from django.utils import timezone

from publishing.revisions import Revision
from tests.admin_forms import change_url
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_change(client, editor, live_region):
    client.force_login(editor)
    data = form_data(client, change_url(live_region), summary="Later.", _submit="1")
    assert client.post(change_url(live_region), data).status_code == 302
    return Revision.objects.for_item(live_region).get()


@pytest.mark.parametrize(
    "day, time",
    [("08.12.2099", "09:00"), ("8.12.2099", "9:00"), ("2099-12-08", "09:00:00")],
)
def test_a_publisher_schedules_with_a_regional_date(client, publisher, pending_change, day, time):
    client.force_login(publisher)
    response = client.post(
        pending_change.admin_url(),
        {
            "action": "approve",
            "version": pending_change.version,
            "go_live_at_0": day,
            "go_live_at_1": time,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pending_change.refresh_from_db()
    assert pending_change.status == Revision.Status.SCHEDULED
    assert timezone.localtime(pending_change.go_live_at).replace(tzinfo=None) == (
        datetime.datetime(2099, 12, 8, 9, 0)
    )


def test_a_slashed_date_is_refused_with_the_hint_and_nothing_happens(
    client, publisher, pending_change
):
    client.force_login(publisher)
    response = client.post(
        pending_change.admin_url(),
        {
            "action": "approve",
            "version": pending_change.version,
            "go_live_at_0": "12/08/2099",
            "go_live_at_1": "09:00",
        },
    )
    assert response.status_code == 200
    assert "day.month.year" in response.content.decode()
    pending_change.refresh_from_db()
    assert pending_change.status == Revision.Status.PENDING


def test_the_review_form_says_how_to_write_the_date(client, publisher, pending_change):
    client.force_login(publisher)
    html = client.get(pending_change.admin_url()).content.decode()
    assert "Date as day.month.year (01.03.2026)" in html
