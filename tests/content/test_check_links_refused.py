"""The link checker must not reach the servers behind the site: every hop (the link and each
redirect) is checked against the same address rules, the connection goes to the address that
was checked (no DNS rebinding), redirects are bounded, and editors see only a category, never
an internal address, port or error text. One bad link never stops the run."""

import importlib
import ipaddress
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from links import external
from links.external import MAX_REDIRECTS, HostRateLimiter, check_url, refused_address
from links.models import Link, LinkStatus
from pages.models import Page, SiteSettings

pytestmark = pytest.mark.django_db

TIMEOUT = 0.5
PUBLIC_IP = "93.184.215.14"  # a public address; the tests connect it to a local server
REFUSED_AFTER_REDIRECT = "Not checked: redirects to a private or local address."
REFUSED = "Not checked: a private or local address."


class Recorder(BaseHTTPRequestHandler):
    """Answers /ok, redirects /to?u=<url> to <url>, /loop to itself; /secret is the page
    no link check may ever fetch. Each server's requests land in its own list."""

    def log_message(self, *args):
        pass

    def _answer(self):
        self.server.seen.append((self.command, self.path, self.headers.get("Host")))
        path = urlsplit(self.path)
        if path.path in {"/to", "/loop"}:
            target = parse_qs(path.query)["u"][0] if path.path == "/to" else "/loop"
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"the secret" if path.path == "/secret" else b"ok"
        self.send_response(200 if path.path in {"/ok", "/secret"} else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    do_HEAD = do_GET = _answer  # noqa: N815 - http.server's names


def start_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    httpd.seen = []
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    return httpd


@pytest.fixture
def servers(settings):
    """(public, secret): `public` stands for a site on the internet (its address and port are
    allowed, as tests do); `secret` is a service behind the site, on the same machine."""
    SiteSettings.objects.update(data_licence_url="")  # no internet in tests
    public, secret = start_server(), start_server()
    settings.LINK_CHECK_ALLOWED_ADDRESSES = {("127.0.0.1", public.server_address[1])}
    yield public, secret
    for httpd in (public, secret):
        httpd.shutdown()
        httpd.server_close()


def base(httpd):
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def redirect_to(public, target):
    return f"{base(public)}/to?u={quote(target, safe='')}"


def run():
    call_command("check_links", verbosity=0, timeout=TIMEOUT, per_host_interval=0)


def page_linking(*urls):
    body = "\n".join(f"* [link {n}]({url})" for n, url in enumerate(urls))
    return Page.objects.create(title="Links", slug="links", body=body, is_published=True)


REDIRECT_TARGETS = [
    "http://127.0.0.1:{port}/secret?token=1",
    "http://localhost:{port}/secret",
    "http://[::1]:{port}/secret",
    "http://2130706433:{port}/secret",  # 127.0.0.1 as one decimal number
    "http://0x7f000001:{port}/secret",
    "http://0177.0.0.1:{port}/secret",
    "http://[::ffff:127.0.0.1]:{port}/secret",  # IPv4-mapped IPv6
    "http://10.0.0.1/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://0.0.0.0:{port}/secret",
]


@pytest.mark.parametrize("target", REDIRECT_TARGETS)
def test_a_redirect_to_a_refused_address_is_not_followed_and_stored_as_a_category(servers, target):
    public, secret = servers
    port = secret.server_address[1]
    url = redirect_to(public, target.format(port=port))
    page_linking(url)
    run()
    link = Link.objects.get(url=url)
    assert secret.seen == []  # the secret is never fetched
    assert len(public.seen) == 1  # the redirect itself was read
    assert link.status == LinkStatus.SKIPPED
    assert (link.message, link.redirects_to, link.status_code) == (REFUSED_AFTER_REDIRECT, "", None)


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",
        "0x7f000001",
        "0177.0.0.1",
        "127.1",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "[::127.0.0.1]",
        "[::1]",
        "localhost",
        "0.0.0.0",
    ],
)
def test_a_link_to_a_local_address_in_any_spelling_is_not_requested(servers, host):
    _public, secret = servers
    result = check_url(
        f"http://{host}:{secret.server_address[1]}/secret", TIMEOUT, HostRateLimiter(0)
    )
    assert (result.ok, result.message) == (None, REFUSED)
    assert secret.seen == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",  # shared (carrier-grade NAT)
        "169.254.169.254",
        "224.0.0.1",  # multicast
        "239.255.255.250",
        "0.0.0.0",
        "240.0.0.1",  # reserved
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fec0::1",  # site-local
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::127.0.0.1",  # IPv4-compatible
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
    ],
)
def test_refused_addresses(address):
    assert refused_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert not refused_address(ipaddress.ip_address(address))


def test_a_name_resolving_to_a_refused_address_among_public_ones_is_refused(servers, monkeypatch):
    _public, secret = servers
    port = secret.server_address[1]
    answers = [(socket.AF_INET, (PUBLIC_IP, port)), (socket.AF_INET, ("127.0.0.1", port))]
    monkeypatch.setattr(external, "resolve", lambda host, port: answers)
    result = check_url(f"http://mixed.example:{port}/secret", TIMEOUT, HostRateLimiter(0))
    assert (result.ok, result.message) == (None, REFUSED)
    assert secret.seen == []


def test_the_connection_goes_to_the_address_that_was_checked(servers, monkeypatch):
    """DNS rebinding: the name answers a public address when checked and 127.0.0.1 after;
    the request must go to the public one (here served by the `public` test server)."""
    public, secret = servers
    port = secret.server_address[1]
    resolved = []

    def rebinding_resolver(host, port):
        resolved.append(host)
        address = PUBLIC_IP if len(resolved) == 1 else "127.0.0.1"
        return [(socket.AF_INET, (address, port))]

    connected = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        connected.append(address)
        if address[0] == PUBLIC_IP:  # "the internet": the public test server
            address = ("127.0.0.1", public.server_address[1])
        return real_connect(sock, address)

    monkeypatch.setattr(external, "resolve", rebinding_resolver, raising=False)
    monkeypatch.setattr(socket.socket, "connect", connect)
    url = f"http://rebind.example:{port}/ok"
    result = check_url(url, TIMEOUT, HostRateLimiter(0))
    assert connected == [(PUBLIC_IP, port)]
    assert secret.seen == []
    assert public.seen == [("HEAD", "/ok", f"rebind.example:{port}")]  # the name, not the IP
    assert (result.ok, result.status_code, result.message) == (True, 200, "OK")


def test_redirects_are_bounded(servers):
    public, _secret = servers
    result = check_url(f"{base(public)}/loop", TIMEOUT, HostRateLimiter(0))
    assert (result.ok, result.message) == (False, "Too many redirects.")
    assert len(public.seen) == MAX_REDIRECTS + 1


def test_a_redirect_between_allowed_addresses_is_followed(servers):
    public, _secret = servers
    result = check_url(redirect_to(public, "/ok"), TIMEOUT, HostRateLimiter(0))
    assert (result.ok, result.redirects_to) == (True, f"{base(public)}/ok")


def test_a_failed_connection_is_stored_without_error_text(settings):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nobody listens on that port now
    settings.LINK_CHECK_ALLOWED_ADDRESSES = {("127.0.0.1", port)}
    result = check_url(f"http://127.0.0.1:{port}/", TIMEOUT, HostRateLimiter(0))
    assert (result.ok, result.message) == (False, "Connection failed.")


def test_https_to_a_server_that_does_not_speak_tls_is_a_category(servers):
    public, _secret = servers
    url = f"https://127.0.0.1:{public.server_address[1]}/ok"
    result = check_url(url, TIMEOUT, HostRateLimiter(0))
    assert (result.ok, result.message) == (False, "Secure connection failed.")


@pytest.mark.parametrize(
    "url",
    [
        "http://a..b/",
        f"http://{'a' * 64}.example/",  # a label over 63 characters
        f"http://{'a.' * 130}example/",  # a name over 253 characters
        "http://example.org:99999/",
        "http://[::1/",
        "http://exa mple.org/",
    ],
)
def test_an_invalid_address_is_recorded_as_such(url):
    result = check_url(url, TIMEOUT, HostRateLimiter(0))
    assert (result.ok, result.message) == (False, "Not a valid web address.")


def test_one_bad_link_does_not_stop_the_run(servers):
    public, _secret = servers
    page_linking("http://a..b/", f"{base(public)}/ok")
    run()
    bad = Link.objects.get(url="http://a..b/")
    assert (bad.status, bad.message) == (LinkStatus.BROKEN, "Not a valid web address.")
    assert Link.objects.get(url=f"{base(public)}/ok").status == LinkStatus.OK


def test_a_link_the_checker_cannot_handle_is_recorded_and_the_run_goes_on(servers, monkeypatch):
    public, _secret = servers
    resolve = external.resolve

    def failing_resolver(host, port):
        if host == "unexpected.example":
            raise RuntimeError("internal detail 10.0.0.7:6379")
        return resolve(host, port)

    monkeypatch.setattr(external, "resolve", failing_resolver)
    page_linking("http://unexpected.example/", f"{base(public)}/ok")
    run()
    odd = Link.objects.get(url="http://unexpected.example/")
    assert (odd.status, odd.message) == (LinkStatus.SKIPPED, "Could not be checked.")
    assert Link.objects.get(url=f"{base(public)}/ok").status == LinkStatus.OK


@pytest.fixture
def tls_server(tmp_path, settings, monkeypatch):
    """An HTTPS server on 127.0.0.1 with a certificate for pinned.example from a test CA that
    the checker trusts (SSL_CERT_FILE); yields (port, the SNI names it was sent)."""
    openssl = ["openssl", "req", "-x509", "-nodes", "-newkey", "rsa:2048", "-days", "2"]
    ca_key, ca, key, csr, cert = (tmp_path / n for n in ["ca.key", "ca.pem", "k", "csr", "c"])
    subprocess.run(
        [*openssl, "-keyout", ca_key, "-out", ca, "-subj", "/CN=test CA"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["openssl", "req", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", key]
        + ["-out", csr, "-subj", "/CN=pinned.example"],
        check=True,
        capture_output=True,
    )
    (tmp_path / "ext").write_text("subjectAltName=DNS:pinned.example\n")
    subprocess.run(
        ["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial"]
        + ["-days", "2", "-out", cert, "-extfile", tmp_path / "ext"],
        check=True,
        capture_output=True,
    )
    names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, context: names.append(name)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    httpd.seen = []
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    port = httpd.server_address[1]
    settings.LINK_CHECK_ALLOWED_ADDRESSES = {("127.0.0.1", port)}
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    monkeypatch.setattr(
        external, "resolve", lambda host, port: [(socket.AF_INET, ("127.0.0.1", port))]
    )
    yield port, names
    httpd.shutdown()
    httpd.server_close()


def test_https_to_the_pinned_address_verifies_the_certificate_for_the_host_name(tls_server):
    port, names = tls_server
    result = check_url(f"https://pinned.example:{port}/ok", TIMEOUT, HostRateLimiter(0))
    assert (result.ok, result.status_code) == (True, 200)
    assert names == ["pinned.example"]  # SNI carries the name, not the address
    other = check_url(f"https://other.example:{port}/ok", TIMEOUT, HostRateLimiter(0))
    assert (other.ok, other.message) == (False, "Secure connection failed.")


def test_results_stored_before_the_fix_are_forgotten_by_the_migration():
    """An upgraded database may hold an internal error text or the final address of a
    redirect to a server behind the site: the migration clears them, keeps each status, and
    puts those links first in line for the next check."""
    page_linking("http://old.example/", "/projects/nothing/")
    old = Link.objects.get(url="http://old.example/")
    Link.objects.filter(pk=old.pk).update(
        status=LinkStatus.OK,
        message="Redirects to http://127.0.0.1:9912/internal-only?secret=1",
        redirects_to="http://127.0.0.1:9912/internal-only?secret=1",
        last_checked=timezone.now(),
    )
    internal = Link.objects.get(url="/projects/nothing/")
    migration = importlib.import_module("links.migrations.0003_forget_unsafe_check_results")
    state = MigrationExecutor(connection).loader.project_state(
        ("links", "0003_forget_unsafe_check_results")
    )
    migration.forget_external_results(state.apps, SimpleNamespace(connection=connection))
    old.refresh_from_db()
    assert (old.status, old.message, old.redirects_to) == (LinkStatus.OK, "", "")
    assert old.last_checked is None
    assert Link.objects.get(pk=internal.pk).message == internal.message  # site links stay
