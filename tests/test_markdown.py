import pytest

from wbportal.markdown import render_markdown


def test_markdown_renders_structure():
    html = render_markdown("## Approach\n\n* **one**\n* [two](https://example.org)")
    assert "<h2>Approach</h2>" in html
    assert "<strong>one</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">two</a>' in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ('<a href="#" onclick="steal()">x</a>', "onclick"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ('<p style="position:fixed">x</p>', "style="),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ("# Second h1", "<h1"),
    ],
)
def test_markdown_strips_anything_executable(source, forbidden):
    assert forbidden not in render_markdown(source).lower()


def test_empty_markdown_is_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
