"""Editing without losing work (issue 22), per role through the admin URLs: restoring an
earlier version, the history revert's permissions, reopening one's own change, the version
check on save, approving exactly what was read, and a go-live that keeps later work."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from publishing.revisions import Revision
from regions.models import Contact, Country, Region
from staff.roles import DATA_MANAGER
from tests.admin_forms import change_url, changelist_url
from tests.factories import ContactFactory, CountryFactory, RegionFactory
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))


def public_html(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def history_form_url(obj, version):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, version.history_id],
    )


def first_version(obj):
    return obj.history.order_by("history_date", "history_id").first()


def review(client, revision, action, version=None, **fields):
    revision.refresh_from_db()
    return client.post(
        revision.admin_url(),
        {"action": action, "version": version or revision.version, **fields},
    )


def propose(client, obj, **changes):
    response = client.post(change_url(obj), form_data(client, change_url(obj), **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Revision.objects.for_item(obj).open().get()


# Restoring an earlier version


@pytest.mark.parametrize("kind", ["region", "contact"])
def test_an_editors_restore_of_a_live_item_becomes_a_revision_for_review(
    kind, editor, publisher, live_region
):
    item = live_region if kind == "region" else ContactFactory(region=live_region, name="Ana")
    field = "summary" if kind == "region" else "role"
    old_value = getattr(item, field)
    type(item).objects.filter(pk=item.pk).update(**{field: "Changed later."})
    item.refresh_from_db()
    item.save()  # a version with the later text
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    url = history_form_url(item, first_version(item))
    response = client.post(url, form_data(client, url))
    assert response.status_code == 302  # was 500, KeyError: 'revision'
    revision = Revision.objects.for_item(item).get()
    assert revision.status == Revision.Status.PENDING
    assert revision.author == editor
    assert revision.snapshot["object"]["fields"][field] == old_value
    item.refresh_from_db()
    assert getattr(item, field) == "Changed later."  # nothing live without review
    assert AuditEntry.objects.filter(action="restore", object_id=str(item.pk)).exists()


def test_a_publishers_restore_of_a_live_item_is_live_at_once(publisher, live_region):
    Region.objects.filter(pk=live_region.pk).update(summary="Changed later.")
    live_region.refresh_from_db()
    live_region.save()
    client = Client(raise_request_exception=False)
    client.force_login(publisher)
    url = history_form_url(live_region, first_version(live_region))
    response = client.post(url, form_data(client, url))
    assert response.status_code == 302
    assert "The live summary." in public_html(live_region.get_absolute_url())
    assert not Revision.objects.for_item(live_region).exists()


def test_history_revert_of_a_section_of_a_live_region_by_an_editor_is_refused(editor, live_region):
    section = live_region.approach_sections.get()
    section.body = "Later approach text."
    section.save()
    draft_region = RegionFactory(is_published=False)
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    url = history_form_url(section, first_version(section))
    # Moved to a draft region (the only ones offered to an Editor), it leaves the live page.
    data = {"region": draft_region.pk, "title": "X", "body": "Sneaked.", "order": "0"}
    assert client.post(url, data).status_code == 403
    section.refresh_from_db()
    assert section.region == live_region and section.body == "Later approach text."
    assert "Later approach text." in public_html(live_region.get_absolute_url())


def test_a_view_only_data_manager_cannot_write_a_region_or_a_country_by_history_revert(
    staff_with_role, live_region
):
    country = CountryFactory(is_published=False, footnote="Draft footnote.")
    live_region.countries.add(country)
    client = Client(raise_request_exception=False)
    client.force_login(staff_with_role(DATA_MANAGER))
    for obj, field in ((live_region, "summary"), (country, "footnote")):
        url = history_form_url(obj, first_version(obj))
        response = client.post(url, {"name": obj.name, "slug": obj.slug, field: "Written."})
        assert response.status_code == 403
    live_region.refresh_from_db()
    country.refresh_from_db()
    assert live_region.summary == "The live summary."
    assert country.footnote == "Draft footnote."
    assert "Written." not in public_html(live_region.get_absolute_url())


# Reopening one's own change


def test_a_returned_change_reopens_in_the_form_with_its_comment(
    client, editor, publisher, live_region
):
    client.force_login(editor)
    revision = propose(client, live_region, summary="My proposed summary.", _submit="Submit")
    client.force_login(publisher)
    review(client, revision, "return", comment="Cite the source, please.")

    client.force_login(editor)
    response = client.get(change_url(live_region))
    html = response.content.decode()
    form = response.context["adminform"].form
    assert form.initial["summary"] == "My proposed summary."  # not the live version
    assert "Your change, returned by pablo on" in html
    assert "Cite the source, please." in html
    assert 'name="_submit"' in html
    assert 'name="review_requested"' not in html
    # The live rows were not touched by opening the form.
    live_region.refresh_from_db()
    assert live_region.summary == "The live summary."

    # Saving keeps it as the editor's draft: the same change, a new version.
    data = form_data(client, change_url(live_region), summary="My summary, with a source.")
    assert client.post(change_url(live_region), data).status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.DRAFT
    assert revision.version == 2
    assert revision.snapshot["object"]["fields"]["summary"] == "My summary, with a source."
    assert "The live summary." in public_html(live_region.get_absolute_url())


def test_a_reopened_change_keeps_its_section_edit_and_its_new_contact(client, editor, live_region):
    client.force_login(editor)
    data = form_data(
        client,
        change_url(live_region),
        **{
            "approach_sections-0-body": "My section text.",
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-name": "New Person",
            "contacts-0-role": "Adviser",
            "contacts-0-display_order": "0",
        },
    )
    assert client.post(change_url(live_region), data).status_code == 302
    response = client.get(change_url(live_region))
    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    assert formsets["approach_sections"].forms[0].initial["body"] == "My section text."
    assert formsets["contacts"].forms[0].initial["name"] == "New Person"
    assert not Contact.objects.exists()  # opening the form created nothing

    # Saving it again keeps one new contact, not two.
    revision = Revision.objects.for_item(live_region).get()
    data = form_data(client, change_url(live_region), summary="Also a new summary.")
    data.update({"contacts-TOTAL_FORMS": "1", "contacts-0-name": "New Person"})
    data.update({"contacts-0-role": "Adviser", "contacts-0-display_order": "0"})
    assert client.post(change_url(live_region), data).status_code == 302
    revision.refresh_from_db()
    assert [row["fields"]["name"] for row in revision.snapshot["children"]["contacts"]] == [
        "New Person"
    ]
    sections = revision.snapshot["children"]["approach_sections"]
    assert sections[0]["fields"]["body"] == "My section text."


def test_a_publisher_sees_someone_elses_pending_change_in_the_form(
    client, editor, publisher, live_region
):
    client.force_login(editor)
    revision = propose(client, live_region, summary="Edna's summary.", _submit="Submit")
    client.force_login(publisher)
    html = client.get(change_url(live_region)).content.decode()
    assert "edna’s change is pending: Awaiting review, since" in html
    assert "If you edit the live item directly, the change stays in the queue" in html
    assert revision.admin_url() in html and "Review it: approve or return" in html
    assert "<ins>Edna&#x27;s</ins>" in html or "<ins>Edna's</ins>" in html


# No silent replacement


def test_a_second_save_of_a_live_item_is_refused_and_names_the_first(
    client, publisher, staff_with_role, live_region
):
    from staff.roles import PUBLISHER

    other = staff_with_role(PUBLISHER, username="petar")
    first, second = Client(), Client()
    first.force_login(other)
    second.force_login(publisher)
    first_data = form_data(first, change_url(live_region), summary="Petar's summary.")
    second_data = form_data(second, change_url(live_region), body="Pablo's body.")
    assert first.post(change_url(live_region), first_data).status_code == 302

    response = second.post(change_url(live_region), second_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: someone changed this item after you opened it" in html
    assert "petar" in html and "Summary" in html
    assert "Pablo&#x27;s body." in html  # the input stays in the form
    live_region.refresh_from_db()
    assert live_region.summary == "Petar's summary."
    assert live_region.body != "Pablo's body."

    # Saved again from that form (now carrying the new version), it is a decision: it saves.
    second_data["_version"] = response.context["edit_version"]
    second_data["summary"] = "Petar's summary."
    assert second.post(change_url(live_region), second_data).status_code == 302
    live_region.refresh_from_db()
    assert (live_region.summary, live_region.body) == ("Petar's summary.", "Pablo's body.")


def test_a_second_save_of_the_same_proposal_from_an_old_form_is_refused(
    client, editor, live_region
):
    client.force_login(editor)
    propose(client, live_region, summary="First.")
    old_form = form_data(client, change_url(live_region), summary="From the old tab.")
    propose(client, live_region, summary="Second.")
    response = client.post(change_url(live_region), old_form)
    assert response.status_code == 200
    assert "this proposed change was saved or reviewed after you opened it" in (
        response.content.decode()
    )
    revision = Revision.objects.for_item(live_region).get()
    assert revision.snapshot["object"]["fields"]["summary"] == "Second."


def test_a_publishers_direct_edit_leaves_the_pending_change_in_the_queue_marked(
    client, editor, publisher, live_region
):
    client.force_login(editor)
    revision = propose(client, live_region, summary="Edna's summary.", _submit="Submit")
    client.force_login(publisher)
    data = form_data(client, change_url(live_region), body="Pablo's direct body.")
    assert client.post(change_url(live_region), data).status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PENDING  # was "superseded"
    assert revision.live_changed_at is not None
    html = client.get(revision.admin_url()).content.decode()
    assert "The live page changed since" in html
    assert "<ins>Edna&#x27;s</ins>" in html  # its change...
    assert "Pablo&#x27;s" in html  # ...and the live page's since
    queue = client.get(reverse("admin:index")).content.decode()
    assert "the live page changed since" in queue


# What is approved is what goes live


def test_approval_of_a_version_the_publisher_did_not_read_is_refused(
    client, editor, publisher, live_region
):
    client.force_login(editor)
    revision = propose(client, live_region, summary="Harmless.", _submit="Submit")
    read_version = revision.version
    propose(client, live_region, summary="Something else.", _submit="Submit")
    client.force_login(publisher)
    response = review(client, revision, "approve", version=read_version)
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PENDING
    assert "Something else." not in public_html(live_region.get_absolute_url())
    assert "was saved again" in client.get(revision.admin_url()).content.decode()


def test_a_scheduled_change_applies_only_itself_and_keeps_later_work(
    client, editor, publisher, live_region
):
    with time_machine.travel(NOW, tick=False):
        client.force_login(editor)
        revision = propose(client, live_region, summary="Scheduled summary.", _submit="Submit")
        client.force_login(publisher)
        review(client, revision, "approve", go_live_at_0="2026-03-03", go_live_at_1="09:00")
        revision.refresh_from_db()
        assert revision.status == Revision.Status.SCHEDULED
        # Later work: a direct edit of another field and a contact added.
        data = form_data(client, change_url(live_region), body="Body written later.")
        assert client.post(change_url(live_region), data).status_code == 302
        later = ContactFactory(region=live_region, name="Added Later")
    with time_machine.travel(NOW + timedelta(days=1, minutes=1), tick=False):
        call_command("publish_scheduled", stdout=open("/dev/null", "w"))
        revision.refresh_from_db()
        assert revision.status == Revision.Status.PUBLISHED
        live_region.refresh_from_db()
        assert live_region.summary == "Scheduled summary."
        assert live_region.body == "Body written later."
        assert Contact.objects.filter(pk=later.pk).exists()
        html = public_html(live_region.get_absolute_url())
        assert "Scheduled summary." in html and "Added Later" in html


def test_a_scheduled_change_whose_field_changed_meanwhile_goes_back_to_review(
    client, editor, publisher, live_region
):
    with time_machine.travel(NOW, tick=False):
        client.force_login(editor)
        revision = propose(client, live_region, summary="Scheduled summary.", _submit="Submit")
        client.force_login(publisher)
        review(client, revision, "approve", go_live_at_0="2026-03-03", go_live_at_1="09:00")
        data = form_data(client, change_url(live_region), summary="Publisher's later summary.")
        assert client.post(change_url(live_region), data).status_code == 302
    with time_machine.travel(NOW + timedelta(days=1, minutes=1), tick=False):
        call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PENDING
    assert revision.conflicts == ["Region: Western Balkans - Summary"]
    live_region.refresh_from_db()
    assert live_region.summary == "Publisher's later summary."
    client.force_login(publisher)
    html = client.get(revision.admin_url()).content.decode()
    assert "could not go live" in html and "The live page changed since" in html


# A clear error instead of a 500


def test_a_publisher_saving_with_a_past_withdrawal_and_no_publish_from_gets_a_form_error(
    publisher,
):
    country = CountryFactory(is_published=False)
    client = Client(raise_request_exception=False)
    client.force_login(publisher)
    yesterday = timezone.localtime() - timedelta(days=1)
    data = form_data(
        client,
        change_url(country),
        is_published="on",
        unpublish_at_0=yesterday.strftime("%Y-%m-%d"),
        unpublish_at_1="10:00:00",
    )
    response = client.post(change_url(country), data)
    assert response.status_code == 200  # was 500 (a check constraint)
    assert "This withdrawal time has passed" in response.content.decode()
    assert not Country.objects.get(pk=country.pk).is_published


def test_each_step_is_in_the_audit_log_with_who_took_it(client, editor, publisher, live_region):
    client.force_login(editor)
    revision = propose(client, live_region, summary="Logged summary.", _submit="Submit")
    client.force_login(publisher)
    review(client, revision, "approve", comment="Fine.")
    steps = list(
        AuditEntry.objects.filter(object_id=str(live_region.pk))
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert steps == [
        ("change", "edna"),
        ("submit", "edna"),
        ("approve", "pablo"),
        ("publish", "pablo"),
    ]
    assert "Logged summary." in public_html(live_region.get_absolute_url())


# Every write path asks the object-level rules


def test_an_editor_cannot_reorder_a_live_contact_from_the_list(client, editor, live_region):
    contact = ContactFactory(region=live_region, name="Ana", display_order=1)
    client.force_login(editor)
    response = client.post(
        changelist_url(Contact),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(contact.pk),
            "form-0-display_order": "9",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "is public: change it in its own form" in response.content.decode()
    contact.refresh_from_db()
    assert contact.display_order == 1


def test_an_editor_cannot_change_a_live_contact_through_a_draft_regions_inline(editor, publisher):
    draft = RegionFactory(is_published=False, summary="Draft region.")
    contact = ContactFactory(region=draft, name="Ana", role="Adviser", is_published=True)
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    data = form_data(client, change_url(draft), **{"contacts-0-role": "Sneaked role"})
    assert data["contacts-0-id"] == str(contact.pk)
    assert client.post(change_url(draft), data).status_code == 403
    contact.refresh_from_db()
    assert contact.role == "Adviser"
    # The same form without touching the live contact saves (a draft region is the Editor's).
    data = form_data(client, change_url(draft), summary="Edited draft.")
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Edited draft."


def test_a_conflicting_scheduled_change_whose_author_started_another_is_kept_not_lost(
    client, editor, publisher, live_region
):
    with time_machine.travel(NOW, tick=False):
        client.force_login(editor)
        first = propose(client, live_region, summary="Scheduled summary.", _submit="Submit")
        client.force_login(publisher)
        review(client, first, "approve", go_live_at_0="2026-03-03", go_live_at_1="09:00")
        data = form_data(client, change_url(live_region), summary="Publisher's summary.")
        assert client.post(change_url(live_region), data).status_code == 302
        client.force_login(editor)
        second = propose(client, live_region, body="A newer change.")
    with time_machine.travel(NOW + timedelta(days=1, minutes=1), tick=False):
        call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.conflicts and first.status == Revision.Status.SUPERSEDED
    assert second.status == Revision.Status.DRAFT
    live_region.refresh_from_db()
    assert live_region.summary == "Publisher's summary."


def test_texts_posted_back_with_a_browsers_line_endings_are_no_change(
    client, publisher, live_region
):
    """Browsers post a text box's lines ended CR LF: a form saved unchanged changes nothing,
    so no version appears that nobody made and a later save is not refused over it."""
    live_region.body = "First paragraph.\n\nSecond paragraph."
    live_region.summary = "One line.\nAnother line."
    live_region.save()
    versions = live_region.history.count()
    client.force_login(publisher)
    url = change_url(live_region)
    data = form_data(client, url)
    data["body"] = data["body"].replace("\n", "\r\n")
    data["summary"] = data["summary"].replace("\n", "\r\n")
    assert "\r\n" in data["body"] and "\r\n" in data["summary"]
    assert client.post(url, data).status_code == 302
    live_region.refresh_from_db()
    assert live_region.body == "First paragraph.\n\nSecond paragraph."
    assert live_region.summary == "One line.\nAnother line."
    assert live_region.history.count() == versions
