"""The chart embed on another site, in Chromium: a host page on another origin (a small HTTP
server of its own, on 127.0.0.1 while the portal is on localhost) pastes the embed code of
two indicators; each frame takes its own content's height and follows it, nothing scrolls
inside a frame, the attribution comes first, and axe finds nothing inside the frames. Also
the citation's Copy button and the Data licence page, screenshotted at phone and desktop
width for a person to look at (test-artifacts/embeds/)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from statistics.embed import EMBED_HEIGHT, EMBED_MESSAGE_TYPE

import pytest

from .conftest import ROOT
from .test_accessibility import check_axe

SHOTS = ROOT / "test-artifacts" / "embeds"
PHONE, DESKTOP = 375, 1280
TOLERANCE = 10  # px between the frame's height and its content's
EMBEDDED = ["population", "arrivals-top-nationalities"]  # a line chart and a map; bars

FRAME_CONTENT_HEIGHT = "() => document.documentElement.getBoundingClientRect().height"


class HostPages:
    """Another site: answers every GET with `html` (favicon requests with 204)."""

    def __init__(self):
        self.html = ""
        pages = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path != "/article":
                    self.send_response(204)
                    self.end_headers()
                    return
                body = pages.html.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/article"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def host(settings, site):
    """The host page with the embed codes the indicators' JSON offers (SITE_URL: the live
    server, so the codes point at it and trust its origin)."""
    settings.SITE_URL = site.url
    pages = HostPages()
    yield pages
    pages.close()


def article(snippets):
    parts = "\n<p>Text between the charts.</p>\n".join(snippets)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>A news article</title><style>body{margin:0 auto;max-width:720px;padding:8px;"
        "font-family:serif}</style></head><body><main><h1>A news article</h1>"
        f"<p>Text before the charts.</p>\n{parts}\n<p>Text after the charts.</p>"
        "</main></body></html>"
    )


def embed_codes(context):
    codes = [
        context.context.request.get(f"/statistics/{code}.json").json()["embed"]["snippet"]
        for code in EMBEDDED
    ]
    # A site's editor may put a line break between the frame and its script.
    return [codes[0], codes[1].replace("\n", "\n<br>\n")]


def frames_of(page):
    frames = []
    for index in range(page.locator("iframe").count()):
        handle = page.locator("iframe").nth(index).element_handle()
        frame = handle.content_frame()
        frame.wait_for_load_state("load")
        frames.append((page.locator("iframe").nth(index), frame))
    return frames


def assert_attribution_in_view(iframe, frame, label):
    """The source (with its terms) and, where Kosovo is named, its note lie inside the
    frame's visible box: a reader sees them without scrolling the frame."""
    box = iframe.bounding_box()
    shown = [frame.locator(".embed-source").first]
    if "Kosovo" in frame.locator("body").inner_text():
        shown.append(frame.locator(".embed-notes p", has_text="Kosovo"))
    for locator in shown:
        assert locator.is_visible(), f"{label}: {locator} is not shown"
        inner = locator.bounding_box()
        assert (
            box["y"] <= inner["y"] and inner["y"] + inner["height"] <= box["y"] + box["height"]
        ), f"{label}: {locator} lies outside the frame's visible {box['height']} px"
    terms = frame.locator(".embed-source").first.inner_text()
    assert "Licence" in terms or "licence or terms" in terms, terms


def wait_until_fitted(page, iframe, frame):
    """Wait (up to 5 s) until the iframe is as tall as its content, within TOLERANCE."""
    for _ in range(50):
        outer = iframe.bounding_box()["height"]
        inner = frame.evaluate(FRAME_CONTENT_HEIGHT)
        if abs(outer - inner) <= TOLERANCE:
            return outer, inner
        page.wait_for_timeout(100)
    raise AssertionError(f"the frame stays {outer} px high for {inner} px of content")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_an_embed_on_another_site_takes_its_contents_height(make_context, host, width):
    context = make_context(viewport={"width": width, "height": 900})
    host.html = article(embed_codes(context))
    page = context.new_page()
    assert page.goto(host.url, wait_until="load").status == 200
    heights = []
    for iframe, frame in frames_of(page):
        assert frame.url.startswith(context.base_url)  # the portal, another origin
        outer, inner = wait_until_fitted(page, iframe, frame)
        heights.append(outer)
        assert outer != EMBED_HEIGHT
        # Nothing scrolls inside the frame.
        assert frame.evaluate("() => document.documentElement.scrollHeight") <= outer + 1
        assert (
            frame.evaluate("() => document.documentElement.scrollWidth")
            <= (iframe.bounding_box()["width"])
        )
        # Title, source, terms and the Kosovo* note come before the first chart.
        credits = frame.locator(".embed-credits").bounding_box()
        chart = frame.locator(".embed-chart").first.bounding_box()
        assert credits["y"] + credits["height"] <= chart["y"]
        assert_attribution_in_view(iframe, frame, f"{frame.url} at {width} px")
        check_axe(frame, f"{frame.url} framed at {width} px")
    # Each frame took its own height: the other frame's messages are not its own.
    assert abs(heights[0] - heights[1]) > TOLERANCE
    assert frames_of(page)[0][1].get_by_text("This reference should be understood").is_visible()

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": int(sum(heights) + 400)})
    page.wait_for_timeout(300)
    bottom = page.evaluate("() => document.body.getBoundingClientRect().bottom")
    page.screenshot(
        path=str(SHOTS / f"host-{width}.png"),
        clip={"x": 0, "y": 0, "width": width, "height": bottom + 8},
    )

    # The content changes height (a narrower frame wraps more): the frame follows.
    iframe, frame = frames_of(page)[0]
    before = iframe.bounding_box()["height"]
    iframe.evaluate("element => { element.style.width = '300px'; }")
    outer, _ = wait_until_fitted(page, iframe, frame)
    assert outer > before + TOLERANCE

    # A message from anything but the portal's own frame changes nothing.
    page.evaluate("type => window.postMessage({type: type, height: 40}, '*')", EMBED_MESSAGE_TYPE)
    page.wait_for_timeout(300)
    assert abs(iframe.bounding_box()["height"] - outer) <= 1
    assert context.errors == []


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("script", ["none-anywhere", "stripped-by-the-host"])
def test_without_the_script_the_frame_keeps_its_size_and_the_attribution(
    make_context, host, width, script
):
    """The host page runs no script (and neither does the frame), or its editor kept only
    the <iframe> of the embed code: the frame keeps the code's fixed size, as wide as the
    column allows, with the source, its terms and the Kosovo* note at its top, in view; the
    chart below scrolls inside the frame."""
    scripts = script == "stripped-by-the-host"
    context = make_context(viewport={"width": width, "height": 900}, java_script_enabled=scripts)
    code = embed_codes(context)[0]
    host.html = article([code.split("<script>")[0] if scripts else code])
    page = context.new_page()
    page.goto(host.url, wait_until="load")
    iframe, frame = frames_of(page)[0]
    page.wait_for_timeout(500)
    box = iframe.bounding_box()
    assert abs(box["height"] - EMBED_HEIGHT) <= 1
    assert box["width"] <= width  # max-width: 100% on a phone
    assert_attribution_in_view(iframe, frame, f"fallback at {width} px ({script})")
    assert frame.get_by_text("This reference should be understood", exact=False).is_visible()
    # What does not fit is reached by scrolling inside the frame, not cut off.
    if frame.evaluate("() => document.documentElement.scrollHeight") > EMBED_HEIGHT:
        overflow = frame.evaluate("() => getComputedStyle(document.documentElement).overflowY")
        assert overflow != "hidden"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"fallback-{script}-{width}.png"), full_page=True)


def test_the_citation_names_the_source_and_copies(make_context):
    context = make_context(viewport={"width": DESKTOP, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto("/statistics/population/")
    citation = page.locator("#citation")
    assert citation.inner_text().startswith("World Bank, World Development Indicators")
    page.get_by_role("button", name="Copy the citation").click()
    page.get_by_role("status").filter(has_text="Copied.").wait_for(timeout=10_000)
    assert page.evaluate("navigator.clipboard.readText()") == citation.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 900})
        block = page.locator("#cite-heading").locator("xpath=..")
        page.locator("#cite-heading").scroll_into_view_if_needed()
        page.screenshot(
            path=str(SHOTS / f"citation-{width}.png"),
            clip=citation_clip(page, width),
        )
        assert block.is_visible()
    assert context.errors == []


def citation_clip(page, width):
    top = page.locator("#cite-heading").bounding_box()
    bottom = page.locator("#bibtex").bounding_box()
    y = top["y"] - 10
    return {"x": 0, "y": y, "width": width, "height": bottom["y"] + bottom["height"] + 70 - y}


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_licence_page_lists_the_sources_terms(make_context, width):
    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto("/pages/data-licence/")
    listed = page.locator(".licence-source-list li")
    assert listed.count() >= 2
    assert page.get_by_text("The source states no licence or terms of use.").count() >= 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    check_axe(page, f"/pages/data-licence/ at {width} px")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"licence-{width}.png"), full_page=True)
    assert context.errors == []
