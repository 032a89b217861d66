import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The demo content from fixtures/, as `make run` loads it."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "pw-for-tests")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def staff_client(db, django_user_model):
    """A second client, logged in as staff (admin_client reuses `client`)."""
    from django.test import Client

    staff = django_user_model.objects.create_user("editor", password="pw-for-tests", is_staff=True)
    staff_client = Client()
    staff_client.force_login(staff)
    return staff_client
