"""History: who changed what and when, the differences, and restoring an earlier version."""

from statistics.models import Observation

import pytest
from django.apps import apps
from django.urls import reverse

from regions.models import Region
from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER
from tests.admin_forms import change_url, delete_url, history_url, region_form
from tests.factories import ObservationFactory, RegionFactory

pytestmark = pytest.mark.django_db

CONTENT_APPS = ["regions", "projects", "statistics", "documents"]


def revert_url(obj, version):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, version.history_id],
    )


# An import is recorded as one ImportRecord row (who, when, file, counts): that row is the
# audit event itself, append-only and read-only in the admin, so it has no history of its own.
# An ImportedChange is the before/after of one observation in that record: the batch's own
# history, by which it is undone.
AUDIT_RECORDS = {"ImportRecord", "ImportedChange"}
# An upload waiting for an import's confirm step is deleted when confirmed or expired; a
# history would keep copies of the very bytes that must go.
TRANSIENT = {"PendingUpload"}


def test_every_content_and_data_model_keeps_history():
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if (
                model.__name__.startswith("Historical")
                or model.__name__ in AUDIT_RECORDS | TRANSIENT
            ):
                continue
            assert hasattr(model, "history"), model
            field = model.history.model._meta.get_field("history_user")
            assert field.remote_field.on_delete.__name__ == "SET_NULL", model


def test_import_records_cannot_be_added_changed_or_deleted_in_the_admin(admin_client):
    from statistics.models import ImportRecord

    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    record_admin = django_admin.site._registry[ImportRecord]
    request = RequestFactory().get("/")
    request.user = admin_client.get("/admin/").wsgi_request.user
    assert request.user.is_superuser
    assert not record_admin.has_add_permission(request)
    assert not record_admin.has_change_permission(request)
    assert not record_admin.has_delete_permission(request)


def test_admin_changes_are_recorded_with_user_and_differences(client, staff_with_role):
    editor = staff_with_role(EDITOR)
    client.force_login(editor)
    region = RegionFactory(is_published=False, summary="First summary.")
    response = client.post(change_url(region), region_form(region, summary="Second summary."))
    assert response.status_code == 302
    latest = region.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == editor
    assert latest.summary == "Second summary."
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("summary", "First summary.", "Second summary.")
    ]

    page = client.get(history_url(region))
    assert page.status_code == 200
    html = page.content.decode()
    # Full texts, the changed words marked.
    assert "<del>First</del> summary." in html and "<ins>Second</ins> summary." in html
    assert editor.username in html


def test_a_staff_member_restores_an_earlier_version(client, staff_with_role):
    editor = staff_with_role(EDITOR)
    client.force_login(editor)
    region = RegionFactory(is_published=False, summary="Good text.", body="Good body.")
    client.post(change_url(region), region_form(region, summary="Vandalised.", body="Oops."))
    region.refresh_from_db()
    assert region.summary == "Vandalised."

    good = region.history.earliest()
    form = client.get(revert_url(region, good))
    assert form.status_code == 200
    assert "Good text." in form.content.decode()
    response = client.post(revert_url(region, good), region_form(good.instance))
    assert response.status_code == 302, response.content.decode()[:3000]
    region.refresh_from_db()
    assert (region.summary, region.body) == ("Good text.", "Good body.")
    assert region.history.count() == 3
    assert region.history.latest().history_user == editor


def test_an_editor_cannot_publish_by_restoring_a_published_version(client, staff_with_role):
    region = RegionFactory(is_published=True)  # version 1: published
    region.is_published = False
    region.save()  # version 2: withdrawn by a publisher
    published_version = region.history.earliest()
    assert published_version.is_published

    client.force_login(staff_with_role(EDITOR))
    data = region_form(published_version.instance, is_published="on")
    response = client.post(revert_url(region, published_version), data)
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.is_published is False
    assert region not in Region.objects.published()

    client.force_login(staff_with_role(PUBLISHER, username="pub"))
    client.post(revert_url(region, published_version), data)
    region.refresh_from_db()
    assert region.is_published is True


def test_deletion_is_recorded_and_the_history_survives_the_users_deletion(client, staff_with_role):
    publisher = staff_with_role(PUBLISHER)
    client.force_login(publisher)
    region = RegionFactory()
    pk = region.pk
    assert client.post(delete_url(region), {"post": "yes"}).status_code == 302
    deleted = Region.history.filter(id=pk).latest()
    assert deleted.history_type == "-"
    assert deleted.history_user == publisher

    publisher.delete()
    deleted.refresh_from_db()
    assert deleted.history_user is None
    assert Region.history.filter(id=pk).count() == 2


def test_observation_changes_are_recorded(client, staff_with_role):
    manager = staff_with_role(DATA_MANAGER)
    client.force_login(manager)
    observation = ObservationFactory(value=100)
    response = client.post(
        change_url(observation),
        {
            "indicator": observation.indicator_id,
            "region": observation.region_id,
            "period": observation.period,
            "category": "",
            "value": "125",
            "status": "provisional",
            "source": observation.source_id,
            "note": "Revised by the ministry.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = Observation.history.filter(id=observation.pk).latest()
    assert latest.history_user == manager
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
    assert changes["value"][1] == 125
    assert changes["status"] == ("as_published", "provisional")
    assert client.get(history_url(observation)).status_code == 200


def test_changes_to_where_a_region_works_are_recorded(client, staff_with_role):
    from tests.factories import CountryFactory

    # A Publisher's change to a live region is written at once (an Editor's waits for review).
    client.force_login(staff_with_role(PUBLISHER))
    albania, serbia = CountryFactory(name="Albania"), CountryFactory(name="Serbia")
    region = RegionFactory(countries=[albania])
    response = client.post(
        change_url(region), region_form(region, countries=[str(albania.pk), str(serbia.pk)])
    )
    assert response.status_code == 302
    latest = region.history.latest()
    delta = latest.diff_against(latest.prev_record)
    assert delta.changed_fields == ["countries"]
    (change,) = delta.changes
    assert [row["country"] for row in change.old] == [albania.pk]
    assert sorted(row["country"] for row in change.new) == sorted([albania.pk, serbia.pk])


@pytest.mark.parametrize(
    "label",
    [
        "regions.region",
        "regions.country",
        "regions.approachsection",
        "regions.office",
        "regions.contact",
        "projects.project",
        "projects.thematicarea",
        "projects.facility",
        "projects.organisation",
        "statistics.source",
        "statistics.indicator",
        "statistics.observation",
    ],
)
def test_every_history_page_opens_with_a_restore_form(admin_client, demo, label):
    model = apps.get_model(label)
    obj = model.objects.order_by("pk").first()
    obj.save()  # a second version, so the history has something to compare
    page = admin_client.get(history_url(obj))
    assert page.status_code == 200
    version = obj.history.earliest()
    assert admin_client.get(revert_url(obj, version)).status_code == 200
