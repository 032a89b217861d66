"""The steps the audit app records itself (audit/recorders.py): create, change and delete
through the admin of any model, role changes (user admin, grant_role) and login lockouts."""

from statistics.models import Indicator

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from audit.recorders import AuditedModelAdminMixin
from projects.models import Organisation
from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER
from tests.admin_forms import add_url, change_url, changelist_url, delete_url
from tests.factories import IndicatorFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def entries(**match):
    return list(AuditEntry.objects.filter(**match).order_by("pk"))


def test_every_registered_model_admin_records_its_steps():
    registered = [model for model in apps.get_models() if admin.site.is_registered(model)]
    assert len(registered) > 10  # the admin loaded, Django's own users and groups included
    assert User in registered and Group in registered
    for model in registered:
        assert isinstance(admin.site.get_model_admin(model), AuditedModelAdminMixin), model


def test_creating_changing_and_deleting_through_the_admin_is_recorded(client, staff_with_role):
    publisher = staff_with_role(PUBLISHER)
    client.force_login(publisher)
    data = {"name": "UNHCR", "slug": "unhcr", "organisation_type": "other", "website": ""}
    response = client.post(add_url(Organisation), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(slug="unhcr")
    [created] = entries(action=AuditAction.CREATE)
    assert (created.actor, created.object_id) == (publisher, str(organisation.pk))
    assert created.content_type.model_class() is Organisation

    response = client.post(change_url(organisation), {**data, "name": "UNHCR Serbia"})
    assert response.status_code == 302
    [changed] = entries(action=AuditAction.CHANGE)
    assert changed.actor == publisher
    assert "Name" in changed.summary and changed.detail["fields"] == ["Name"]
    assert changed.object_repr == "UNHCR Serbia"

    assert client.post(delete_url(organisation), {"post": "yes"}).status_code == 302
    [deleted] = entries(action=AuditAction.DELETE)
    assert (deleted.actor, deleted.object_repr) == (publisher, "UNHCR Serbia")
    assert deleted.object_id == str(organisation.pk)


def test_a_save_that_changes_nothing_records_nothing(client, staff_with_role):
    client.force_login(staff_with_role(PUBLISHER))
    organisation = OrganisationFactory()
    data = {
        "name": organisation.name,
        "acronym": organisation.acronym,
        "slug": organisation.slug,
        "organisation_type": organisation.organisation_type,
        "website": organisation.website,
    }
    assert client.post(change_url(organisation), data).status_code == 302
    assert not AuditEntry.objects.exists()


def test_deleting_several_items_from_the_list_records_each(client, staff_with_role):
    data_manager = staff_with_role(DATA_MANAGER)
    client.force_login(data_manager)
    indicators = IndicatorFactory.create_batch(3)
    response = client.post(
        changelist_url(Indicator),
        {
            "action": "delete_selected",
            "_selected_action": [indicator.pk for indicator in indicators],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    deleted = entries(action=AuditAction.DELETE)
    assert sorted(entry.object_id for entry in deleted) == sorted(str(i.pk) for i in indicators)
    assert {entry.actor for entry in deleted} == {data_manager}


def test_a_refused_save_records_nothing(staff_with_role):
    client = Client(raise_request_exception=False)
    client.force_login(staff_with_role(EDITOR))
    organisation = OrganisationFactory()
    assert client.post(delete_url(organisation), {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert not AuditEntry.objects.exists()


def user_form(person, **changes):
    data = {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "is_active": "on",
        "is_staff": "on" if person.is_staff else "",
        "is_superuser": "on" if person.is_superuser else "",
        "groups": [str(pk) for pk in person.groups.values_list("pk", flat=True)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": person.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None)}


def test_a_role_given_or_taken_in_the_user_admin_is_recorded(admin_client, superuser):
    person = UserFactory(username="elena", is_staff=True)
    person.groups.add(Group.objects.get(name=EDITOR))
    publisher_group = Group.objects.get(name=PUBLISHER)
    url = reverse("admin:auth_user_change", args=[person.pk])

    response = admin_client.post(url, user_form(person, groups=[str(publisher_group.pk)]))
    assert response.status_code == 302, response.content.decode()[:3000]
    [entry] = entries(action=AuditAction.ROLE_CHANGE)
    assert (entry.actor, entry.object_id) == (superuser, str(person.pk))
    assert entry.detail["added"] == [PUBLISHER] and entry.detail["removed"] == [EDITOR]
    assert PUBLISHER in entry.summary and EDITOR in entry.summary

    person.refresh_from_db()
    response = admin_client.post(url, user_form(person, is_superuser="on"))
    assert response.status_code == 302
    latest = entries(action=AuditAction.ROLE_CHANGE)[-1]
    assert latest.detail["flags"] == {"is_superuser": [False, True]}
    assert "Administrator (all rights) granted" in latest.summary

    # The e-mail address alone is no role change.
    person.refresh_from_db()
    admin_client.post(url, user_form(person, email="elena@example.net"))
    assert len(entries(action=AuditAction.ROLE_CHANGE)) == 2


def test_grant_role_records_the_role_it_gives():
    person = UserFactory(username="petar")
    call_command("grant_role", "petar", PUBLISHER, stdout=None)
    [entry] = entries(action=AuditAction.ROLE_CHANGE)
    assert entry.actor is None and entry.actor_name == "manage.py grant_role"
    assert entry.object_id == str(person.pk)
    assert entry.detail["added"] == [PUBLISHER]
    assert entry.detail["flags"] == {"is_staff": [False, True]}

    call_command("grant_role", "petar", PUBLISHER, stdout=None)  # already has it
    assert len(entries(action=AuditAction.ROLE_CHANGE)) == 1


def login(client, username, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR="203.0.113.5",
    )


def test_a_login_lockout_is_recorded_once_with_the_name_typed_and_the_address(client):
    person = UserFactory(username="editor1", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "editor1", "wrong")
    assert login(client, "editor1", "wrong").status_code == 429
    [entry] = entries(action=AuditAction.LOGIN_LOCK)
    assert entry.actor is None and entry.actor_name == "editor1"
    assert entry.object_id == str(person.pk) and entry.content_type.model_class() is User
    assert entry.detail == {"username": "editor1", "ip_address": "203.0.113.5"}
    assert "203.0.113.5" in entry.summary


def test_a_lockout_of_a_name_that_is_nobody_is_recorded_without_an_item(client):
    typed = "=cmd|" + "x" * 145
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, typed, "wrong")
    [entry] = entries(action=AuditAction.LOGIN_LOCK)
    assert entry.object_id == "" and entry.content_type.model_class() is User
    assert entry.actor_name == typed


def test_a_name_longer_than_any_accounts_is_refused_before_it_is_tried(client):
    """Django's login form only sets the box's maxlength; posted longer, the name reached
    django-axes, whose 255-character column refused it with an error page on PostgreSQL."""
    typed = "=cmd|" + "x" * 400
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = login(client, typed, "wrong")
        assert response.status_code == 200
        assert "at most 150 characters" in response.content.decode()
    assert not entries(action=AuditAction.LOGIN_LOCK)
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_lockout_entry_is_committed_with_the_refused_login(client):
    """The login POST runs in the admin's one transaction (AdminWriteMiddleware): the refusal
    is an answer, not an error, so the entry is committed with axes' own records."""
    UserFactory(username="editor1", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "editor1", "wrong")
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_LOCK).count() == 1
