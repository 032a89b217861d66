"""Waiting for another connection to wait for a row lock (tests of two writers at once on
PostgreSQL)."""

import threading

from django.db import connection


def wait_for_a_lock_wait(seconds=60):
    """True once some connection to the test database waits for a lock, False after
    `seconds`."""
    with connection.cursor() as cursor:
        for _ in range(int(seconds * 100)):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            threading.Event().wait(0.01)
    return False
