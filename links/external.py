"""Checking external links over HTTP: HEAD first, GET when HEAD is refused, a timeout, and at
most one request per host per interval (other sites' servers are not ours to hammer).

The checker must not become a way to reach the servers behind the site, so every hop (the
link and each redirect target) is resolved once, refused if any of its addresses is not a
public one (`refused_address`), and the connection goes to the address that was checked
(`PinnedHTTPConnection`): a name that resolves differently the second time (DNS rebinding)
changes nothing. Redirects are followed by this module, at most `MAX_REDIRECTS`. The result
is a plain category; no error text, internal address or port is ever stored, since editors
see the result.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "WB Portal link checker"
MAX_REDIRECTS = 5
REDIRECT_CODES = {301, 302, 303, 307, 308}
# Characters kept as they are in the path and query sent (RFC 3986's reserved and unreserved
# ones, and "%" so that escapes stay escapes); others, e.g. non-ASCII letters, are escaped.
_SAFE_IN_TARGET = "/%:@!$&'()*+,;=?~-._"


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


def _embedded_ipv4(address):
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64), or
    None: each is a way to name an IPv4 host, so it is checked as that host too."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    packed = int(address)
    if packed >> 32 == 0 or address in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(packed & 0xFFFFFFFF)  # IPv4-compatible, or NAT64
    return None


def refused_address(address):
    """True for an address the checker must not connect to: loopback, private, shared,
    link-local, multicast, unspecified or reserved, in IPv4 or IPv6 (and an IPv6 address
    that carries such an IPv4 address)."""
    if (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or getattr(address, "is_site_local", False)
    ):
        return True
    embedded = _embedded_ipv4(address) if address.version == 6 else None
    return embedded is not None and refused_address(embedded)


def allowed_for_tests(address, port):
    """An address and port the settings allow although they are local (tests only)."""
    return (str(address), port) in settings.LINK_CHECK_ALLOWED_ADDRESSES


def resolve(host, port):
    """The addresses `host` resolves to, as getaddrinfo gives them ([(family, sockaddr)])."""
    return [
        (family, sockaddr)
        for family, _type, _proto, _name, sockaddr in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )
    ]


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a given address (already checked), sending the URL's host name
    in the Host header: the host name is never resolved again."""

    def __init__(self, host, port, sockaddr, family, timeout):
        super().__init__(host, port, timeout=timeout)
        self.pinned_sockaddr = sockaddr
        self.pinned_family = family

    def connect(self):
        sock = socket.socket(self.pinned_family, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(self.pinned_sockaddr)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """The same over TLS: the certificate is verified for the URL's host name (sent as SNI)."""

    default_port = 443

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tls_context = ssl.create_default_context()

    def connect(self):
        super().connect()
        self.sock = self.tls_context.wrap_socket(self.sock, server_hostname=self.host)


class Refused(Exception):
    """A hop the checker does not request: `message` is the category shown to editors (for a
    redirect target: `redirect_message`), `broken` tells a link that cannot work (a bad
    address) from one that is not checked."""

    def __init__(self, message, broken, redirect_message=None):
        super().__init__(message)
        self.message = message
        self.broken = broken
        self.redirect_message = redirect_message or _("Redirects to an address that does not work.")


@dataclass(frozen=True)
class Hop:
    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP address, as sent in the Host header
    port: int
    target: str  # path and query, as sent


def _hop(url):
    """The parts of `url` needed to request it; Refused for what is not a valid web address."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in {"http", "https"} or not parts.hostname:
            raise Refused(
                _("Not a web address."),
                broken=False,
                redirect_message=_("Not checked: redirects to something other than a web page."),
            )
        host = parts.hostname
        try:
            host = str(ipaddress.ip_address(host))
        except ValueError:
            host = host.encode("idna").decode("ascii")  # UnicodeError for a..b or a too long name
        port = parts.port or (443 if scheme == "https" else 80)
        target = quote(parts.path or "/", safe=_SAFE_IN_TARGET)
        if parts.query:
            target += "?" + quote(parts.query, safe=_SAFE_IN_TARGET)
    except (ValueError, UnicodeError) as exc:  # a bad port, "[::1", a bad host name
        raise Refused(_("Not a valid web address."), broken=True) from exc
    if not host or len(host) > 253 or any(ord(c) < 33 for c in host):
        raise Refused(_("Not a valid web address."), broken=True)
    return Hop(url, scheme, host, port, target)


def _addresses(hop):
    """The checked addresses to connect to for `hop`: Refused if the name does not resolve
    or if ANY address it resolves to is refused (one answer among several could be chosen)."""
    try:
        found = resolve(hop.host, hop.port)
    except (OSError, UnicodeError) as exc:
        raise Refused(_("Host not found."), broken=True) from exc
    if not found:
        raise Refused(_("Host not found."), broken=True)
    for _family, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if refused_address(address) and not allowed_for_tests(address, hop.port):
            raise Refused(
                _("Not checked: a private or local address."),
                broken=False,
                redirect_message=_("Not checked: redirects to a private or local address."),
            )
    return found


def _request(hop, method, timeout, addresses):
    """Send one request for `hop` to the first of `addresses` that connects: (status, Location)."""
    connection_class = PinnedHTTPSConnection if hop.scheme == "https" else PinnedHTTPConnection
    last_error = None
    for family, sockaddr in addresses:
        connection = connection_class(hop.host, hop.port, sockaddr, family, timeout)
        try:
            connection.request(method, hop.target, headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            if method == "GET":
                response.read(1024)
            return response.status, response.getheader("Location")
        except ConnectionRefusedError as exc:
            last_error = exc  # try the next checked address
        finally:
            connection.close()
    raise last_error


def _follow(url, method, timeout, limiter):
    """Request `url` and the redirects it leads to (each one checked before it is requested)."""
    current = url
    for redirects in range(MAX_REDIRECTS + 1):
        try:
            hop = _hop(current)
            addresses = _addresses(hop)
        except Refused as refused:
            if redirects == 0:
                return CheckResult(False if refused.broken else None, message=refused.message)
            # Nothing about the target is stored: it may be an address behind the site.
            return CheckResult(False if refused.broken else None, message=refused.redirect_message)
        limiter.wait(hop.host)
        try:
            status, location = _request(hop, method, timeout, addresses)
        except TimeoutError:
            return CheckResult(False, message=_("No answer within %(s)s s.") % {"s": timeout})
        except (ssl.SSLError, ssl.CertificateError):
            return CheckResult(False, message=_("Secure connection failed."))
        except (OSError, http.client.HTTPException):
            return CheckResult(False, message=_("Connection failed."))
        except (ValueError, UnicodeError):  # e.g. a target http.client will not send
            return CheckResult(False, message=_("Not a valid web address."))
        if status in REDIRECT_CODES and location:
            try:
                current = urljoin(current, location.strip())
            except ValueError:  # e.g. "http://[::1"
                return CheckResult(False, message=_("Redirects to an address that does not work."))
            continue
        if status >= 400 or status in REDIRECT_CODES:
            return CheckResult(False, status, _("HTTP %(code)s") % {"code": status})
        redirected = current if current != url else ""
        message = _("Redirects to %(url)s") % {"url": redirected} if redirected else "OK"
        return CheckResult(True, status, message[:500], redirected[:2000])
    return CheckResult(False, message=_("Too many redirects."))


def check_url(url, timeout, limiter):
    result = None
    for method in ("HEAD", "GET"):
        result = _follow(url, method, timeout, limiter)
        if result.status_code is None or result.ok:
            return result
        # some servers refuse HEAD (405, 403, 404...) but answer GET
    return result
