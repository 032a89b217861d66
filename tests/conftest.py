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


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches: the database is rolled back between tests without
    signals, so a page cached by one test must not be served to the next."""
    from django.core.cache import caches

    import pagecache

    for cache in caches.all():
        cache.clear()
    pagecache.reset()
    yield


@pytest.fixture
def staff_client(db, django_user_model):
    """A second client, logged in as staff (admin_client reuses `client`)."""
    from django.contrib.auth.models import Group
    from django.test import Client

    staff = django_user_model.objects.create_user("editor", password="pw-for-tests", is_staff=True)
    staff.groups.add(Group.objects.get(name="Editor"))  # staff who may view drafts
    staff_client = Client()
    staff_client.force_login(staff)
    return staff_client


@pytest.fixture
def staff_with_role(db):
    """make(role) -> a staff user in that role's group (created by wbportal's migration)."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    def make(role, username=None):
        user = UserFactory(username=username or role.lower().replace(" ", "-"), is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make
