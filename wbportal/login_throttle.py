"""Login throttling: django-axes' lockout per user name and address, and our wider limits.

Not in wbportal.security: that module is loaded by the logging settings, before the apps
whose models this one reads.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with two wider limits besides its own.

    Axes locks a user name AND address pair (AXES_LOCKOUT_PARAMETERS) after AXES_FAILURE_LIMIT
    failures, so nobody can lock a colleague out from their own address with a few guesses.
    Axes compares every lockout parameter with one limit; the wider, higher limits are ours:
    LOGIN_USERNAME_FAILURE_LIMIT failures for one user name from any addresses (guessing
    spread over many addresses) and LOGIN_ADDRESS_FAILURE_LIMIT from one address for any user
    names (one password tried on many names). Both count axes' own failure records within
    the cool-off time, so they expire and reset as axes' lockouts do.
    """

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or self.over_wider_limit(
            request, credentials
        )

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or request.axes_locked_out:
            return
        if self.over_wider_limit(request, credentials):
            # As axes does when its own limit is reached: this failure answers the lockout.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def over_wider_limit(self, request, credentials=None):
        username = get_client_username(request, credentials)
        if username and (
            self.recent_failures(request, username=username)
            >= settings.LOGIN_USERNAME_FAILURE_LIMIT
        ):
            return True
        address = request.axes_ip_address
        return bool(address) and (
            self.recent_failures(request, ip_address=address)
            >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        )

    @staticmethod
    def recent_failures(request, **match):
        """Failed logins matching `match` within the cool-off time (as axes counts them)."""
        attempts = AccessAttempt.objects.filter(
            attempt_time__gte=get_cool_off_threshold(request), **match
        )
        return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
