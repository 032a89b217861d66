"""ATTACK (issue 22 review): shared content chosen by an approved, scheduled change is not
protected until the change goes live. An Editor changes the image after the Publisher
approved the change that shows it, and the unreviewed caption goes live at 09:00."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from publishing.revisions import Revision
from staff.roles import EDITOR, PUBLISHER
from tests.admin_forms import change_url
from tests.factories import RegionFactory
from tests.library.images import make_image
from tests.staff.test_live_shared_content import image_fields
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_attack_an_image_chosen_by_a_scheduled_approved_change_is_publisher_only(
    staff_with_role,
):
    editor = Client()
    editor.force_login(staff_with_role(EDITOR))
    publisher = Client()
    publisher.force_login(staff_with_role(PUBLISHER))
    with time_machine.travel(NOW, tick=False):
        region = RegionFactory(summary="The live summary.")
        image = make_image(caption="Reviewed caption", credit="Reviewed credit")
        url = change_url(region)
        data = form_data(editor, url, hero_image=str(image.pk), _submit="Submit")
        assert editor.post(url, data).status_code == 302
        revision = Revision.objects.for_item(region).open().get()
        response = publisher.post(
            revision.admin_url(),
            {
                "action": "approve",
                "version": revision.version,
                "go_live_at_0": "2026-03-03",
                "go_live_at_1": "09:00",
            },
        )
        assert response.status_code == 302
        revision.refresh_from_db()
        assert revision.status == Revision.Status.SCHEDULED
        # After the approval, the Editor rewrites the image the Publisher saw.
        data = {**image_fields(image), "caption": "Unreviewed caption"}
        editor.post(change_url(image), data)
    with time_machine.travel(NOW + timedelta(days=1, minutes=1), tick=False):
        call_command("publish_scheduled", stdout=open("/dev/null", "w"))
        region.refresh_from_db()
        assert region.hero_image_id == image.pk
        html = Client().get(region.get_absolute_url()).content.decode()
    assert "Unreviewed caption" not in html
    image.refresh_from_db()
    assert image.caption == "Reviewed caption"
