"""The admin's Markdown editor in Chromium: toolbar, keyboard, live preview rendered by the
server, under an admin policy that allows only the site's own scripts."""

import pytest

from pages.models import Page

from .conftest import SCREENSHOTS
from .test_accessibility import AXE_TAGS, axe_source, format_violations

# Each test signs a new user in or edits a page: the demo to itself (see conftest.site).
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-browser-tests"


@pytest.fixture
def editor_page(make_context, site, django_user_model):
    django_user_model.objects.create_superuser("browser", "b@example.org", PASSWORD)
    about = Page.objects.get(slug="about")

    def open_editor(width=1280):
        context = make_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto("/admin/login/")
        page.fill("#id_username", "browser")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        response = page.goto(f"/admin/pages/page/{about.pk}/change/", wait_until="load")
        assert response.status == 200
        # The admin's policy allows only the site's own scripts: no inline script runs.
        assert "script-src 'self';" in response.headers["content-security-policy"] + ";"
        return context, page

    return open_editor


def test_typing_updates_the_preview_from_the_server(editor_page):
    context, page = editor_page()
    toolbar = page.locator(".field-body .markdown-toolbar")
    assert toolbar.is_visible()
    textarea = page.locator("#id_body")
    textarea.fill("# Our office\n\nWe work in *Belgrade*.\n\n<script>alert(1)</script>")
    preview = page.locator(".field-body .markdown-preview")
    preview.locator("h2", has_text="Our office").wait_for()
    assert preview.locator("em").inner_text() == "Belgrade"
    assert preview.locator("script").count() == 0
    findings = page.locator(".field-body .markdown-findings")
    findings.locator("li", has_text="<script> with everything in it").wait_for()
    assert findings.locator(".markdown-changed", has_text="level-2").count() == 1
    assert context.errors == [], context.errors  # no script refused by the policy, no error


def test_the_toolbar_works_from_the_keyboard(editor_page):
    context, page = editor_page()
    textarea = page.locator("#id_body")
    textarea.fill("")
    textarea.focus()
    page.keyboard.type("Figures")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+b")
    assert textarea.input_value() == "**Figures**"
    bold = page.get_by_role("button", name="Bold (Ctrl+B)")
    assert bold.get_attribute("type") == "button"  # never submits the form
    footnote = page.get_by_role("button", name="Footnote")
    footnote.focus()
    page.keyboard.press("Enter")
    assert "[^1]: Note text." in textarea.input_value()
    page.locator(".field-body .markdown-preview .notes").wait_for()
    assert context.errors == [], context.errors


def test_the_change_page_with_the_editor_passes_axe_and_is_screenshotted(editor_page):
    for width in (1280, 375):
        context, page = editor_page(width)
        page.locator("#id_body").fill(
            "## Approach\n\n* One\n* Two\n\n> A quote.[^1]\n\n[^1]: Note."
        )
        page.locator(".field-body .markdown-preview blockquote").wait_for()
        page.evaluate(axe_source())
        # Django's own split date/time widget (publish_at) has no label per input: not the
        # editor's, left to the admin forms' work; everything else on the page is checked.
        results = page.evaluate(
            """async (tags) => {
                const r = await axe.run({exclude: [['.field-publish_at']]},
                                        {runOnly: {type: 'tag', values: tags}});
                return {passes: r.passes.length, violations: r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                              summary: n.failureSummary}))}))};
            }""",
            AXE_TAGS,
        )
        assert results["passes"] > 0
        assert results["violations"] == [], format_violations("page change", results["violations"])
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".field-body").screenshot(
            path=str(SCREENSHOTS / f"markdown-editor-{width}.png")
        )
        page.screenshot(path=str(SCREENSHOTS / f"markdown-editor-page-{width}.png"), full_page=True)
        assert context.errors == [], context.errors


RICH_TEXT = """# How we count

Arrivals are **registered** by the authorities, *not* estimated.[^1] See
[the projects](/projects/) and [IOM](https://www.iom.int/).

## Sources

* Registrations by the ministries
* UNHCR figures

1. First step
2. Second step

> Figures are as the sources publish them.

| Area | Period | What is counted |
|:--|:--|--:|
| Bosnia and Herzegovina | 2024 | Registered arrivals, by nationality of the person arriving |
| Serbia | 2024 | Registered arrivals, by nationality of the person arriving |

### Terms

Arrival
: A person registered on entering.

[^1]: Where a source estimates, the figure is marked as an estimate.
"""


def test_a_public_page_with_every_supported_element(make_context, site):
    from django.core.management import call_command

    from .test_accessibility import check_axe

    about = Page.objects.get(slug="about")
    about.body = RICH_TEXT
    about.save()
    call_command("check_links", internal_only=True, verbosity=0)
    for width in (1280, 375):
        context = make_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        assert page.goto("/pages/about/", wait_until="load").status == 200
        assert page.locator(".prose h2", has_text="How we count").count() == 1
        assert page.locator(".prose table").count() == 1
        assert page.locator(".prose .notes li").count() == 1
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= width, f"horizontal overflow at {width}px: {scroll_width}"
        check_axe(page, "/pages/about/")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"markdown-page-{width}.png"), full_page=True)
        assert context.errors == [], context.errors
