"""grant_role for a user who does not exist: it says how to create one, and --create does,
as staff and never as a superuser."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from staff.roles import EDITOR

pytestmark = pytest.mark.django_db


def test_an_unknown_user_is_told_how_to_create_a_staff_account():
    with pytest.raises(CommandError) as error:
        call_command("grant_role", "mira", EDITOR)
    message = str(error.value)
    assert "No user 'mira'" in message
    assert "grant_role mira 'Editor' --create" in message
    assert "not a superuser" in message
    assert not get_user_model().objects.filter(username="mira").exists()


def test_create_makes_a_staff_user_without_superuser_rights_or_password():
    out = StringIO()
    call_command(
        "grant_role", "mira", EDITOR, "--create", "--email", "mira@example.org", stdout=out
    )
    user = get_user_model().objects.get(username="mira")
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert user.email == "mira@example.org"
    assert list(user.groups.values_list("name", flat=True)) == [EDITOR]
    assert "changepassword mira" in out.getvalue()


def test_create_refuses_a_bad_address():
    with pytest.raises(CommandError, match="not an e-mail address"):
        call_command("grant_role", "mira", EDITOR, "--create", "--email", "mira-at-home")
    assert not get_user_model().objects.filter(username="mira").exists()


def test_create_leaves_an_existing_user_as_it_is(django_user_model):
    user = django_user_model.objects.create_user("mira", password="pw-for-tests")
    call_command("grant_role", "mira", EDITOR, "--create", stdout=StringIO())
    user.refresh_from_db()
    assert user.has_usable_password() and user.is_staff
