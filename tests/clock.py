"""Moments for tests that travel in time (time_machine)."""

from datetime import datetime, time

from django.utils import timezone


def midday():
    """Today at noon in the site's time zone: a start far from midnight, where cached pages
    and files end (a test that moves the clock minutes on must not cross a day)."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
