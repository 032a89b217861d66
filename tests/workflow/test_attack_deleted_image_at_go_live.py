"""ATTACK (issue 22 review): an image chosen only by a scheduled change counts as unused, so
a Publisher may delete it; at go-live the change names an image that no longer exists, and
the scheduler's run fails at its commit, as a whole: the other change due at the same time
never goes live either (one poisoned change blocks every scheduled change, run after run)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from library.models import Image
from publishing.revisions import Revision
from staff.roles import EDITOR, PUBLISHER
from tests.admin_forms import change_url, delete_url
from tests.factories import RegionFactory
from tests.library.images import make_image
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def schedule(editor, publisher, region, **changes):
    url = change_url(region)
    assert editor.post(url, form_data(editor, url, _submit="1", **changes)).status_code == 302
    revision = Revision.objects.for_item(region).open().get()
    data = {"action": "approve", "version": revision.version}
    data.update(go_live_at_0="2026-03-03", go_live_at_1="09:00")
    assert publisher.post(revision.admin_url(), data).status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.SCHEDULED
    return revision


def test_attack_a_deleted_image_does_not_block_every_scheduled_change(staff_with_role):
    editor, publisher = Client(), Client()
    editor.force_login(staff_with_role(EDITOR))
    publisher.force_login(staff_with_role(PUBLISHER))
    with time_machine.travel(NOW, tick=False):
        poisoned, other = RegionFactory(), RegionFactory(summary="Old summary.")
        image = make_image()
        schedule(editor, publisher, poisoned, hero_image=str(image.pk))
        fine = schedule(editor, publisher, other, summary="New summary.")
        publisher.post(delete_url(image), {"post": "yes"})
        assert not Image.objects.filter(pk=image.pk).exists()
    with time_machine.travel(NOW + timedelta(days=1, minutes=1), tick=False):
        call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    fine.refresh_from_db()
    other.refresh_from_db()
    assert fine.status == Revision.Status.PUBLISHED
    assert other.summary == "New summary."
    # What the command's commit checks (foreign keys are checked at commit, which a test's
    # transaction never reaches): it raises IntegrityError, and the whole run, the fine
    # change included, is rolled back.
    connection.check_constraints()
