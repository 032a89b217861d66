"""`manage.py check_links` against a local test server (no internet): statuses, HEAD then GET,
redirects, timeouts, the per-host rate limit and the most links per run."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from links.external import HostRateLimiter, check_url
from links.models import Link, LinkStatus, LinkUse
from pages.models import Page, SiteSettings

pytestmark = pytest.mark.django_db

SLOW_SECONDS = 2.0
TIMEOUT = 0.5


class Handler(BaseHTTPRequestHandler):
    requests = []  # (method, path, monotonic time), shared with the test

    def log_message(self, *args):
        pass

    def _answer(self, body):
        Handler.requests.append((self.command, self.path, time.monotonic()))
        status = {
            "/ok": 200,
            "/missing": 404,
            "/error": 500,
            "/get-only": 405 if self.command == "HEAD" else 200,
        }.get(self.path)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            status = 200
        self.send_response(status or 404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):  # noqa: N802 - http.server's names
        self._answer(body=False)

    def do_GET(self):  # noqa: N802
        self._answer(body=True)


@pytest.fixture
def server(settings):
    # The only other link in the database (the default data licence): no internet in tests.
    SiteSettings.objects.update(data_licence_url="")
    Handler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # The test server is on this machine: this address and port (only) may be requested.
    settings.LINK_CHECK_ALLOWED_ADDRESSES = {("127.0.0.1", httpd.server_address[1])}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def page_linking(*urls):
    body = "\n".join(f"* [link {n}]({url})" for n, url in enumerate(urls))
    return Page.objects.create(title="Links", slug="links", body=body, is_published=True)


def run(**options):
    options = {"timeout": TIMEOUT, "per_host_interval": 0, **options}
    call_command("check_links", verbosity=0, **options)


def test_each_answer_is_recorded_with_where_the_link_is(server):
    page = page_linking(*(f"{server}{path}" for path in ["/ok", "/missing", "/error", "/moved"]))
    run()
    links = {link.url.removeprefix(server): link for link in Link.objects.all()}
    assert (links["/ok"].status, links["/ok"].status_code) == (LinkStatus.OK, 200)
    assert (links["/missing"].status, links["/missing"].status_code) == (LinkStatus.BROKEN, 404)
    assert (links["/error"].status, links["/error"].status_code) == (LinkStatus.BROKEN, 500)
    assert links["/moved"].status == LinkStatus.OK
    assert links["/moved"].redirects_to == f"{server}/ok"
    assert all(link.last_checked is not None for link in links.values())
    use = LinkUse.objects.get(link=links["/missing"])
    assert (use.object_id, use.field, use.object_label) == (page.pk, "body", str(page))


def test_head_first_then_get_where_head_is_refused(server):
    page_linking(f"{server}/ok", f"{server}/get-only", f"{server}/missing")
    run()
    methods = {}
    for method, path, _at in Handler.requests:
        methods.setdefault(path, []).append(method)
    assert methods["/ok"] == ["HEAD"]
    assert methods["/get-only"] == ["HEAD", "GET"]
    assert methods["/missing"] == ["HEAD", "GET"]  # some servers answer GET only
    assert Link.objects.get(url=f"{server}/get-only").status == LinkStatus.OK


def test_a_server_that_does_not_answer_in_time_is_broken(server):
    page_linking(f"{server}/slow")
    run()
    link = Link.objects.get()
    assert link.status == LinkStatus.BROKEN
    assert link.message == f"No answer within {TIMEOUT} s."


def test_requests_to_one_host_are_spaced_by_the_interval(server, monkeypatch):
    from links import external

    sent = []
    send = external._request

    def timed_request(*args):
        sent.append(time.monotonic())  # when the checker sends, not when the server reads
        return send(*args)

    monkeypatch.setattr(external, "_request", timed_request)
    page_linking(f"{server}/ok", f"{server}/error", f"{server}/missing")
    run(per_host_interval=0.3)
    times = sent
    assert len(times) == 5  # ok: HEAD; error and missing: HEAD then GET
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.3 - 0.01


def test_the_limiter_waits_only_for_the_same_host():
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limiter = HostRateLimiter(2, clock=lambda: now[0], sleep=sleep)
    limiter.wait("a.example")
    limiter.wait("b.example")
    now[0] += 0.5
    limiter.wait("a.example")
    assert slept == [1.5]


def test_at_most_max_links_per_run_never_checked_first(server):
    page_linking(f"{server}/ok", f"{server}/missing", f"{server}/error")
    run(max_links=2)
    assert Link.objects.filter(last_checked__isnull=False).count() == 2
    run(max_links=2)
    assert Link.objects.filter(last_checked__isnull=True).count() == 0


def test_private_addresses_are_not_requested_unless_allowed(server, settings):
    settings.LINK_CHECK_ALLOWED_ADDRESSES = set()
    result = check_url(f"{server}/ok", TIMEOUT, HostRateLimiter(0))
    assert result.ok is None
    assert Handler.requests == []


def test_internal_links_are_checked_in_the_same_run_and_removed_links_forgotten(server):
    page = page_linking("/projects/nothing/", f"{server}/ok")
    run(internal_only=True)
    internal = Link.objects.get(url="/projects/nothing/")
    assert internal.is_internal and internal.status == LinkStatus.BROKEN
    assert internal.message == "No such page"
    assert Link.objects.get(url=f"{server}/ok").status == LinkStatus.UNCHECKED
    assert Handler.requests == []
    Page.objects.filter(pk=page.pk).update(body="No links now.")  # no signal: the scan sees it
    run(internal_only=True)
    assert not Link.objects.exists()


def test_image_licence_addresses_and_document_descriptions_are_checked(
    server, admin_client, settings, tmp_path
):
    from django.urls import reverse

    from tests.factories import DocumentFactory
    from tests.library.images import make_image

    settings.MEDIA_ROOT = tmp_path / "media"
    image = make_image(alt_text="Harbour at dawn", licence="CC BY 4.0")
    image.licence_url = f"{server}/missing"
    image.save()
    document = DocumentFactory(description=f"See [the annex]({server}/error).")
    run()
    licence = Link.objects.get(url=f"{server}/missing")
    assert (licence.status, licence.status_code) == (LinkStatus.BROKEN, 404)
    use = LinkUse.objects.get(link=licence)
    assert (use.field, use.object_label) == ("licence_url", "Harbour at dawn")
    image_page = reverse("admin:library_image_change", args=[image.pk])
    assert use.admin_url() == image_page
    described = LinkUse.objects.get(link__url=f"{server}/error")
    assert described.object_id == document.pk and described.field == "description"
    assert described.link.status == LinkStatus.BROKEN

    # The editors' list of broken links says where: the image's admin page and its field.
    html = admin_client.get(reverse("admin:links_linkuse_changelist")).content.decode()
    assert f'<a href="{image_page}">Harbour at dawn</a>' in html
    assert "licence address" in html

    # A licence address removed from the image is forgotten at the next run.
    image.licence_url = ""
    image.save()
    run()
    assert not Link.objects.filter(url=f"{server}/missing").exists()
