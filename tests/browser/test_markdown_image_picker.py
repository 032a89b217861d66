"""The Markdown editor's image picker in Chromium: the toolbar's image button opens a labelled
modal dialog that searches the media library; choosing an image inserts its reference at the
cursor and the live preview shows it. All by keyboard, under the admin's 'self'-only policy."""

import pytest

from pages.models import Page
from tests.library.images import make_image, photo_bytes

from .test_accessibility import AXE_TAGS, axe_source, format_violations

# Adds images and signs a user in: the demo to itself (see conftest.site).
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-browser-tests"


@pytest.fixture
def library(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    harbour = make_image(photo_bytes(1200, 800), alt_text="Zz harbour [at] dawn", credit="Jane Doe")
    make_image(photo_bytes(600, 400), alt_text="Zz workshop in Skopje")
    return harbour


def test_pick_an_image_by_keyboard_and_see_it_in_the_preview(
    make_context, site, library, django_user_model
):
    django_user_model.objects.create_superuser("browser", "b@example.org", PASSWORD)
    about = Page.objects.get(slug="about")
    context = make_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", "browser")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"/admin/pages/page/{about.pk}/change/", wait_until="load")

    textarea = page.locator("#id_body")
    textarea.fill("Before.\n\nAfter.")
    textarea.evaluate("t => t.setSelectionRange(8, 8)")  # the empty line between
    page.get_by_role("button", name="Image from the media library").click()

    dialog = page.get_by_role("dialog", name="Insert an image from the media library")
    dialog.wait_for()
    search = dialog.get_by_role("searchbox", name="Search the description, caption and credit")
    assert search.evaluate("input => input === document.activeElement")
    search.fill("jane")
    page.keyboard.press("Enter")  # searches, never submits the page's form
    choice = dialog.get_by_role("button", name="Zz harbour [at] dawn (1200\u00a0×\u00a0800)")
    # The dialog opened with the newest images (the harbour among them): the search's answer
    # arrives later and replaces them, so wait for it rather than read the list at once.
    dialog.get_by_role("button", name="Zz workshop in Skopje", exact=False).wait_for(
        state="detached", timeout=10_000
    )
    choice.wait_for()
    assert dialog.get_by_role("status").inner_text().startswith("Images found: 1")
    assert "/media/library/renditions/" in choice.locator("img").get_attribute("src")

    page.evaluate(axe_source())
    results = page.evaluate(
        """async (tags) => {
            const r = await axe.run('.markdown-image-picker',
                                    {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          summary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    assert results == [], format_violations("image picker", results)

    choice.focus()
    page.keyboard.press("Enter")
    assert not dialog.is_visible()
    expected = f"![Zz harbour \\[at\\] dawn](library:{library.pk})"
    assert textarea.input_value() == f"Before.\n{expected}\nAfter."
    assert textarea.evaluate("t => t === document.activeElement")
    preview_image = page.locator(".field-body .markdown-preview img[alt='Zz harbour [at] dawn']")
    preview_image.wait_for()
    assert "/media/library/renditions/" in preview_image.get_attribute("src")

    # Escape closes the dialog and leaves the text as it was.
    page.get_by_role("button", name="Image from the media library").click()
    dialog.wait_for()
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert textarea.input_value() == f"Before.\n{expected}\nAfter."
    assert context.errors == [], context.errors
