import pytest
from django.core.management import call_command
from django.db import transaction

from tests.shared_demo import DemoState


@pytest.fixture(scope="module")
def _source_data_loaded(demo_database, django_db_blocker):
    """The whole demo, source files included (`load_demo` as `make run` calls it), loaded once
    for the tests of a module on top of the tests' shared demo, in a savepoint rolled back
    after them. Importing the files takes seconds: once a module, not once a test."""
    demo_database.prepare(DemoState.IN_TRANSACTION)
    with django_db_blocker.unblock():
        savepoint = transaction.atomic()
        savepoint.__enter__()
        try:
            call_command("load_demo", verbosity=0)
        except BaseException:
            transaction.set_rollback(True)
            savepoint.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        savepoint.__exit__(None, None, None)


@pytest.fixture
def source_data(_source_data_loaded, demo):
    """The demo with the UNHCR and World Bank files imported through their shipped profiles;
    each test's changes rolled back."""
