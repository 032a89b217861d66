"""ATTACK (issue 22 review): a Publisher who types 01.01.0001 as "publish from" gets a 500
(OverflowError converting the time to UTC) instead of a form error."""

import pytest
from django.test import Client

from staff.roles import PUBLISHER
from tests.admin_forms import change_url
from tests.factories import RegionFactory
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


def test_attack_publish_from_at_the_calendars_edge_is_a_form_error(staff_with_role):
    region = RegionFactory(is_published=False)
    client = Client(raise_request_exception=False)
    client.force_login(staff_with_role(PUBLISHER))
    url = change_url(region)
    data = form_data(
        client, url, publish_at_0="01.01.0001", publish_at_1="00:00", is_published="on"
    )
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "01.01.0001" in response.content.decode()
