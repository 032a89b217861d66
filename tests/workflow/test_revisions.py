"""Changes to live content wait for review: per role, through the admin URLs, checked on the
public pages with the test client."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from publishing.notifications import NotificationPreference
from publishing.revisions import Revision
from regions.models import ApproachSection, Country, Office, Region
from tests.admin_forms import add_url, change_url, changelist_url
from tests.factories import CountryFactory, OfficeFactory, RegionFactory
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))


def public_html(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def propose_region_change(client, region, **overrides):
    """The Editor edits the live region's summary and its approach section (an inline)."""
    section = region.approach_sections.get()
    data = form_data(
        client,
        change_url(region),
        summary="The proposed summary.",
        **{"approach_sections-0-body": "Proposed approach text."},
        **overrides,
    )
    assert data["approach_sections-0-id"] == str(section.pk)
    return client.post(change_url(region), data)


def revision_url(revision):
    return revision.admin_url()


def review(client, revision, action, **fields):
    """The review form as shown (it names the version read), posted with `action`."""
    revision.refresh_from_db()
    return client.post(
        revision_url(revision), {"action": action, "version": revision.version, **fields}
    )


def test_editor_change_to_a_live_region_waits_for_approval(client, editor, publisher, live_region):
    url = live_region.get_absolute_url()
    client.force_login(editor)
    response = propose_region_change(client, live_region, _submit="Submit for review")
    revision = Revision.objects.for_item(live_region).get()
    assert response.status_code == 302
    assert response["Location"] == revision_url(revision)
    assert revision.status == Revision.Status.PENDING
    assert revision.author == editor

    # The public (and the database) still have the live version, inline included.
    html = public_html(url)
    assert "The live summary." in html and "Live approach text." in html
    assert "The proposed summary." not in html and "Proposed approach text." not in html
    live_region.refresh_from_db()
    assert live_region.summary == "The live summary."
    assert ApproachSection.objects.get().body == "Live approach text."

    # Publishers are asked to review it.
    assert [m.to for m in mail.outbox] == [[publisher.email]]
    assert "Review requested" in mail.outbox[0].subject

    client.force_login(publisher)
    response = review(client, revision, "approve", comment="Good.")
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PUBLISHED
    html = public_html(url)
    assert "The proposed summary." in html and "Proposed approach text." in html
    assert mail.outbox[-1].to == [editor.email]
    assert "Approved" in mail.outbox[-1].subject


def test_comparison_shows_labels_old_and_new_with_the_changes_marked(client, editor, live_region):
    client.force_login(editor)
    propose_region_change(client, live_region)
    revision = Revision.objects.for_item(live_region).get()
    assert revision.status == Revision.Status.DRAFT  # not yet ready for review
    html = client.get(revision_url(revision)).content.decode()
    assert '<th scope="row">Summary</th>' in html
    assert '<th scope="row">Text</th>' in html  # the approach section's body
    assert "Approach section: Partnership (changed)" in html
    assert "<del>live</del>" in html and "<ins>proposed</ins>" in html
    assert "is_published" not in html and "review_requested" not in html
    # The Editor can still ask for the review from here.
    assert 'value="request_review"' in html
    assert 'value="approve"' not in html


def test_preview_of_a_revision_uses_the_public_template_marked_and_never_cached(
    client, editor, live_region
):
    client.force_login(editor)
    propose_region_change(client, live_region)
    revision = Revision.objects.for_item(live_region).get()
    response = client.get(
        reverse("admin:regions_region_revision_preview", args=[live_region.pk, revision.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The proposed summary." in html and "Proposed approach text." in html
    assert "Preview - not public." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # The preview changed nothing.
    assert "The live summary." in public_html(live_region.get_absolute_url())
    live_region.refresh_from_db()
    assert live_region.summary == "The live summary."


def test_preview_before_saving_shows_the_form_and_saves_nothing(client, editor, live_region):
    client.force_login(editor)
    response = propose_region_change(client, live_region, _preview="Preview")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The proposed summary." in html and "Proposed approach text." in html
    assert "Preview - not public." in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert not Revision.objects.exists()
    live_region.refresh_from_db()
    assert live_region.summary == "The live summary."
    assert ApproachSection.objects.get().body == "Live approach text."


def test_preview_of_a_new_draft_before_saving(client, editor):
    client.force_login(editor)
    data = form_data(
        client,
        add_url(Region),
        name="Brand New Region",
        slug="brand-new",
        code="BNR",
        summary="Never saved.",
        _preview="Preview",
    )
    response = client.post(add_url(Region), data)
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "Never saved." in response.content.decode()
    assert not Region.objects.filter(slug="brand-new").exists()


def test_returned_revision_keeps_its_comment_and_the_editor_sees_it(
    client, editor, publisher, live_region
):
    client.force_login(editor)
    propose_region_change(client, live_region, _submit="Submit for review")
    revision = Revision.objects.for_item(live_region).get()

    client.force_login(publisher)
    response = review(client, revision, "return", comment="")
    assert response.status_code == 200  # a return needs a comment
    assert "Say what should change" in response.content.decode()
    review(client, revision, "return", comment="Please cite the source of the summary.")
    revision.refresh_from_db()
    assert revision.status == Revision.Status.RETURNED
    assert revision.comment == "Please cite the source of the summary."
    assert mail.outbox[-1].to == [editor.email]
    assert "Please cite the source" in mail.outbox[-1].body
    assert "The live summary." in public_html(live_region.get_absolute_url())

    client.force_login(editor)
    for url in (change_url(live_region), revision_url(revision), reverse("admin:index")):
        assert "Please cite the source of the summary." in client.get(url).content.decode()

    # A new save is a new version of the same change, submitted again; the comment stays.
    propose_region_change(client, live_region, _submit="Submit for review")
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PENDING
    assert revision.version == 2
    assert revision.comment == "Please cite the source of the summary."
    assert Revision.objects.for_item(live_region).count() == 1


def test_an_editor_cannot_approve_or_return(client, editor, live_region):
    client.force_login(editor)
    propose_region_change(client, live_region, _submit="Submit for review")
    revision = Revision.objects.for_item(live_region).get()
    assert review(client, revision, "approve").status_code == 403
    assert review(client, revision, "return", comment="No.").status_code == 403
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PENDING
    assert "The live summary." in public_html(live_region.get_absolute_url())


def test_approval_at_a_set_time_goes_live_then(client, editor, publisher, live_region):
    url = live_region.get_absolute_url()
    with time_machine.travel(NOW, tick=False):
        client.force_login(editor)
        propose_region_change(client, live_region, _submit="Submit for review")
        revision = Revision.objects.for_item(live_region).get()
        client.force_login(publisher)
        review(client, revision, "approve", go_live_at_0="2026-03-03", go_live_at_1="08:00:00")
        revision.refresh_from_db()
        assert revision.status == Revision.Status.SCHEDULED
        call_command("publish_scheduled", verbosity=0)
        assert "The live summary." in public_html(url)
        index = client.get(reverse("admin:index")).content.decode()
        assert "Scheduled to go live" in index and "Region: Western Balkans" in index

    mail.outbox.clear()
    with time_machine.travel(revision.go_live_at + timedelta(seconds=1), tick=False):
        call_command("publish_scheduled", verbosity=0)
        html = public_html(url)
        assert "The proposed summary." in html and "Proposed approach text." in html
        revision.refresh_from_db()
        assert revision.status == Revision.Status.PUBLISHED
        assert {tuple(m.to) for m in mail.outbox} == {(editor.email,), (publisher.email,)}
        assert all("Now live" in m.subject for m in mail.outbox)
        # Running it again publishes nothing twice.
        mail.outbox.clear()
        call_command("publish_scheduled", verbosity=0)
        assert mail.outbox == []


def test_scheduled_withdrawal_in_the_admin(client, publisher, live_region):
    url = live_region.get_absolute_url()
    client.force_login(publisher)
    with time_machine.travel(NOW, tick=False):
        data = form_data(
            client,
            change_url(live_region),
            unpublish_at_0="2026-03-04",
            unpublish_at_1="18:00:00",
        )
        response = client.post(change_url(live_region), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        assert Client().get(url).status_code == 200
        changelist = client.get(changelist_url(Region)).content.decode()
        assert "Published until 4 March 2026, 18:00" in changelist
        index = client.get(reverse("admin:index")).content.decode()
        assert "Scheduled to be withdrawn" in index
    live_region.refresh_from_db()
    with time_machine.travel(live_region.unpublish_at + timedelta(seconds=1), tick=False):
        assert Client().get(url).status_code == 404
        assert live_region not in Region.objects.published()
        assert live_region.get_absolute_url() not in Client().get("/").content.decode()


def test_withdrawal_must_follow_publication(client, publisher, live_region):
    client.force_login(publisher)
    data = form_data(
        client,
        change_url(live_region),
        publish_at_0="2026-03-04",
        publish_at_1="18:00:00",
        unpublish_at_0="2026-03-01",
        unpublish_at_1="18:00:00",
    )
    response = client.post(change_url(live_region), data)
    assert response.status_code == 200
    assert "The withdrawal time must come after the publication time." in (
        response.content.decode()
    )


def test_publisher_saves_a_live_item_directly_or_as_a_proposal(client, publisher, live_region):
    client.force_login(publisher)
    client.post(
        change_url(live_region), form_data(client, change_url(live_region), summary="Direct.")
    )
    assert "Direct." in public_html(live_region.get_absolute_url())
    client.post(
        change_url(live_region),
        form_data(client, change_url(live_region), summary="Proposed.", _propose="1"),
    )
    assert "Direct." in public_html(live_region.get_absolute_url())
    assert Revision.objects.for_item(live_region).open().get().author == publisher


def test_no_mail_for_someone_who_turned_notifications_off(client, editor, publisher, live_region):
    client.force_login(publisher)
    # The user opens their own settings from the admin and turns mail off.
    response = client.get(reverse("admin:publishing_notificationpreference_changelist"))
    assert response.status_code == 302
    own = NotificationPreference.objects.get(user=publisher)
    response = client.post(response["Location"], {})  # the box unticked
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.email_enabled is False

    client.force_login(editor)
    propose_region_change(client, live_region, _submit="Submit for review")
    assert mail.outbox == []

    # Nobody else's settings can be opened.
    other = NotificationPreference.objects.create(user=editor)
    client.force_login(publisher)
    url = reverse("admin:publishing_notificationpreference_change", args=[other.pk])
    assert client.get(url).status_code in (302, 403, 404)


def test_new_office_by_an_editor_is_not_public_until_published(client, editor, publisher):
    region = RegionFactory()
    country = CountryFactory(name="Montenegro")
    region.countries.add(country)
    client.force_login(editor)
    response = client.post(
        add_url(Office),
        {
            "region": region.pk,
            "country": country.pk,
            "name": "Office in Podgorica",
            "slug": "podgorica",
            "city": "Podgorica",
            "_submit": "Submit for review",
            "is_published": "on",  # forged: an Editor cannot publish
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    office = Office.objects.get(slug="podgorica")
    assert not office.is_published
    assert "Office in Podgorica" not in public_html("/contacts/")
    assert [m.to for m in mail.outbox] == [[publisher.email]]

    client.force_login(publisher)
    client.post(changelist_url(Office), {"action": "publish", "_selected_action": [office.pk]})
    assert "Office in Podgorica" in public_html("/contacts/")
    assert Revision.objects.for_item(office).get().kind == Revision.Kind.PUBLICATION


def test_editor_change_to_a_live_office_and_country_waits(client, editor, publisher):
    office = OfficeFactory(name="Office in Skopje", city="Skopje")
    office.region.countries.add(office.country)
    client.force_login(editor)
    for obj, field, value in (
        (office, "city", "Tetovo"),
        (office.country, "profile", "A proposed profile."),
    ):
        data = form_data(client, change_url(obj), **{field: value})
        response = client.post(change_url(obj), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        assert Revision.objects.for_item(obj).get().status == Revision.Status.DRAFT
    assert "Tetovo" not in public_html("/contacts/")
    assert "A proposed profile." not in public_html(office.country.get_absolute_url())
    assert Office.objects.get().city == "Skopje"
    assert Country.objects.get().profile == ""


def test_existing_sections_of_a_live_region_are_changed_only_through_review(
    client, editor, live_region
):
    section = live_region.approach_sections.get()
    client.force_login(editor)
    url = change_url(section)
    client.post(url, {"region": live_region.pk, "title": "X", "body": "Sneaked.", "order": 0})
    section.refresh_from_db()
    assert section.body == "Live approach text."


def test_mail_waits_for_the_commit(client, editor, publisher, live_region, monkeypatch):
    """Without the commit (a rolled-back save), no e-mail: sending is an on-commit hook."""
    from publishing import notifications

    monkeypatch.undo()  # the real hook: the test's transaction never commits
    assert notifications.after_commit.__module__ == "publishing.notifications"
    client.force_login(editor)
    propose_region_change(client, live_region, _submit="Submit for review")
    assert Revision.objects.for_item(live_region).get().status == Revision.Status.PENDING
    assert mail.outbox == []


def test_a_draft_scheduled_by_a_publisher_is_announced_when_it_went_live(client, publisher):
    region = RegionFactory(is_published=False, name="Scheduled Region", slug="scheduled")
    client.force_login(publisher)
    with time_machine.travel(NOW, tick=False):
        data = form_data(
            client,
            change_url(region),
            is_published="on",
            publish_at_0="2026-03-03",
            publish_at_1="10:00:00",
        )
        assert client.post(change_url(region), data).status_code == 302
        record = Revision.objects.for_item(region).get()
        assert record.kind == Revision.Kind.PUBLICATION
        assert record.status == Revision.Status.SCHEDULED
        assert Client().get(region.get_absolute_url()).status_code == 404
    region.refresh_from_db()
    with time_machine.travel(region.publish_at + timedelta(minutes=1), tick=False):
        # Public at its time whether or not the scheduler has run (query time).
        assert Client().get(region.get_absolute_url()).status_code == 200
        call_command("publish_scheduled", verbosity=0)
        record.refresh_from_db()
        assert record.status == Revision.Status.PUBLISHED
        assert [m.to for m in mail.outbox] == [[publisher.email]]
        index = client.get(reverse("admin:index")).content.decode()
        assert "Recently published" in index and "Region: Scheduled Region" in index


def test_the_approvers_name_is_in_the_history_of_an_applied_change(
    client, editor, publisher, live_region
):
    client.force_login(editor)
    propose_region_change(client, live_region, _submit="Submit for review")
    revision = Revision.objects.for_item(live_region).get()
    client.force_login(publisher)
    review(client, revision, "approve")
    latest = live_region.history.latest()
    assert latest.history_user == publisher
    assert latest.history_change_reason == f"Approved revision {revision.pk}"
    assert latest.summary == "The proposed summary."
