"""Ways an indicator's charts, fragments or files could outlive a change of what they show
(found by an attack on the data generation): each fails on the code before its fix."""

import threading
import time

import pytest
import time_machine
from django.db import connection, transaction

import pagecache
from pagecache import generation as generations
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    ProjectFactory,
    RegionFactory,
    SourceFactory,
)
from tests.locks import wait_for_a_lock_wait

pytestmark = pytest.mark.django_db


def test_a_change_after_one_whose_bump_was_lost_does_not_bring_its_old_charts_back(
    client, committed, django_capture_on_commit_callbacks
):
    """A source rename is committed, but its after-commit bump never happens (the Redis write
    failed, or the worker died right after COMMIT): the generation stays pending, and past
    its deadline its whole value is the data part. Then someone saves a project (not data):
    its bump must not go back to the data part from before the rename, under which the chart
    file and embed drawn before the rename are kept (it did, before the fix)."""

    def make():
        region = RegionFactory(name="Western Balkans", slug="wb", code="WB")
        indicator = IndicatorFactory(code="arrivals", name="Arrivals", unit="people")
        source = SourceFactory(name="Ministry of Arrivals")
        ObservationFactory(
            indicator=indicator, region=region, period="2024", value=888, source=source
        )
        return source

    source = committed(make)
    paths = ("/statistics/arrivals/chart.svg", "/statistics/arrivals/embed/")
    for path in paths:  # drawn and kept under the data part of now
        assert b"Ministry of Arrivals" in client.get(path).content
    old_data = pagecache.data_generation()

    start = time.time()
    # The rename, committed; its on-commit bump never runs.
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        source.name = "Agency for Arrivals"
        source.save()
    generations.forget()  # that worker is gone (this process owes nothing)

    with time_machine.travel(start + 60, tick=False):  # past PAGE_CACHE_PENDING_SECONDS
        for path in paths:  # the whole pending value is the data part: drawn anew
            assert b"Agency for Arrivals" in client.get(path).content
        committed(lambda: ProjectFactory(title="Unrelated project"))
        # The data part of before the rename is back:
        assert pagecache.data_generation() != old_data, "the pre-rename data part came back"
        for path in paths:
            assert b"Agency for Arrivals" in client.get(path).content, path


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL only"
)
def test_a_rename_while_another_editor_saves_a_text_field_ends_in_the_charts(client):
    """Editor 2 saves Serbia's profile (a field figures never show) while editor 1 renames
    Serbia. The row as it was is read locked, so the rename waits for editor 2's commit
    instead of being written back over by it: the database and the charts both end with the
    new name (without the lock, the database said "Serbia" and the charts "Srbija")."""
    from django.db.models.signals import pre_save

    from regions.models import Country

    serbia = CountryFactory(name="Serbia", slug="serbia", iso_code="RS")
    indicator = IndicatorFactory(code="arrivals", name="Arrivals")
    ObservationFactory(indicator=indicator, region=None, country=serbia, period="2024", value=5)
    RegionFactory(name="Western Balkans", slug="wb", code="WB", countries=[serbia])
    path = "/statistics/arrivals/chart.svg"
    assert b"Serbia" in client.get(path).content
    read, may_save = threading.Event(), threading.Event()
    failures = []

    def hold_editor_two(sender, instance, **kwargs):
        if instance.profile == "A new profile.":
            read.set()
            may_save.wait(timeout=60)

    def editor(change):
        try:
            with transaction.atomic():
                change()
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(repr(error))
        finally:
            connection.close()

    def save_profile():
        country = Country.objects.get(pk=serbia.pk)  # the form, opened before the rename
        country.profile = "A new profile."
        country.save()

    def rename():
        country = Country.objects.get(pk=serbia.pk)
        country.name = "Srbija"
        country.save()

    pre_save.connect(hold_editor_two, sender=Country)
    try:
        two = threading.Thread(target=editor, args=(save_profile,))
        two.start()
        assert read.wait(timeout=60)
        one = threading.Thread(target=editor, args=(rename,))
        one.start()
        assert wait_for_a_lock_wait()  # the rename waits for editor 2's row lock
        may_save.set()
        two.join(timeout=60)
        one.join(timeout=60)
    finally:
        pre_save.disconnect(hold_editor_two, sender=Country)
    assert failures == []
    assert Country.objects.get(pk=serbia.pk).name == "Srbija"
    assert b"Srbija" in client.get(path).content
