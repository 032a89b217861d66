import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_local_superuser_gets_a_random_password_printed_once():
    output = run("ensure_local_superuser")
    password = re.search(r"Password: (\S+)", output).group(1)
    assert len(password) >= 16
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)

    again = run("ensure_local_superuser")
    assert password not in again
    assert "changepassword admin" in again
    assert get_user_model().objects.count() == 1


def test_two_installs_get_different_passwords(django_user_model):
    first = re.search(r"Password: (\S+)", run("ensure_local_superuser")).group(1)
    django_user_model.objects.all().delete()
    second = re.search(r"Password: (\S+)", run("ensure_local_superuser")).group(1)
    assert first != second
