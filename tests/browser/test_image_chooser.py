"""The image chooser in Chromium, under the admin's 'self'-only script policy: the Markdown
editor's image button opens a labelled modal dialog (focus kept inside, Escape closes, focus
returns) that searches the media library and uploads a new image in place; the image is
inserted on lines of its own and the preview shows it as the public page will, a figure with
its caption and credit. An image field chooses the same way, with a thumbnail, Change and
Clear. The focal point is set by clicking on the image's preview."""

import pytest
from django.contrib.auth.models import Group

from library.models import Image
from pages.models import Page
from projects.models import Project
from tests.library.images import make_image, photo_bytes

from .conftest import SCREENSHOTS
from .test_accessibility import AXE_TAGS, axe_source, format_violations

# Adds images and signs users in: the demo to itself (see conftest.site).
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-browser-tests"
AXE_IN = """async ([selector, tags]) => {
    const r = await axe.run(selector, {runOnly: {type: 'tag', values: tags}});
    return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""


def shoot(target, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"image-chooser-{name}.png"
    target.screenshot(path=str(path))


@pytest.fixture
def library(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    harbour = make_image(photo_bytes(1200, 800), alt_text="Zz harbour [at] dawn", credit="Jane Doe")
    make_image(photo_bytes(600, 400), alt_text="Zz workshop in Skopje")
    return harbour


def sign_in(make_context, django_user_model, width, role=None):
    username = f"user-{role or 'root'}-{width}".lower().replace(" ", "-")
    if role:
        user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    else:
        django_user_model.objects.create_superuser(username, "b@example.org", PASSWORD)
    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    return context, page


def assert_no_axe_violations(page, selector, name):
    page.evaluate(axe_source())
    violations = page.evaluate(AXE_IN, [selector, AXE_TAGS])
    assert violations == [], format_violations(name, violations)


@pytest.mark.parametrize("width", [1280, 375])
def test_upload_in_place_and_insert_as_a_figure_from_the_markdown_editor(
    make_context, site, library, django_user_model, tmp_path, width
):
    context, page = sign_in(make_context, django_user_model, width, role="Editor")
    about = Page.objects.get(slug="about")
    page.goto(f"/admin/pages/page/{about.pk}/change/", wait_until="load")
    textarea = page.locator("#id_body")
    textarea.fill("Before.\nAfter.")
    textarea.evaluate("t => t.setSelectionRange(7, 7)")  # in the middle of one paragraph
    button = page.get_by_role("button", name="Image from the media library")
    button.click()

    dialog = page.get_by_role("dialog", name="Choose an image from the media library")
    dialog.wait_for()
    search = dialog.get_by_role("searchbox", name="Search the description, caption and credit")
    assert search.evaluate("input => input === document.activeElement")
    search.fill("jane")
    page.keyboard.press("Enter")  # searches, never submits the page's form
    dialog.get_by_role("button", name="Zz workshop in Skopje", exact=False).wait_for(
        state="detached", timeout=10_000
    )
    choice = dialog.get_by_role("button", name="Zz harbour [at] dawn (1200\u00a0×\u00a0800)")
    choice.wait_for()
    assert dialog.get_by_role("status").first.inner_text().startswith("Images found: 1")
    assert "/media/library/renditions/" in choice.locator("img").get_attribute("src")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.image-chooser-results img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    shoot(page, f"search-{width}")
    assert_no_axe_violations(page, ".image-chooser-dialog", "image chooser")

    # Focus stays in the dialog: Tab from its last control comes back to its first.
    upload_button = dialog.get_by_role("button", name="Upload and choose")
    upload_button.focus()
    page.keyboard.press("Tab")
    assert page.evaluate(
        "() => document.activeElement.closest('dialog') !== null && "
        "document.activeElement.classList.contains('image-chooser-cancel')"
    )
    page.keyboard.press("Shift+Tab")
    assert upload_button.evaluate("b => b === document.activeElement")

    # Uploading without alt text: refused, with the reason beside the field.
    photo = tmp_path / "border-crossing.jpg"
    photo.write_bytes(photo_bytes(1600, 900))
    dialog.get_by_label("file").set_input_files(str(photo))
    upload_button.click()
    alt = dialog.get_by_role("textbox", name="alternative text")
    page.wait_for_function(
        "() => document.querySelector('.image-chooser-upload [aria-invalid=true]')"
    )
    assert "This field is required." in dialog.locator(".image-chooser-upload").inner_text()
    assert alt.evaluate("input => input === document.activeElement")
    assert Image.objects.count() == 2
    dialog.locator(".image-chooser-upload").scroll_into_view_if_needed()
    shoot(dialog, f"upload-error-{width}")

    dialog.get_by_label("file").set_input_files(str(photo))
    alt.fill("Border crossing at dawn")
    dialog.get_by_role("textbox", name="caption").fill("The crossing at Tabanovce")
    dialog.get_by_role("textbox", name="credit").fill("IOM/Jane Doe")
    dialog.locator("#id_chooser-licence").fill("CC BY 4.0")
    shoot(dialog, f"upload-{width}")
    upload_button.click()
    dialog.wait_for(state="hidden", timeout=15_000)
    uploaded = Image.objects.get(alt_text="Border crossing at dawn")
    assert uploaded.uploaded_by.username.startswith("user-editor")

    # Inserted on lines of its own, the cursor after it, the text's focus back.
    expected = f"![Border crossing at dawn](library:{uploaded.pk})"
    assert textarea.input_value() == f"Before.\n\n{expected}\n\nAfter."
    assert textarea.evaluate("t => t === document.activeElement")
    figure = page.locator(".field-body .markdown-preview figure")
    figure.wait_for(timeout=10_000)
    caption = figure.locator("figcaption").inner_text()
    assert "The crossing at Tabanovce" in caption and "Image: IOM/Jane Doe, CC BY 4.0" in caption
    assert "/media/library/renditions/" in figure.locator("img").get_attribute("src")
    page.wait_for_function(
        "() => { const host = document.querySelector('.field-body .markdown-preview');"
        " const img = (host.shadowRoot || host).querySelector('figure img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    page.locator(".field-body .markdown-preview-panel").scroll_into_view_if_needed()
    shoot(page.locator(".field-body .markdown-preview-panel"), f"figure-in-preview-{width}")

    # Escape closes the dialog, changes nothing, and gives the focus back to the button.
    button.click()
    dialog.wait_for()
    # Each opening starts with an empty upload form (the last one's values and errors gone).
    assert dialog.get_by_role("textbox", name="alternative text").input_value() == ""
    assert dialog.locator(".image-chooser-upload .errorlist").count() == 0
    dialog.get_by_role("button", name="Search", exact=True).focus()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert button.evaluate("b => b === document.activeElement")
    assert textarea.input_value() == f"Before.\n\n{expected}\n\nAfter."
    # The one error the browser reports is the refused upload's 400, answered in the form.
    assert len(context.errors) == 1 and "status of 400" in context.errors[0], context.errors
    assert "/chooser/upload/" in context.errors[0]
    assert context.offsite_requests() == []


def test_choose_change_and_clear_an_image_field(make_context, site, library, django_user_model):
    context, page = sign_in(make_context, django_user_model, 1280)
    project = Project.objects.filter(image__isnull=True).first()
    page.goto(f"/admin/projects/project/{project.pk}/change/", wait_until="load")
    field = page.locator(".field-image .image-chooser-field")
    raw_id = field.locator("input[name=image]")
    assert not raw_id.is_visible()  # the buttons stand in for the box, still posted
    field.get_by_role("button", name="Choose an image").click()
    dialog = page.get_by_role("dialog", name="Choose an image from the media library")
    dialog.wait_for()
    dialog.get_by_role("button", name="Zz harbour [at] dawn", exact=False).click()
    dialog.wait_for(state="hidden")
    assert raw_id.input_value() == str(library.pk)
    assert "/media/library/renditions/" in field.locator(
        ".image-chooser-thumbnail img"
    ).get_attribute("src")
    change = field.get_by_role("button", name="Change image")
    assert change.evaluate("b => b === document.activeElement")
    assert field.locator(".image-chooser-chosen").inner_text() == "Zz harbour [at] dawn"
    shoot(field, "field-chosen-1280")
    assert_no_axe_violations(page, ".field-image", "image field")

    field.get_by_role("button", name="Clear").click()
    assert raw_id.input_value() == ""
    assert field.locator(".image-chooser-thumbnail img").count() == 0
    field.get_by_role("button", name="Choose an image").click()
    dialog.wait_for()
    dialog.get_by_role("button", name="Zz harbour [at] dawn", exact=False).click()
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("load")
    project.refresh_from_db()
    assert project.image == library
    assert page.locator(".field-image .image-chooser-thumbnail img").count() == 1
    assert context.errors == [], context.errors

    # Without JavaScript: the admin's id box with its lookup, the thumbnail, no dead buttons.
    plain = make_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    plain.context.add_cookies(context.context.cookies())
    page = plain.new_page()
    page.goto(f"/admin/projects/project/{project.pk}/change/", wait_until="load")
    field = page.locator(".field-image .image-chooser-field")
    assert field.locator("input[name=image]").is_visible()
    assert field.locator("input[name=image]").input_value() == str(library.pk)
    assert field.locator("a.related-lookup").count() == 1
    assert field.locator(".image-chooser-thumbnail img").is_visible()
    assert not field.get_by_role("button", name="Change image").is_visible()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_focal_point_is_set_by_clicking_on_the_image(
    make_context, site, library, django_user_model, width
):
    context, page = sign_in(make_context, django_user_model, width)
    page.goto(f"/admin/library/image/{library.pk}/change/", wait_until="load")
    picker = page.get_by_role("group", name="Focal point")
    picture = picker.locator("img")
    page.wait_for_function("() => document.querySelector('.focal-point-picker img').complete")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    across, down = page.locator("#id_focal_x"), page.locator("#id_focal_y")
    assert abs(int(across.input_value()) - 25) <= 1
    assert abs(int(down.input_value()) - 75) <= 1
    marker = page.locator(".focal-point-marker").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (box["x"] + box["width"] * 0.25)) <= 3
    # By keyboard: the arrow keys move it, Shift by 10.
    picker.focus()
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("ArrowUp")
    x, y = int(across.input_value()), int(down.input_value())
    assert abs(x - 35) <= 1 and abs(y - 74) <= 1
    shoot(page.locator(".field-preview"), f"focal-point-{width}")
    assert_no_axe_violations(page, ".field-preview", "focal point picker")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("load")
    library.refresh_from_db()
    assert (library.focal_x, library.focal_y) == (x, y)
    assert context.errors == [], context.errors
