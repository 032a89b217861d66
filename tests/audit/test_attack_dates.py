"""ATTACK (issue 22 review): the audit log's date filter answers 500 (OverflowError) to a
date at the calendar's edge, in the list and in the CSV export."""

import pytest
from django.test import Client

from audit.models import AuditEntry
from staff.roles import PUBLISHER

pytestmark = pytest.mark.django_db

AUDIT = "/admin/audit/auditentry/"


@pytest.mark.parametrize(
    "query", ["date_from=01.01.0001", "date_from=0001-01-01", "date_to=31.12.9999"]
)
@pytest.mark.parametrize("page", ["", "export.csv"])
def test_attack_a_date_at_the_calendars_edge_is_a_message_not_a_500(staff_with_role, query, page):
    AuditEntry.objects.create(action="change", actor_name="x", summary="s", object_repr="o")
    client = Client(raise_request_exception=False)
    client.force_login(staff_with_role(PUBLISHER))
    response = client.get(f"{AUDIT}{page}?{query}")
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code in (200, 302)
