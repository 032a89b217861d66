"""What the scheduler runs. Each job is a plain function, so tests call it directly with the
clock set (time-machine) instead of waiting for the scheduler."""

import io
import logging

from django.core.management import call_command
from django.utils import timezone

from .models import PUBLISH_SCHEDULED, Heartbeat

logger = logging.getLogger(__name__)


def publish_scheduled() -> str:
    """One run of `manage.py publish_scheduled` (the one entry point for scheduled go-live),
    recorded in the heartbeat, failed or not. Returns what the command printed.

    A failure is logged and recorded, never raised: the next run, a minute later, tries
    again, and the review queue shows the error meanwhile."""
    started = timezone.now()
    output = io.StringIO()
    try:
        call_command(PUBLISH_SCHEDULED, stdout=output, verbosity=1)
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
        logger.exception("publish_scheduled failed")
        Heartbeat.beat(PUBLISH_SCHEDULED, started, error=f"{type(error).__name__}: {error}")
    else:
        Heartbeat.beat(PUBLISH_SCHEDULED, started)
        lines = output.getvalue().strip().splitlines()
        # Only the runs that put something live are worth a line in the log.
        if any(line.startswith("Live:") for line in lines):
            logger.info("%s", "\n".join(lines))
    return output.getvalue()
