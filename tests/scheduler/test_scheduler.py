"""The scheduler: its job publishes what is due and records a heartbeat; its process runs
that job every minute; the review queue says when it is not running."""

import io
import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from apscheduler.triggers.cron import CronTrigger
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pagecache
from publishing.actions import publish_due
from publishing.revisions import Revision
from regions.models import Region
from scheduler import jobs
from scheduler.models import OVERDUE_AFTER, PUBLISH_SCHEDULED, Heartbeat
from scheduler.service import build_scheduler
from tests.factories import RegionFactory
from tests.scheduler.revisions import scheduled_change

pytestmark = pytest.mark.django_db

NINE = timezone.make_aware(datetime(2099, 12, 8, 9, 0))
HAND_RUN = "python manage.py publish_scheduled"


def admin_index(user):
    client = Client()
    client.force_login(user)
    return client.get(reverse("admin:index")).content.decode()


# --- the job ---------------------------------------------------------------------------------


def test_each_run_publishes_what_is_due_and_records_the_heartbeat(people):
    region = RegionFactory(summary="The live summary.")
    revision = scheduled_change(region, NINE, summary="Live at nine.")
    with time_machine.travel(NINE - timedelta(seconds=1), tick=False):
        jobs.publish_scheduled()
        assert Region.objects.get(pk=region.pk).summary == "The live summary."
        assert Heartbeat.objects.of(PUBLISH_SCHEDULED).last_success_at == NINE - timedelta(
            seconds=1
        )
    with time_machine.travel(NINE, tick=False):
        output = jobs.publish_scheduled()
    assert "1 scheduled item(s) went live." in output
    assert Region.objects.get(pk=region.pk).summary == "Live at nine."
    revision.refresh_from_db()
    assert (revision.status, revision.published_at) == (Revision.Status.PUBLISHED, NINE)
    heartbeat = Heartbeat.objects.of(PUBLISH_SCHEDULED)
    assert (heartbeat.last_run_at, heartbeat.last_success_at, heartbeat.last_error) == (
        NINE,
        NINE,
        "",
    )


def test_a_failed_run_is_recorded_and_retried_by_the_next(people, monkeypatch):
    region = RegionFactory(summary="The live summary.")
    scheduled_change(region, NINE, summary="Live at nine.")
    with time_machine.travel(NINE - timedelta(minutes=5), tick=False):
        jobs.publish_scheduled()

    def refuse(*args, **kwargs):
        raise pagecache.PageCacheUnavailable("The page cache could not be invalidated.")

    with monkeypatch.context() as patch, time_machine.travel(NINE, tick=False):
        patch.setattr("publishing.management.commands.publish_scheduled.publish_due", refuse)
        jobs.publish_scheduled()  # logged and recorded, not raised
    heartbeat = Heartbeat.objects.of(PUBLISH_SCHEDULED)
    assert heartbeat.last_run_at == NINE
    assert heartbeat.last_success_at == NINE - timedelta(minutes=5)
    assert "page cache could not be invalidated" in heartbeat.last_error
    assert Region.objects.get(pk=region.pk).summary == "The live summary."

    with time_machine.travel(NINE + timedelta(minutes=1), tick=False):
        jobs.publish_scheduled()
    assert Region.objects.get(pk=region.pk).summary == "Live at nine."
    assert Heartbeat.objects.of(PUBLISH_SCHEDULED).last_error == ""


def test_publish_scheduled_still_works_by_hand(people):
    region = RegionFactory(summary="The live summary.")
    scheduled_change(region, NINE, summary="Live at nine.")
    out = io.StringIO()
    with time_machine.travel(NINE + timedelta(hours=2), tick=False):
        call_command("publish_scheduled", stdout=out)
    assert "1 scheduled item(s) went live." in out.getvalue()
    assert Region.objects.get(pk=region.pk).summary == "Live at nine."


def test_run_scheduler_once_runs_the_job_for_cron(people):
    region = RegionFactory(summary="The live summary.")
    scheduled_change(region, NINE, summary="Live at nine.")
    with time_machine.travel(NINE, tick=False):
        call_command("run_scheduler", once=True)
    assert Region.objects.get(pk=region.pk).summary == "Live at nine."
    assert Heartbeat.objects.of(PUBLISH_SCHEDULED).last_success_at == NINE


# --- the process -----------------------------------------------------------------------------


def test_the_scheduler_runs_the_job_at_the_start_of_every_minute_and_once_at_start():
    scheduler = build_scheduler()
    (job,) = scheduler.get_jobs()
    assert job.id == PUBLISH_SCHEDULED and job.args == (jobs.publish_scheduled,)
    assert isinstance(job.trigger, CronTrigger)
    fields = {field.name: str(field) for field in job.trigger.fields}
    assert fields["second"] == "0" and fields["minute"] == "*" and fields["hour"] == "*"
    # Runs never overlap, a backlog is one run, and a restart runs at once.
    assert (job.max_instances, job.coalesce) == (1, True)
    assert job.misfire_grace_time < 60
    assert job.next_run_time is not None
    assert job.next_run_time <= timezone.now() + timedelta(seconds=1)
    after = job.trigger.get_next_fire_time(None, NINE + timedelta(seconds=1))
    assert after == NINE + timedelta(minutes=1)


# --- the review queue when the scheduler is down ----------------------------------------------


def test_the_queue_warns_of_overdue_changes_and_says_how_to_publish_them(people):
    region = RegionFactory(name="Overdue Region", summary="The live summary.")
    scheduled_change(region, NINE, summary="Live at nine.")
    with time_machine.travel(NINE - timedelta(minutes=10), tick=False):
        jobs.publish_scheduled()  # the scheduler's last run, before it stopped

    with time_machine.travel(NINE + OVERDUE_AFTER - timedelta(seconds=5), tick=False):
        # Just due: the next run would take it, no alarm yet.
        assert "is overdue" not in admin_index(people["publisher"])

    with time_machine.travel(NINE + timedelta(minutes=15), tick=False):
        html = admin_index(people["publisher"])
        assert "1 scheduled change is overdue: the scheduler is not running." in html
        assert "It last ran at 8 December 2099, 08:50." in html
        assert "Region: Overdue Region" in html and "due 8 December 2099, 09:00" in html
        assert HAND_RUN in html
        # Everyone who may open the item is told (an Editor too).
        assert "is overdue" in admin_index(people["editor"])

        call_command("publish_scheduled", verbosity=0)  # by hand
        html = admin_index(people["publisher"])
        assert "is overdue" not in html
    assert Region.objects.get(pk=region.pk).summary == "Live at nine."


def test_overdue_items_are_listed_only_to_who_may_view_them(people):
    from tests.factories import ProjectFactory

    project = ProjectFactory(title="Overdue Project")
    scheduled_change(project, NINE, title="Renamed at nine")
    with time_machine.travel(NINE + timedelta(minutes=15), tick=False):
        assert "Project: Overdue Project" in admin_index(people["publisher"])
        html = admin_index(people["data_manager"])
        assert "Overdue Project" not in html and "is overdue" not in html


def test_the_queue_names_a_failing_scheduler_run(people, monkeypatch):
    region = RegionFactory(summary="The live summary.")
    scheduled_change(region, NINE, summary="Live at nine.")

    def refuse(*args, **kwargs):
        raise pagecache.PageCacheUnavailable("The page cache could not be invalidated.")

    monkeypatch.setattr("publishing.management.commands.publish_scheduled.publish_due", refuse)
    with time_machine.travel(NINE + timedelta(minutes=15), tick=False):
        jobs.publish_scheduled()
        html = admin_index(people["publisher"])
    assert "scheduled change is overdue" in html
    assert "That run failed: CommandError: The page cache could not be invalidated." in html


def test_publishers_see_when_the_scheduler_last_ran_or_that_it_never_did(people):
    assert "The scheduler has never run" in admin_index(people["publisher"])
    with time_machine.travel(NINE, tick=False):
        jobs.publish_scheduled()
        html = admin_index(people["publisher"])
        assert "the scheduler last ran at 8 December 2099, 09:00." in html
        assert "scheduler" not in admin_index(people["editor"]).split("review-queue")[1][:400]
    with time_machine.travel(NINE + timedelta(minutes=5), tick=False):
        html = admin_index(people["publisher"])
        assert "The scheduler has not run since 8 December 2099, 09:00" in html


def test_a_long_overdue_list_names_the_first_and_counts_the_rest(people, monkeypatch):
    monkeypatch.setattr("scheduler.status.LIST_LENGTH", 2)
    for minutes in (3, 4, 5):
        region = RegionFactory(name=f"Region due {minutes} ago")
        scheduled_change(region, NINE - timedelta(minutes=minutes), summary="Later.")
    with time_machine.travel(NINE, tick=False):
        html = admin_index(people["publisher"])
    assert "3 scheduled changes are overdue" in html
    # The longest overdue first.
    assert "Region due 5 ago" in html and "Region due 4 ago" in html
    assert "Region: Region due 3 ago</a><div" not in html and "and 1 more" in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL only"
)
def test_a_run_by_hand_during_the_schedulers_run_skips_the_change_it_is_applying(
    staff_with_role,
):
    """The scheduler's run holds the due change; a run by hand at the same moment leaves it
    alone instead of applying and announcing it a second time."""
    region = RegionFactory(summary="The live summary.")
    revision = scheduled_change(region, NINE, summary="Live at nine.")
    held, release = threading.Event(), threading.Event()

    def scheduler_run_in_progress():
        try:
            with transaction.atomic():
                list(Revision.objects.select_for_update().filter(pk=revision.pk))
                held.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    holder = threading.Thread(target=scheduler_run_in_progress)
    holder.start()
    try:
        assert held.wait(timeout=60)
        with time_machine.travel(NINE, tick=False):
            assert publish_due() == []
    finally:
        release.set()
        holder.join()
    revision.refresh_from_db()
    assert revision.status == Revision.Status.SCHEDULED
    with time_machine.travel(NINE, tick=False):
        assert publish_due() == [revision]
