"""The sanitiser (richtext/sanitiser.py, through richtext/rendering.py): what it keeps, what it
removes, and that it says so."""

import re

import pytest

from richtext.rendering import render, render_markdown


def test_markdown_renders_structure():
    html = render_markdown("## Approach\n\n* **one**\n* [two](https://example.org)")
    assert html.startswith('<div class="prose">')
    assert "<h2>Approach</h2>" in html
    assert "<strong>one</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">two</a>' in html


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("## Two\n\n### Three\n\n#### Four", ["<h2>Two</h2>", "<h3>Three</h3>", "<h4>Four</h4>"]),
        ("* a\n* b", ["<ul>", "<li>a</li>"]),
        ("1. a\n2. b", ["<ol>", "<li>b</li>"]),
        ("> Quoted", ["<blockquote>", "<p>Quoted</p>"]),
        ("*it* and **bold**", ["<em>it</em>", "<strong>bold</strong>"]),
        (
            "[site](/projects/) [mail](mailto:a@example.org) [tel](tel:+381)",
            [
                'href="/projects/"',
                'href="mailto:a@example.org"',
                'href="tel:+381"',
            ],
        ),
        (
            "| A | B |\n|:--|--:|\n| 1 | 2 |",
            [
                "<table>",
                '<th class="align-left">A</th>',
                '<td class="align-right">2</td>',
            ],
        ),
        ("Term\n: Definition", ["<dl>", "<dt>Term</dt>", "<dd>Definition</dd>"]),
        ("`code` and\n\n```python\nx = 1\n```", ["<code>code</code>", 'class="language-python"']),
        (
            "![A map of the region](/media/library/map.png)",
            [
                '<img alt="A map of the region" src="/media/library/map.png">',
            ],
        ),
    ],
)
def test_each_supported_element_is_kept_and_nothing_reported(source, kept):
    rendering = render(source)
    for fragment in kept:
        assert fragment in rendering.html, fragment
    assert rendering.findings == ()


def test_footnotes_are_kept_with_ids_that_survive_and_link_up():
    rendering = render("Arrivals rose.[^1]\n\n[^1]: IOM, May 2025.")
    html = rendering.html
    assert rendering.findings == ()
    ref = re.search(r'<sup id="(fnref-[0-9a-f]{8}-1)"><a class="note-ref" href="#([^"]+)"', html)
    note = re.search(r'<li id="(fn-[0-9a-f]{8}-1)">', html)
    assert ref and note, html
    assert ref[2] == note[1]
    assert f'href="#{ref[1]}"' in html  # the back link
    assert '<div class="notes">' in html


def test_two_texts_on_one_page_never_share_a_footnote_id():
    first = render("One.[^1]\n\n[^1]: First note.").html
    second = render("Two.[^1]\n\n[^1]: Second note.").html
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert len(ids) == 4
    assert len(set(ids)) == 4


@pytest.mark.parametrize(
    ("source", "forbidden", "kind"),
    [
        ("<script>alert(1)</script>", "<script", "script"),
        ("[click](javascript:alert(1))", "javascript:", "link"),
        ('<img src=x onerror="alert(1)">', "onerror", "image"),
        ('<a href="#" onclick="steal()">x</a>', "onclick", "attribute"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe", "html"),
        ('<p style="position:fixed">x</p>', "style=", "attribute"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:", "link"),
        ("![Map](http://tiles.example/map.png)", "<img", "image"),
        ("<!-- a note to self -->", "note to self", "comment"),
        ('<li id="evil">x</li>', 'id="evil"', "attribute"),
    ],
)
def test_anything_executable_or_foreign_is_removed_and_reported(source, forbidden, kind):
    rendering = render(source)
    assert forbidden not in rendering.html.lower()
    assert kind in [finding.kind for finding in rendering.removed], rendering.findings


def test_an_external_image_is_reported_with_its_address():
    rendering = render("Before ![Map](http://tiles.example/map.png) after.")
    assert "<p>Before  after.</p>" in rendering.html
    [finding] = rendering.removed
    assert "http://tiles.example/map.png" in finding.message
    assert "media library" in finding.message


def test_h1_is_demoted_to_h2_and_reported_as_a_change():
    rendering = render("# Our work\n\nText.\n\n###### Tiny")
    assert "<h2>Our work</h2>" in rendering.html
    assert "<h4>Tiny</h4>" in rendering.html
    assert "<h1" not in rendering.html
    assert rendering.removed == []
    messages = [finding.message for finding in rendering.changed]
    assert any("“Our work”" in message and "level-2" in message for message in messages)
    assert any("“Tiny”" in message and "level-4" in message for message in messages)


def test_empty_markdown_is_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
