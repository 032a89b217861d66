"""ATTACK (issue 22 review): a garbled version field (the no-silent-replacement check's
hidden `_version`) answers 500: its time part is read with float() and
datetime.fromtimestamp(), which raise OverflowError for "inf" or "1e20" (only ValueError
is caught)."""

import pytest
from django.test import Client

from staff.roles import EDITOR, PUBLISHER
from tests.admin_forms import change_url
from tests.factories import RegionFactory
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [EDITOR, PUBLISHER])
@pytest.mark.parametrize("moment", ["inf", "1e20", "-1e300", "nan", "abc", ""])
def test_attack_a_garbled_version_is_refused_not_a_500(staff_with_role, role, moment):
    region = RegionFactory(summary="Live summary.")
    client = Client(raise_request_exception=False)
    client.force_login(staff_with_role(role))
    url = change_url(region)
    data = form_data(client, url, summary="Mine.")
    data["_version"] = f"garbled@{moment}"
    response = client.post(url, data)
    assert response.status_code == 200  # the form again: "Not saved: ..."
    region.refresh_from_db()
    assert region.summary == "Live summary."
