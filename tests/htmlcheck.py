"""Small structural checks on rendered pages (the full validator runs in the browser tests)."""

import re
from collections import Counter
from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()
        self.tags = Counter()
        self.meta = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] += 1
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        if tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta[key] = attrs.get("content", "")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.meta["canonical"] = attrs.get("href", "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(html):
    collector = _Collector()
    collector.feed(html)
    return collector


def assert_page_basics(html):
    page = parse(html)
    assert page.tags["h1"] == 1, "one h1 a page"
    assert page.tags["main"] == 1 and page.tags["header"] >= 1 and page.tags["footer"] >= 1
    duplicated = [i for i, n in page.ids.items() if n > 1]
    assert not duplicated, f"duplicate ids: {duplicated}"
    assert re.search(r'<html lang="[a-z-]+">', html)
    assert 'class="skip-link" href="#main"' in html
    for key in ("description", "og:title", "og:description", "og:type", "og:url", "og:site_name"):
        assert page.meta.get(key), f"missing {key}"
    assert page.meta["canonical"].startswith("http"), "canonical URL is absolute"
    return page
