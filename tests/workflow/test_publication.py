"""Publishing workflow: drafts, review, scheduled publication, and who may publish."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from projects.models import Project
from publishing.models import PublicationStatus
from publishing.revisions import Revision
from regions.models import Contact, Region
from staff.roles import EDITOR, PUBLISHER
from tests.admin_forms import add_url, change_url, changelist_url, region_form
from tests.factories import ContactFactory, OfficeFactory, ProjectFactory, RegionFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))


def region_url(region):
    return reverse("regions:region-detail", kwargs={"slug": region.slug})


def project_url(project):
    return reverse("projects:project-detail", kwargs={"slug": project.slug})


# Visibility rules and scheduled publication


def test_published_means_approved_and_due():
    draft = RegionFactory(is_published=False)
    live = RegionFactory(is_published=True)  # no date: public as soon as approved
    past = RegionFactory(is_published=True, publish_at=timezone.now() - timedelta(days=1))
    future = RegionFactory(is_published=True, publish_at=timezone.now() + timedelta(days=1))
    unapproved_dated = RegionFactory(
        is_published=False, publish_at=timezone.now() - timedelta(days=1)
    )
    public = set(Region.objects.published())
    assert public == {live, past}
    assert draft not in public and future not in public and unapproved_dated not in public


def test_a_scheduled_region_appears_at_its_time_without_anyone_acting(client):
    with time_machine.travel(NOW, tick=False):
        region = RegionFactory(is_published=True, publish_at=NOW + timedelta(hours=2))
        assert client.get(region_url(region)).status_code == 404
        assert region.name not in client.get("/").content.decode()
        status = Region.objects.with_publication_status().get(pk=region.pk).publication_status
        assert status == PublicationStatus.SCHEDULED

    with time_machine.travel(NOW + timedelta(hours=2, seconds=1), tick=False):
        assert client.get(region_url(region)).status_code == 200
        assert region.name in client.get("/").content.decode()
        status = Region.objects.with_publication_status().get(pk=region.pk).publication_status
        assert status == PublicationStatus.PUBLISHED


def test_a_scheduled_project_and_contact_appear_at_their_time(client):
    with time_machine.travel(NOW, tick=False):
        later = NOW + timedelta(days=3)
        project = ProjectFactory(title="Scheduled Project", is_published=True, publish_at=later)
        office = OfficeFactory()
        contact = ContactFactory(
            name="Scheduled Person", region=office.region, office=office, publish_at=later
        )
        assert client.get(project_url(project)).status_code == 404
        assert "Scheduled Project" not in client.get("/projects/").content.decode()
        assert "Scheduled Person" not in client.get("/contacts/").content.decode()
        assert contact not in Contact.objects.public()

    with time_machine.travel(later, tick=False):
        assert client.get(project_url(project)).status_code == 200
        assert "Scheduled Project" in client.get("/projects/").content.decode()
        assert "Scheduled Person" in client.get("/contacts/").content.decode()


def test_the_database_refuses_a_published_item_waiting_for_review():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionFactory(is_published=True, review_requested=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(is_published=True, review_requested=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(is_published=True, review_requested=True)


# Preview


def test_staff_preview_a_draft_marked_as_draft_the_public_gets_404(client, staff_with_role):
    region = RegionFactory(is_published=False, name="Hidden Region")
    project = ProjectFactory(is_published=False, title="Hidden Project")
    assert client.get(region_url(region)).status_code == 404
    assert client.get(project_url(project)).status_code == 404

    client.force_login(staff_with_role(EDITOR))
    pages = [(region_url(region), "Hidden Region"), (project_url(project), "Hidden Project")]
    for url, name in pages:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert name in html
        assert "Draft - not public." in html
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    # Lists stay public-only, even for staff.
    assert "Hidden Project" not in client.get("/projects/").content.decode()


def test_a_published_page_is_not_marked_as_draft_for_staff(client, staff_with_role):
    region = RegionFactory(is_published=True)
    client.force_login(staff_with_role(EDITOR))
    response = client.get(region_url(region))
    assert response.status_code == 200
    assert "Draft - not public." not in response.content.decode()
    assert "X-Robots-Tag" not in response


def test_staff_without_view_permission_get_404_for_drafts(client):
    from tests.factories import UserFactory

    region = RegionFactory(is_published=False)
    client.force_login(UserFactory(username="staff-without-role", is_staff=True))
    assert client.get(region_url(region)).status_code == 404


# Editors submit, Publishers publish


def test_editor_submits_for_review_but_a_forged_publish_changes_nothing(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    region = RegionFactory(is_published=False)
    page = client.get(change_url(region)).content.decode()
    assert 'name="is_published"' not in page
    assert 'name="publish_at_0"' not in page
    assert 'name="_submit"' in page  # "Submit for review", a button beside Save

    response = client.post(
        change_url(region),
        region_form(
            region,
            is_published="on",
            publish_at_0="2020-01-01",
            publish_at_1="00:00:00",
            _submit="Submit for review",
            review_note="Please check the figures.",
        ),
    )
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.is_published is False
    assert region.publish_at is None
    assert region.review_requested is True
    assert region.review_note == "Please check the figures."
    assert region not in Region.objects.published()
    assert client.get(region_url(region)).status_code == 200  # the editor's preview

    client.logout()
    assert client.get(region_url(region)).status_code == 404


def test_editor_cannot_unpublish_or_reschedule_by_a_forged_post(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    project = ProjectFactory(is_published=True)
    data = {
        "title": project.title,
        "slug": project.slug,
        "summary": "Edited by an editor.",
        "status": project.status,
        "acronym": "",
        "iati_identifier": "",
        "description": "",
        "website": "",
        "currency": "",
        "review_note": "",
        "publish_at_0": "2099-01-01",
        "publish_at_1": "00:00:00",
        "_submit": "Submit for review",
    }  # is_published omitted: an unticked box, i.e. "unpublish"
    response = client.post(change_url(project), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    # The change to a live project is kept as a proposal (publishing.revisions).
    assert project.summary != "Edited by an editor."
    assert project.is_published is True
    assert project.publish_at is None
    assert project.review_requested is False
    assert project in Project.objects.published()
    revision = Revision.objects.for_item(project).get()
    assert revision.status == Revision.Status.PENDING
    assert revision.snapshot["object"]["fields"]["summary"] == "Edited by an editor."
    assert revision.snapshot["object"]["fields"]["is_published"] is True
    assert revision.snapshot["object"]["fields"]["publish_at"] is None


def test_editor_actions_offer_review_not_publish_and_forged_actions_do_nothing(
    client, staff_with_role
):
    client.force_login(staff_with_role(EDITOR))
    drafts = [RegionFactory(is_published=False) for _ in range(2)]
    live = RegionFactory(is_published=True)
    changelist = client.get(changelist_url(Region)).content.decode()
    assert 'value="submit_for_review"' in changelist
    assert 'value="publish"' not in changelist
    assert 'value="unpublish"' not in changelist

    for action, targets in (("publish", drafts), ("unpublish", [live])):
        client.post(
            changelist_url(Region),
            {"action": action, "_selected_action": [r.pk for r in targets]},
        )
    for region in drafts:
        region.refresh_from_db()
        assert not region.is_published
    live.refresh_from_db()
    assert live.is_published

    client.post(
        changelist_url(Region),
        {"action": "submit_for_review", "_selected_action": [r.pk for r in [*drafts, live]]},
    )
    for region in drafts:
        region.refresh_from_db()
        assert region.review_requested and not region.is_published
    live.refresh_from_db()
    assert not live.review_requested


def test_editor_new_contacts_are_never_public_even_when_forged(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    # A draft region: the Editor's form is written at once (a live one's waits for review).
    region = RegionFactory(is_published=False)
    response = client.post(
        add_url(Contact),
        {
            "region": region.pk,
            "name": "New Person",
            "role": "Officer",
            "email": "",
            "phone": "",
            "display_order": "0",
            "review_note": "",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = Contact.objects.get(name="New Person")
    assert contact.is_published is False
    assert contact not in Contact.objects.public()

    # The same through the contacts inline of the region form.
    data = region_form(region)
    data.update(
        {
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": str(contact.pk),
            "contacts-0-region": str(region.pk),
            "contacts-0-name": "New Person",
            "contacts-0-role": "Officer",
            "contacts-0-display_order": "0",
            "contacts-0-is_published": "on",
        }
    )
    # Second, new inline contact.
    data["contacts-TOTAL_FORMS"] = "2"
    data.update(
        {
            "contacts-1-region": str(region.pk),
            "contacts-1-name": "Inline Person",
            "contacts-1-role": "Assistant",
            "contacts-1-display_order": "1",
            "contacts-1-is_published": "on",
        }
    )
    response = client.post(change_url(region), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Contact.objects.get(name="Inline Person").is_published is False
    contact.refresh_from_db()
    assert contact.is_published is False
    assert not Contact.objects.public().filter(region=region).exists()


def test_publisher_publishes_several_at_once_and_the_changelist_shows_status(
    client, staff_with_role
):
    client.force_login(staff_with_role(PUBLISHER))
    in_review = [
        ProjectFactory(is_published=False, review_requested=True, title=f"Review {n}")
        for n in range(3)
    ]
    ProjectFactory(is_published=False, title="Plain Draft")
    ProjectFactory(is_published=True, title="Future", publish_at=timezone.now() + timedelta(days=5))

    review_list = client.get(changelist_url(Project), {"publication": "review"}).content.decode()
    assert all(p.title in review_list for p in in_review)
    assert "Plain Draft" not in review_list and "Future" not in review_list
    full = client.get(changelist_url(Project)).content.decode()
    for label in ("In review", "Draft", "Scheduled for"):
        assert label in full

    response = client.post(
        changelist_url(Project),
        {"action": "publish", "_selected_action": [p.pk for p in in_review]},
    )
    assert response.status_code == 302
    for project in in_review:
        project.refresh_from_db()
        assert project.is_published and not project.review_requested
        assert project.publish_at is not None
    assert set(in_review) <= set(Project.objects.published())

    client.post(
        changelist_url(Project),
        {"action": "unpublish", "_selected_action": [in_review[0].pk]},
    )
    in_review[0].refresh_from_db()
    assert not in_review[0].is_published
    assert in_review[0] not in Project.objects.published()


def test_publisher_schedules_in_the_form_and_review_is_cleared(client, staff_with_role):
    client.force_login(staff_with_role(PUBLISHER))
    region = RegionFactory(is_published=False, review_requested=True)
    page = client.get(change_url(region)).content.decode()
    assert 'name="is_published"' in page
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            change_url(region),
            region_form(
                region,
                is_published="on",
                publish_at_0="2026-03-05",
                publish_at_1="08:00:00",
            ),
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        region.refresh_from_db()
        assert region.is_published and not region.review_requested
        assert region not in Region.objects.published()
    with time_machine.travel(region.publish_at + timedelta(seconds=1), tick=False):
        assert region in Region.objects.published()
        assert client.get(region_url(region)).status_code == 200


def test_visible_to_marks_what_is_live(staff_with_role):
    from django.contrib.auth.models import AnonymousUser

    live = RegionFactory(is_published=True)
    draft = RegionFactory(is_published=False)
    editor = staff_with_role(EDITOR)
    seen = {r.pk: r.is_live for r in Region.objects.visible_to(editor)}
    assert seen == {live.pk: True, draft.pk: False}
    public = {r.pk: r.is_live for r in Region.objects.visible_to(AnonymousUser())}
    assert public == {live.pk: True}
    contact = ContactFactory(is_published=False)
    assert contact in Contact.objects.visible_to(editor)
    assert contact not in Contact.objects.visible_to(AnonymousUser())
