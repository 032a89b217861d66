"""The territory footnote: every public page that names Kosovo shows its note exactly once,
and every in-page link resolves, both ways (regions/footnotes.py is the one mechanism)."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory

from regions.footnotes import FootnoteRegistry
from regions.models import Country
from tests.factories import CountryFactory, RegionFactory

# Pages that are not in the sitemap but are public (search, filters, errors).
EXTRA_PATHS = [
    "/projects/?country=kosovo",
    "/projects/?q=return",
    "/projects/?status=closed",
    "/no-such-page/",
]


class _Page(HTMLParser):
    """Visible text of the body, ids, in-page link targets."""

    def __init__(self):
        super().__init__()
        self.ids = []
        self.fragment_links = []
        self.text = []
        self._skip = 0
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self._in_body = True
        if tag in ("script", "style", "title"):
            self._skip += 1
        if "id" in attrs:
            self.ids.append(attrs["id"])
        href = attrs.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.fragment_links.append(href[1:])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if self._in_body and not self._skip:
            self.text.append(data)


def body(html):
    """The page after its head."""
    return html.split("</head>", 1)[1]


def parse(html):
    page = _Page()
    page.feed(html)
    return page


def public_paths(client):
    """Every URL of the sitemap (regions, countries, projects, indicators, pages...) plus
    the public pages the sitemap does not list."""
    xml = client.get("/sitemap.xml").content.decode()
    paths = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", xml)]
    return paths + EXTRA_PATHS


@pytest.mark.django_db
def test_every_public_page_shows_the_footnote_once_where_kosovo_is_named(client):
    call_command("load_demo", without_source_files=True, verbosity=0)
    kosovo = Country.objects.get(iso_code="XK")
    paths = public_paths(client)
    assert {"/statistics/", "/countries/kosovo/", "/pages/about/", "/projects/"} <= set(paths)
    named = []
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        html = response.content.decode()
        page = parse(html)
        text = " ".join(page.text)
        missing = sorted(set(page.fragment_links) - set(page.ids))
        assert not missing, f"{path}: in-page links to nothing: {missing}"
        if "Kosovo" in text:
            named.append(path)
            assert page.ids.count("footnote-xk") == 1, path
            # Once where readers see it (the head's dataset record carries it as data).
            assert body(html).count(kosovo.footnote) == 1, path
            assert "footnote-xk" in page.fragment_links, f"{path}: no link to the note"
        else:
            assert "footnote-xk" not in page.ids, path
    # The pages that were missing it before: the statistics list and indicator pages, the
    # project list, other countries' pages (through the region's sources and filters).
    assert "/statistics/" in named or "Kosovo" not in client.get("/statistics/").content.decode()
    assert "/countries/kosovo/" in named and "/projects/" in named
    assert any(path.startswith("/statistics/") and path != "/statistics/" for path in named)


@pytest.mark.django_db
def test_the_back_link_goes_to_the_first_linked_mention():
    kosovo = CountryFactory(name="Kosovo", iso_code="XK", footnote="UNSCR 1244/99.")
    RegionFactory(countries=[kosovo])  # only a public country's name is footnoted in text
    template = Template(
        "{% load footnotes %}<p>{% country_name country link=True %}</p>"
        "<p>{% footnoted text %}</p><p>{% footnoted text %}</p>{% footnote_list %}"
    )
    html = template.render(
        Context(
            {
                "country": kosovo,
                "text": "Offices in Kosovo* and <Kosovo>",
                "footnotes": FootnoteRegistry(),
            }
        )
    )
    assert html.count('id="fnref-xk"') == 1
    assert html.count('href="#footnote-xk"') == 5  # every mention links to the note
    assert html.count('<li id="footnote-xk">') == 1
    assert '<a href="#fnref-xk" class="footnote-back">' in html
    assert "&lt;Kosovo" in html  # plain text is escaped


def test_a_name_inside_a_link_gets_a_plain_asterisk():
    kosovo = CountryFactory.build(name="Kosovo", iso_code="XK", footnote="Note.")
    registry = FootnoteRegistry(loader=lambda: [kosovo])
    from django.utils.safestring import mark_safe

    html = registry.scan(mark_safe('<p><a href="/x">Kosovo* office</a> in Kosovo</p>'))
    assert '<a href="/x">Kosovo* office</a>' in html  # no link inside a link
    assert html.endswith('id="fnref-xk">*<span class="visually-hidden"> (see note)</span></a></p>')
    assert [note.ref_id for note in registry.notes] == ["fnref-xk"]


def test_names_are_matched_as_whole_words():
    kosovo = CountryFactory.build(name="Kosovo", iso_code="XK", footnote="Note.")
    registry = FootnoteRegistry(loader=lambda: [kosovo])
    assert str(registry.scan("Kosovoska street")) == "Kosovoska street"
    assert not registry


def test_a_mentions_block_registers_without_changing_its_content():
    kosovo = CountryFactory.build(name="Kosovo", iso_code="XK", footnote="Note.")
    registry = FootnoteRegistry(loader=lambda: [kosovo])
    request = RequestFactory().get("/")
    html = Template(
        "{% load footnotes %}{% mentions %}<option>Kosovo*</option>{% endmentions %}"
        "{% footnote_list %}"
    ).render(Context({"footnotes": registry, "request": request}))
    assert html.startswith("<option>Kosovo*</option>")
    assert '<li id="footnote-xk">' in html and "fnref-xk" not in html  # nothing to go back to


@pytest.mark.django_db
def test_free_text_naming_kosovo_brings_the_note(client):
    """A name written in free text (a project's title and summary, no country attached)."""
    from tests.factories import ProjectFactory, RegionFactory

    kosovo = CountryFactory(name="Kosovo", slug="kosovo", iso_code="XK", footnote="UNSCR note.")
    region = RegionFactory(slug="wb", countries=[kosovo])
    ProjectFactory(
        slug="bp", title="Border police in Kosovo*", summary="Work in Kosovo.", regions=[region]
    )
    for path in ("/projects/", "/projects/bp/"):
        html = client.get(path).content.decode()
        page = parse(html)
        assert page.ids.count("footnote-xk") == 1 and html.count("UNSCR note.") == 1, path
        assert "fnref-xk" in page.ids and "footnote-xk" in page.fragment_links, path
        assert not set(page.fragment_links) - set(page.ids), path
