"""The nginx configuration shipped for production (deploy/nginx/wbportal.conf): slow clients
are held by nginx, never by a gunicorn worker (slowloris), and its limits match the site's."""

import os
import re
import runpy
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "nginx" / "wbportal.conf"
SITE = "wb.example.org"
TOKEN = re.compile(r'"[^"]*"|\'[^\']*\'|[{};]|[^\s{};"\']+')
UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


@dataclass
class Block:
    """A block of nginx directives: `name args { ... }` (the file itself: name "")."""

    name: str
    args: list[str]
    directives: list[tuple[str, list[str]]] = field(default_factory=list)
    blocks: list["Block"] = field(default_factory=list)

    def values(self, directive):
        return [args for name, args in self.directives if name == directive]

    def value(self, directive):
        (args,) = self.values(directive)
        return " ".join(args)

    def children(self, name, *args):
        return [b for b in self.blocks if b.name == name and (not args or b.args == list(args))]


def parse(text):
    text = "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in text.splitlines())
    stack, words = [Block("", [])], []
    for token in TOKEN.findall(text):
        if token == "{":
            block = Block(words[0], words[1:])
            stack[-1].blocks.append(block)
            stack.append(block)
            words = []
        elif token == "}":
            assert not words, words
            stack.pop()
        elif token == ";":
            stack[-1].directives.append((words[0], [w.strip("\"'") for w in words[1:]]))
            words = []
        else:
            words.append(token)
    assert len(stack) == 1 and not words, "unbalanced braces"
    return stack[0]


def seconds(value):
    number, unit = re.fullmatch(r"(\d+)(ms|s|m)?", value).groups()
    return int(number) * {"ms": 0.001, "s": 1, "m": 60, None: 1}[unit]


def size(value):
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * UNITS[unit]


@pytest.fixture(scope="module")
def config():
    return parse(CONFIG.read_text())


@pytest.fixture(scope="module")
def site(config):
    """The HTTPS server of the site."""
    (server,) = [
        s for s in config.children("server") if s.values("server_name") == [[SITE]]
        and any("ssl" in listen for listen in s.values("listen"))
    ]  # fmt: skip
    return server


def proxied_locations(config):
    for server in config.children("server"):
        for location in server.children("location"):
            if location.values("proxy_pass"):
                yield server, location


def test_slow_clients_are_timed_out_by_nginx(config):
    """Every server answering the site reads a request's headers and body, and writes its
    response, within short timeouts (gunicorn's sync workers have none of their own)."""
    for server in config.children("server"):
        if not server.values("server_name"):
            continue  # the default server answers nothing
        for directive in ("client_header_timeout", "client_body_timeout", "send_timeout"):
            assert seconds(server.value(directive)) <= 15, directive
        assert seconds(server.value("keepalive_timeout")) <= 30


def test_requests_and_responses_are_buffered_whole(config):
    """nginx passes a request on only once it has all of it, and takes the response at once."""
    for _server, location in proxied_locations(config):
        for directive in ("proxy_request_buffering", "proxy_buffering"):
            assert location.values(directive) in ([], [["on"]]), directive


def test_it_proxies_to_gunicorn_on_the_loopback_address(config, monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    bind = runpy.run_path(str(ROOT / "wbportal" / "gunicorn.conf.py"))["bind"]
    (upstream,) = config.children("upstream")
    assert [args[0] for args in upstream.values("server")] == [bind]
    assert bind.startswith("127.0.0.1:")
    for _server, location in proxied_locations(config):
        assert location.value("proxy_pass") == f"http://{upstream.args[0]}"


def test_forwarded_headers_are_set_by_nginx_not_passed_from_the_client(config):
    """Host without a port, the client address nginx saw (TRUSTED_PROXY_COUNT=1) and the
    scheme; a client's X-Forwarded-Host and Forwarded are dropped."""
    for _server, location in proxied_locations(config):
        headers = {args[0]: args[1] for args in location.values("proxy_set_header")}
        assert headers == {
            "Host": "$host",
            "X-Forwarded-For": "$remote_addr",
            "X-Forwarded-Proto": "$scheme",
            "X-Forwarded-Host": "",
            "Forwarded": "",
        }


def test_the_request_size_limit_is_the_sites(site):
    assert size(site.value("client_max_body_size")) == settings.UPLOAD_MAX_REQUEST_BYTES


def test_only_library_images_are_served_from_media_and_as_downloads(site):
    (library,) = site.children("location", "/media/library/")
    assert library.value("alias").rstrip("/").endswith("/media/library")
    headers = {args[0]: args[1] for args in library.values("add_header")}
    assert headers["Content-Disposition"] == "attachment"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in headers["Content-Security-Policy"]
    # Documents and everything else under /media/ go to the app, which applies the
    # publication rule; nginx serves no other folder of MEDIA_ROOT.
    assert not site.children("location", "/media/")


def test_document_files_are_sent_only_from_an_internal_location(site):
    (protected,) = site.children("location", settings.DOCUMENT_SENDFILE_PREFIX)
    assert protected.values("internal") == [[]]
    headers = {args[0]: args[1] for args in protected.values("add_header")}
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in headers["Content-Security-Policy"]


def nginx_binary():
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return shutil.which("nginx", path=path)


@pytest.mark.skipif(
    nginx_binary() is None, reason="nginx is not installed (apt-get install nginx-light)"
)
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")
def test_nginx_accepts_the_configuration(tmp_path):
    """`nginx -t` on the file as shipped, but for a throw-away certificate."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=test", "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    site = (
        CONFIG.read_text()
        .replace("/etc/ssl/wbportal/fullchain.pem", str(tmp_path / "cert.pem"))
        .replace("/etc/ssl/wbportal/privkey.pem", str(tmp_path / "key.pem"))
    )
    (tmp_path / "site.conf").write_text(site)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n{temp_paths}\n    access_log off;\n    include {tmp_path / 'site.conf'};\n}}\n"
    )
    result = subprocess.run(
        [nginx_binary(), "-t", "-p", tmp_path, "-c", tmp_path / "nginx.conf"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
