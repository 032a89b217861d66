import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.shared_demo import DemoDatabase, DemoState, order_items, uses_database, wanted_state

DEMO_DATABASE = pytest.StashKey[DemoDatabase]()
WANTED_STATE = pytest.StashKey[DemoState | None]()


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(config, items):
    """Mark the tests that use the test database (`-m database`: what the PostgreSQL run in
    .ci/run repeats), and order the tests that share the demo content."""
    for item in items:
        if uses_database(item):
            item.add_marker(pytest.mark.database)
    order_items(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures (its own transaction among them), put the demo content where
    the test wants it (tests/shared_demo.py)."""
    wanted = wanted_state(item)
    item.config.stash[WANTED_STATE] = wanted
    demo_database = item.config.stash.get(DEMO_DATABASE, None)
    if demo_database is not None:
        demo_database.prepare(wanted)


@pytest.fixture(scope="session")
def demo_database(request, django_db_setup, django_db_blocker):
    """This process's DemoDatabase; made with the test database, for the first test that
    asks for the demo (the later ones are prepared by pytest_runtest_setup)."""
    demo_database = DemoDatabase(django_db_blocker)
    request.config.stash[DEMO_DATABASE] = demo_database
    demo_database.prepare(request.config.stash.get(WANTED_STATE, None))
    yield demo_database
    del request.config.stash[DEMO_DATABASE]
    demo_database.prepare(DemoState.EMPTY)


@pytest.fixture
def demo(demo_database, db):
    """The demo content from fixtures/, as `make run` loads it: shared with the neighbouring
    tests that ask for it, each test's changes rolled back; loaded for the test alone in a
    transactional test."""
    if not demo_database.holds_demo:
        call_command("load_demo", without_source_files=True, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _one_process_shares_its_generation():
    """Tests run in one process, whose local-memory cache every request it serves shares:
    what is kept under the page cache's generation is kept (settings.py says why not
    without Redis in production)."""
    from django.conf import settings

    settings.PAGE_CACHE_GENERATION_SHARED = True


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Passwords hashed with a fast hasher in the tests (Django's advice for test settings):
    every test user and login would otherwise pay the production hasher's deliberate cost.
    The production hashers stay listed after it, so a hash one of them made still verifies."""
    from django.conf import settings

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_root_per_process(tmp_path_factory):
    """Uploads of tests that do not choose their own MEDIA_ROOT go to a directory of this
    process's, never into the checkout's media/ nor among another xdist worker's files."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


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


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `change()` as the admin does: in a transaction that commits, so its after-commit
    work (the page cache's bump) runs; returns what `change()` returns."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return change()

    return run
