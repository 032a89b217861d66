"""The demo content loaded once for a run of tests instead of once per test.

Loading the demo (`load_demo`: eight fixture files, their signals and history) is the slowest
set-up in the suite, and most tests that ask for it only read it or change it inside their own
transaction. A pytest process (each xdist worker is one) keeps the demo in its test database
between such tests, in one of two ways:

- IN_TRANSACTION, for tests on the ordinary `db` fixture: the demo is loaded inside an outer
  transaction. Each test's own transaction (pytest-django's, as in Django's TestCase) nests in
  it as a savepoint and is rolled back after the test, so every test starts from the same demo.
- COMMITTED, for the browser checks that only read (tests/browser/ `site`): the live server may
  read through a connection of its own (PostgreSQL), which sees committed rows only.

Before each test, `pytest_runtest_setup` (tests/conftest.py) moves the database to the state the
test needs: a test that does not ask for the demo, and any transactional test (it commits, and
its teardown empties the tables), starts from an empty database as before. Tests that want the
same state are run next to each other (`order_items`), so the demo is loaded about once per
worker and state.
"""

import enum
from contextlib import ExitStack

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from pytest_django.fixtures import validate_django_db


class DemoState(enum.Enum):
    EMPTY = "empty"
    IN_TRANSACTION = "in a transaction rolled back later"
    COMMITTED = "committed"


def uses_database(item: pytest.Item) -> bool:
    """Whether the test uses the test database (pytest-django's own rule for its ordering)."""
    names = getattr(item, "fixturenames", ())
    return (
        item.get_closest_marker("django_db") is not None
        or "db" in names
        or "transactional_db" in names
        or "live_server" in names
    )


def is_transactional(item: pytest.Item) -> bool:
    """Whether the test commits for real (Django's TransactionTestCase)."""
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction_wanted, reset_sequences, *_ = validate_django_db(marker)
    return transaction_wanted or reset_sequences


def wanted_state(item: pytest.Item) -> DemoState | None:
    """The state the test needs; None for a test that never touches the database."""
    if not uses_database(item):
        return None
    if is_transactional(item):
        return DemoState.EMPTY
    names = item.fixturenames
    if "site" in names:
        return DemoState.COMMITTED
    if "demo" in names:
        return DemoState.IN_TRANSACTION
    return DemoState.EMPTY


def order_items(items: list[pytest.Item]) -> None:
    """Run the tests that share a demo state next to each other, first (they all use the
    database without committing, like the group pytest-django already puts first), keeping
    the order of everything else."""
    rank = {DemoState.IN_TRANSACTION: 0, DemoState.COMMITTED: 1}
    items.sort(key=lambda item: rank.get(wanted_state(item), 2))


class DemoDatabase:
    """Where the demo content stands in this process's test database."""

    def __init__(self, django_db_blocker):
        self.blocker = django_db_blocker
        self.state = DemoState.EMPTY
        self.outer_transaction = ExitStack()

    @property
    def holds_demo(self) -> bool:
        return self.state is not DemoState.EMPTY

    def prepare(self, wanted: DemoState | None) -> None:
        """Bring the database to `wanted` (None: leave it as it is)."""
        if wanted is None or wanted is self.state:
            return
        with self.blocker.unblock():
            self._leave()
            try:
                if wanted is DemoState.IN_TRANSACTION:
                    self.outer_transaction.enter_context(transaction.atomic())
                self.state = wanted
                if wanted is not DemoState.EMPTY:
                    call_command("load_demo", without_source_files=True, verbosity=0)
            except BaseException:
                self._leave()
                raise

    def _leave(self) -> None:
        if self.state is DemoState.IN_TRANSACTION:
            transaction.set_rollback(True)
            self.outer_transaction.close()
        elif self.state is DemoState.COMMITTED:
            # As a transactional test's teardown does: empty every table, then let post_migrate
            # recreate what the migrations' signals create (content types, roles).
            call_command("flush", interactive=False, verbosity=0)
        self.state = DemoState.EMPTY


def database_writes() -> int | None:
    """A counter of rows written through this process's connection, where the database
    offers one cheaply (SQLite, which the live server shares in the tests); else None."""
    if connection.vendor != "sqlite" or connection.connection is None:
        return None
    return connection.connection.total_changes
