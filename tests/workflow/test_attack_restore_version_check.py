"""ATTACK (issue 22 review): the history's restore form carries no version, so the version
check on save never runs for it. A Publisher who opened "restore version 1" replaces,
without a word, a colleague's direct edit made after the restore page was opened."""

import pytest
from django.test import Client
from django.urls import reverse

from staff.roles import PUBLISHER
from tests.admin_forms import change_url
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


def test_attack_a_restore_does_not_silently_replace_a_later_edit(staff_with_role, live_region):
    first = live_region.history.order_by("history_date", "history_id").first()
    restore_url = reverse(
        "admin:regions_region_simple_history", args=[live_region.pk, first.history_id]
    )
    ana, ben = Client(), Client()
    ana.force_login(staff_with_role(PUBLISHER, "ana"))
    ben.force_login(staff_with_role(PUBLISHER, "ben"))
    restore_form = form_data(ana, restore_url)  # Ana opens the restore page
    url = change_url(live_region)
    response = ben.post(url, form_data(ben, url, body="Ben's later body."))
    assert response.status_code == 302  # Ben edits the live region meanwhile
    response = ana.post(restore_url, restore_form)  # Ana restores, unaware
    live_region.refresh_from_db()
    assert live_region.body == "Ben's later body."
    assert response.status_code == 200 and "Not saved" in response.content.decode()
