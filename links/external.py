"""Checking external links over HTTP: HEAD first, GET when HEAD is refused, a timeout, and at
most one request per host per interval (other sites' servers are not ours to hammer)."""

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "WB Portal link checker"


@dataclass(frozen=True)
class CheckResult:
    ok: bool | None  # None: not checked (e.g. a private address)
    status_code: int | None = None
    message: str = ""
    redirects_to: str = ""


class HostRateLimiter:
    """Waits so that two requests to one host are at least `interval` seconds apart."""

    def __init__(self, interval, clock=time.monotonic, sleep=time.sleep):
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._last = {}

    def wait(self, host):
        last = self._last.get(host)
        if last is not None:
            remaining = last + self.interval - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self._last[host] = self.clock()


def _is_private(host):
    """True when `host` resolves to an address of this machine or its network: the checker
    must not become a way to probe the servers behind the site."""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False  # unresolvable: the request itself fails and says so
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return True
    return False


def _request(url, method, timeout):
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
        if method == "GET":
            response.read(1024)
        return response.status, response.geturl()


def check_url(url, timeout, limiter):
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return CheckResult(None, message=_("Not a web address."))
    if not settings.LINK_CHECK_PRIVATE_HOSTS and _is_private(parts.hostname):
        return CheckResult(None, message=_("Not checked: a private or local address."))
    error = None
    for method in ("HEAD", "GET"):
        limiter.wait(parts.hostname.lower())
        try:
            status, final_url = _request(url, method, timeout)
        except urllib.error.HTTPError as exc:
            error = CheckResult(False, exc.code, _("HTTP %(code)s") % {"code": exc.code})
            continue  # some servers refuse HEAD (405, 403, 404...) but answer GET
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError | socket.timeout):
                return CheckResult(False, message=_("No answer within %(s)s s.") % {"s": timeout})
            return CheckResult(False, message=str(reason)[:500])
        redirected = final_url if final_url != url else ""
        message = _("Redirects to %(url)s") % {"url": redirected} if redirected else "OK"
        return CheckResult(True, status, message[:500], redirected[:2000])
    return error
