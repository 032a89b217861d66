"""Security headers, the admin's content security policy, and the client address for
login throttling (the throttle's limits: wbportal.login_throttle)."""

import logging

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with settings.ADMIN_CONTENT_SECURITY_POLICY under the admin.

    Public pages always get the strict CONTENT_SECURITY_POLICY; only /admin/ (Django's and
    django-import-export's pages need inline styles and handlers) gets the relaxed one.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.ADMIN_URL_PREFIX)
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


class SecurityHeadersMiddleware:
    """The security headers on responses that never reached the middleware that sets them.

    First in MIDDLEWARE. A request refused before the view (e.g. the 400 for a Host not in
    ALLOWED_HOSTS, raised by the first middleware that reads the host) is answered without
    passing the CSP and clickjacking middleware further down, and even SecurityMiddleware's
    headers are missing when it is the one that refused. Each header is added only if absent,
    so the admin's own policy and every other response stay as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response.headers["Content-Security-Policy"] = build_policy()
        # A view that may be framed (xframe_options_exempt: the chart embed) stays so.
        if "X-Frame-Options" not in response and not getattr(
            response, "xframe_options_exempt", False
        ):
            response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        if settings.SECURE_CONTENT_TYPE_NOSNIFF and "X-Content-Type-Options" not in response:
            response.headers["X-Content-Type-Options"] = "nosniff"
        if settings.SECURE_REFERRER_POLICY and "Referrer-Policy" not in response:
            response.headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
        return response


def client_ip(request):
    """The client's address for login throttling (settings.AXES_CLIENT_IP_CALLABLE).

    With TRUSTED_PROXY_COUNT = n > 0, the n-th address from the right of X-Forwarded-For, the
    one our own proxies saw (addresses further left are the client's to forge).
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


class WithoutTraceback(logging.Filter):
    """Log a record without its traceback (for messages any visitor can trigger at will)."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True
