"""Two writers of one total's inputs at once (two imports, an import and an admin edit): the
total each leaves is computed from every committed input, never from its own view alone."""

import threading
from decimal import Decimal
from statistics.derived import recompute_for
from statistics.models import Observation

import pytest
from django.db import connection, transaction

from tests.locks import wait_for_a_lock_wait

from .build import put, total_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL only"
    ),
]


def test_two_writers_of_one_totals_inputs_leave_the_sum_of_both(
    country, unhcr, hosted, hosted_total
):
    put(hosted, country, "2024", "Syria", 1000, source=unhcr)
    total_of(hosted_total, hosted)
    first_computed, first_may_commit = threading.Event(), threading.Event()
    failures = []

    def write_and_recompute(origin, value, hold):
        try:
            with transaction.atomic():
                put(hosted, country, "2024", origin, value, source=unhcr)
                recompute_for([hosted.pk])
                if hold:
                    first_computed.set()
                    first_may_commit.wait(timeout=60)
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(repr(error))
        finally:
            connection.close()

    first = threading.Thread(target=write_and_recompute, args=("Iraq", 20, True))
    first.start()
    assert first_computed.wait(timeout=60)
    second = threading.Thread(target=write_and_recompute, args=("Afghanistan", 300, False))
    second.start()
    # The second has written its input and now waits for the first to finish.
    assert wait_for_a_lock_wait()
    first_may_commit.set()
    first.join(timeout=60)
    second.join(timeout=60)

    assert failures == []
    stored = Observation.objects.get(indicator=hosted_total, category="")
    assert stored.value == Decimal(1320)
    assert stored.note == "Sum of 3 categories (Origin) of Refugees hosted."
