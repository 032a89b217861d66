"""The scheduler process (`manage.py run_scheduler`): APScheduler runs each job of JOBS at
second 0 of every minute, and once at start so that a restart catches up at once.

Runs never overlap and missed runs are not replayed one by one (coalesce): after a pause
the next run publishes everything that fell due meanwhile, since `publish_scheduled` works
on "due by now", not on "due this minute"."""

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.db import connections

import pagecache

from . import jobs
from .models import PUBLISH_SCHEDULED

JOBS: dict[str, Callable[[], object]] = {PUBLISH_SCHEDULED: jobs.publish_scheduled}


def _run(job: Callable[[], object]) -> None:
    # A bump this process owes since a failed write (pagecache.generation): retried here,
    # as a web process does at each request, rather than only when the scheduler exits.
    pagecache.settle()
    try:
        job()
    finally:
        # A long-lived process: a connection broken meanwhile (a database restart) must not
        # break every later run, so each run opens its own (in the worker thread).
        connections.close_all()


def build_scheduler() -> BlockingScheduler:
    zone = ZoneInfo(settings.TIME_ZONE)
    scheduler = BlockingScheduler(
        timezone=zone,
        # One worker thread: the jobs share it, one after the other.
        executors={"default": ThreadPoolExecutor(max_workers=1)},
    )
    for name, job in JOBS.items():
        scheduler.add_job(
            _run,
            CronTrigger(second=0, timezone=zone),
            args=[job],
            id=name,
            name=name,
            # Runs never overlap; runs missed meanwhile (a pause, a long run) are one run.
            max_instances=1,
            coalesce=True,
            # A run that starts late (a busy machine) still runs within its minute.
            misfire_grace_time=50,
            # Once at start, so that a restart catches up at once.
            next_run_time=datetime.now(zone),
        )
    return scheduler


def run_once() -> None:
    for job in JOBS.values():
        job()
