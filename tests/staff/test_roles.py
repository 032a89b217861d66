"""Roles: created by the data migration, assigned by grant_role, enforced through the admin."""

from io import StringIO
from statistics.models import Indicator, Observation, Source

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from projects.models import Project
from regions.models import Contact, Country, Region
from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER, ROLES, missing_permissions
from tests.admin_forms import add_url, change_url, changelist_url, delete_url, region_form
from tests.factories import (
    ContactFactory,
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    ProjectFactory,
    RegionFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def codenames(role):
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_the_migration_creates_the_three_roles_with_their_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITOR, PUBLISHER, DATA_MANAGER}
    for role in ROLES:
        assert missing_permissions(role, Permission) == [], role
    editor = codenames(EDITOR)
    assert {"add_region", "change_region", "view_region", "change_contact", "add_project"} <= editor
    assert {"change_country", "change_office", "change_approachsection"} <= editor
    assert not {c for c in editor if c.startswith(("delete_", "publish_"))}
    assert not {c for c in editor if c.endswith(("observation", "indicator", "source"))}

    publisher = codenames(PUBLISHER)
    assert editor < publisher
    assert {"publish_region", "publish_project", "publish_contact", "delete_region"} <= publisher
    assert not {c for c in publisher if c.endswith(("observation", "indicator", "source"))}

    data = codenames(DATA_MANAGER)
    for model in ("source", "indicator", "observation"):
        assert {f"{a}_{model}" for a in ("add", "change", "delete", "view")} <= data
    # Countries and regions only to view: an observation's area is chosen among them.
    assert {c for c in data if c.endswith(("region", "country", "project", "contact"))} == {
        "view_region",
        "view_country",
    }


def test_the_data_migration_itself_creates_the_roles():
    """Run the migration's function on the migration state (not the post_migrate sync)."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("wbportal.migrations.0001_roles")
    # On a new database the squashed migration stands in for 0001_roles and runs its function.
    loader = MigrationExecutor(connection).loader
    node = next(
        key
        for key, squash in loader.disk_migrations.items()
        if ("wbportal", "0001_roles") in (squash.replaces or [key]) and key in loader.graph.nodes
    )
    state = loader.project_state(node)
    Group.objects.filter(name__in=ROLES).delete()
    migration.create_roles(state.apps, None)
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)
    assert "publish_region" in codenames(PUBLISHER)
    assert "change_observation" in codenames(DATA_MANAGER)
    migration.remove_roles(state.apps, None)
    assert not Group.objects.filter(name__in=ROLES).exists()


def test_roles_are_restored_by_a_migrate_run():
    Group.objects.get(name=EDITOR).permissions.clear()
    call_command("migrate", verbosity=0)
    assert "change_region" in codenames(EDITOR)


# grant_role


def test_grant_role_adds_the_group_and_admin_access():
    user = UserFactory(username="ana", is_staff=False)
    out = StringIO()
    call_command("grant_role", "ana", "publisher", stdout=out)
    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [PUBLISHER]
    assert "ana now has the role Publisher" in out.getvalue()
    assert user.has_perm("regions.publish_region")


def test_grant_role_unknown_role_lists_the_valid_ones():
    UserFactory(username="ana")
    with pytest.raises(CommandError) as error:
        call_command("grant_role", "ana", "Admin")
    message = str(error.value)
    assert "Unknown role 'Admin'" in message
    for role in ROLES:
        assert f"'{role}'" in message


def test_grant_role_unknown_user_is_a_clear_error():
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("grant_role", "nobody", EDITOR)


# Editor through the admin


def test_editor_adds_and_changes_content_but_cannot_delete(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    response = client.post(add_url(Region), region_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    region = Region.objects.get(slug="test-region")
    assert not region.is_published

    response = client.post(change_url(region), region_form(region, summary="Changed."))
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.summary == "Changed."

    country = CountryFactory()
    assert client.get(change_url(country)).status_code == 200
    # Their own never-approved drafts they may delete (tests/regions/test_own_drafts.py);
    # a draft someone else wrote they may not.
    region = RegionFactory(is_published=False)
    page = client.get(change_url(region)).content.decode()
    assert "deletelink" not in page
    assert client.get(delete_url(region)).status_code == 403
    assert client.post(delete_url(region), {"post": "yes"}).status_code == 403
    assert Region.objects.filter(pk=region.pk).exists()
    # Bulk delete is not offered and a forged one deletes nothing.
    changelist = client.get(changelist_url(Region)).content.decode()
    assert 'value="delete_selected"' not in changelist
    client.post(
        changelist_url(Region),
        {"action": "delete_selected", "_selected_action": [region.pk], "post": "yes"},
    )
    assert Region.objects.filter(pk=region.pk).exists()


def test_editor_cannot_touch_statistics_or_import(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    observation = ObservationFactory()
    for url in (
        changelist_url(Observation),
        add_url(Observation),
        change_url(observation),
        changelist_url(Indicator),
        changelist_url(Source),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(change_url(observation), {"value": "1"}).status_code == 403
    observation.refresh_from_db()
    assert observation.value == 100


def test_editor_cannot_delete_projects_or_contacts(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    project, contact = ProjectFactory(), ContactFactory()
    for obj in (project, contact):
        assert client.post(delete_url(obj), {"post": "yes"}).status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()
    assert Contact.objects.filter(pk=contact.pk).exists()


# Publisher


def test_publisher_deletes_and_is_offered_publishing(client, staff_with_role):
    client.force_login(staff_with_role(PUBLISHER))
    region = RegionFactory(is_published=False)
    changelist = client.get(changelist_url(Region)).content.decode()
    assert 'value="publish"' in changelist
    assert 'value="delete_selected"' in changelist
    assert client.post(delete_url(region), {"post": "yes"}).status_code == 302
    assert not Region.objects.filter(pk=region.pk).exists()
    project = ProjectFactory()
    assert client.post(delete_url(project), {"post": "yes"}).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
    assert client.get(changelist_url(Observation)).status_code == 403


# Data manager


def test_data_manager_manages_statistics_only(client, staff_with_role):
    client.force_login(staff_with_role(DATA_MANAGER))
    indicator, source, region = IndicatorFactory(), SourceFactory(), RegionFactory()
    response = client.post(
        add_url(Observation),
        {
            "indicator": indicator.pk,
            "region": region.pk,
            "period": "2025-Q1",
            "category": "",
            "value": "12.5",
            "status": "provisional",
            "source": source.pk,
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    observation = Observation.objects.get(indicator=indicator, region=region, period="2025-Q1")
    assert client.post(delete_url(observation), {"post": "yes"}).status_code == 302
    assert not Observation.objects.filter(pk=observation.pk).exists()
    assert client.get(changelist_url(Indicator)).status_code == 200
    assert client.get(changelist_url(Source)).status_code == 200
    for model in (Project, Contact):
        assert client.get(changelist_url(model)).status_code == 403, model
    for model in (Region, Country):  # read-only, to choose an observation's area
        assert client.get(changelist_url(model)).status_code == 200, model
        assert client.get(add_url(model)).status_code == 403, model
    assert client.post(add_url(Region), region_form()).status_code == 403
    assert not Region.objects.filter(slug="test-region").exists()
