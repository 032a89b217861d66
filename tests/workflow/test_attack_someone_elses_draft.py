"""ATTACK (issue 22 review): any Editor may submit another Editor's draft change for review
(the review page's "request review" asks only whether they may change the item). Elena's
half-written draft goes to the Publishers' queue, announced as ready, without her."""

import pytest
from django.test import Client

from publishing.revisions import Revision
from staff.roles import EDITOR
from tests.admin_forms import change_url
from tests.factories import RegionFactory
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


def test_attack_only_its_author_submits_a_draft_change(staff_with_role):
    region = RegionFactory(summary="Live.")
    elena, marko = Client(), Client()
    elena.force_login(staff_with_role(EDITOR, "elena"))
    marko.force_login(staff_with_role(EDITOR, "marko"))
    url = change_url(region)
    assert elena.post(url, form_data(elena, url, summary="Half-written.")).status_code == 302
    revision = Revision.objects.for_item(region).open().get()
    assert revision.status == Revision.Status.DRAFT
    marko.post(revision.admin_url(), {"action": "request_review", "version": revision.version})
    revision.refresh_from_db()
    assert revision.status == Revision.Status.DRAFT
