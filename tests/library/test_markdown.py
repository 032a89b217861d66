"""Library images in Markdown: `![alt](library:ID)` becomes the responsive picture; an
unknown id, or an image from elsewhere, is removed and reported, and refused on save; an
image inside a sentence is shown without its caption, credit and licence, reported, and
refused on save until it stands on lines of its own."""

import re

import pytest
from django.urls import reverse

from richtext.rendering import render
from tests.admin_forms import change_url, region_form
from tests.factories import ProjectFactory, RegionFactory
from tests.htmlcheck import assert_page_basics

from .images import make_image, photo_bytes

pytestmark = pytest.mark.django_db


def test_a_library_reference_becomes_a_responsive_picture_with_its_alt_text():
    image = make_image(photo_bytes(1000, 500), alt_text="Library alt")
    for reference in (f"library:{image.pk}", f"image:{image.pk}"):
        rendering = render(
            f"Before.\n\n![Author's alt]({reference})\n\nAfter ![]({reference}) end."
        )
        html = rendering.html
        # Shown, but reported: inside a sentence it has no caption, credit or licence.
        assert [finding.kind for finding in rendering.findings] == ["library-image-inline"]
        assert html.count("<picture>") == 2
        [source] = set(re.findall(r"<source [^>]+>", html))
        assert 'type="image/webp"' in source
        assert re.search(r'srcset="/media/library/renditions/\S+\.webp 160w, ', source)
        assert 'alt="Author\'s alt"' in html or 'alt="Author&#39;s alt"' in html
        assert 'alt="Library alt"' in html  # the empty alt takes the library's
        assert 'height="500"' in html and 'width="1000"' in html
        assert 'loading="lazy"' in html and 'decoding="async"' in html
        assert " end." in html  # text after the image is kept


def test_an_unknown_image_id_is_removed_and_reported():
    rendering = render("See ![Map](library:999999) here.")
    assert "<img" not in rendering.html and "See" in rendering.html and "here." in rendering.html
    assert [finding.kind for finding in rendering.removed] == ["library-image"]
    assert "library:999999" in rendering.removed[0].message
    assert "no such image" in rendering.removed[0].message


def test_an_external_image_is_removed_and_reported():
    rendering = render("![Map](https://example.org/map.png)")
    assert "<img" not in rendering.html
    assert [finding.kind for finding in rendering.removed] == ["image"]


def test_the_rendering_follows_a_change_of_the_image():
    """Texts with library images are not memoised: a new alt text shows at once."""
    image = make_image(alt_text="First alt")
    text = f"![](library:{image.pk})"
    assert 'alt="First alt"' in render(text).html
    image.alt_text = "Second alt"
    image.save()
    assert 'alt="Second alt"' in render(text).html
    image_id = image.pk
    image.delete()
    assert [finding.kind for finding in render(f"![](library:{image_id})").removed] == [
        "library-image"
    ]


@pytest.mark.parametrize(
    "definition", ["[photo]: library:{pk}", "  [photo]: <image:{pk}>"], ids=["plain", "angled"]
)
def test_a_reference_style_image_follows_a_change_of_the_image(definition):
    """Reference-style images are not memoised either, though their address stands in a
    definition line rather than after `](`: a new alt text and a deletion show at once."""
    image = make_image(alt_text="First alt")
    text = "![][photo]\n\n" + definition.format(pk=image.pk)
    assert 'alt="First alt"' in render(text).html
    image.alt_text = "Second alt"
    image.save()
    assert 'alt="Second alt"' in render(text).html
    image.delete()
    assert "<picture>" not in render(text).html


def test_saving_a_text_with_an_unknown_image_is_refused_in_the_admin(admin_client):
    region = RegionFactory(body="Old.")
    response = admin_client.post(
        change_url(region), region_form(region, body="A map: ![](library:424242)")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert any("library:424242" in error and "no such image" in error for error in errors)
    region.refresh_from_db()
    assert region.body == "Old."


def test_a_known_image_is_saved(admin_client):
    image = make_image()
    region = RegionFactory(body="Old.")
    body = f"A map:\n\n![](library:{image.pk})"
    response = admin_client.post(change_url(region), region_form(region, body=body))
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.body == body


def test_the_public_page_shows_a_library_image_from_a_description(client):
    image = make_image(alt_text="Workshop")
    project = ProjectFactory(description=f"## Photos\n\n![](library:{image.pk})")
    html = client.get(project.get_absolute_url()).content.decode()
    assert '<div class="prose">' in html
    assert html.count("<picture>") == 1 and 'alt="Workshop"' in html


def test_an_image_alone_in_its_paragraph_is_a_figure_with_caption_credit_and_licence(client):
    image = make_image(
        alt_text="Harbour",
        caption="The harbour <at> night",
        credit="Jane Doe",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
    )
    unlicensed = make_image(alt_text="Square", licence="All rights reserved")
    bare = make_image(alt_text="Bare")
    rendering = render(
        f"Text.\n\n![](library:{image.pk})\n\n![](library:{unlicensed.pk})\n\n"
        f"![](library:{bare.pk})\n\nInline ![](library:{image.pk}) in a sentence."
    )
    html = rendering.html
    assert [finding.kind for finding in rendering.findings] == ["library-image-inline"]
    assert html.count("<figure>") == 2
    assert (
        "</picture><figcaption>The harbour &lt;at&gt; night<br>Image: Jane Doe, "
        '<a href="https://creativecommons.org/licenses/by/4.0/" rel="noopener noreferrer">'
        "CC BY 4.0</a></figcaption></figure>"
    ) in html
    # The licence is the condition of use: named even when nobody is credited.
    assert "<figcaption>Image licence: All rights reserved</figcaption>" in html
    # Without caption, credit or licence, and inline in a sentence: a plain picture.
    assert html.count("<figcaption>") == 2
    assert re.search(r"<p><picture>.*?alt=\"Bare\".*?</picture></p>", html)
    assert re.search(r"<p>Inline <picture>.*?</picture> in a sentence\.</p>", html)
    project = ProjectFactory(description=f"![](library:{image.pk})")
    page = client.get(project.get_absolute_url()).content.decode()
    assert "<figcaption>The harbour" in page
    assert_page_basics(page)


def test_a_text_showing_an_image_with_an_odd_licence_address_still_saves(admin_client):
    # Stored before the image form refused such addresses (the model's URLField allows ftp).
    image = make_image(alt_text="Harbour", licence="CC BY 4.0", licence_url="ftp://x.org/by")
    region = RegionFactory(body="Old.")
    body = f"A photo:\n\n![](library:{image.pk})\n\nMore."
    response = admin_client.post(change_url(region), region_form(region, body=body))
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.body == body
    html = render(body).html
    assert "CC BY 4.0" in html and "ftp:" not in html  # named, not linked


# --- An image inside a sentence: reported, and refused on save ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Our harbour ![](library:{pk}) at night.",
        "Our harbour:\n![](library:{pk})",  # one paragraph: no empty line between
        "* First\n* ![](library:{pk})",
        "| A | B |\n| --- | --- |\n| ![](library:{pk}) | b |",
        "[![](library:{pk})](https://example.org/)",
    ],
    ids=["sentence", "same-paragraph", "list", "table", "link"],
)
def test_an_image_not_alone_in_its_paragraph_is_reported(text):
    image = make_image(alt_text="Harbour", caption="At night", credit="Jane Doe")
    rendering = render(text.format(pk=image.pk))
    assert [finding.kind for finding in rendering.findings] == ["library-image-inline"]
    [finding] = rendering.removed  # refuses the save, as a removal does
    assert f"“Harbour” (library:{image.pk})" in finding.message
    assert "caption, credit and licence are not shown" in finding.message
    assert "line of its own" in finding.message
    assert "<figcaption>" not in rendering.html  # what the report is about


def test_an_image_on_lines_of_its_own_is_a_figure_and_not_reported():
    image = make_image(alt_text="Harbour", caption="At night", credit="Jane Doe")
    rendering = render(f"Our harbour:\n\n![](library:{image.pk})\n\nAt night.")
    assert rendering.findings == ()
    assert "<figure><picture>" in rendering.html
    assert "<figcaption>At night<br>Image: Jane Doe</figcaption></figure>" in rendering.html


def test_saving_an_image_inside_a_sentence_is_refused_with_the_reason(staff_with_role, client):
    """The editor's rule for an image left in a sentence: a form error naming the image and
    what to do, nothing saved (the alternative, moving it out silently, would change the text
    behind the editor's back)."""
    client.force_login(staff_with_role("Editor"))
    image = make_image(alt_text="Harbour", credit="Jane Doe", licence="CC BY 4.0")
    region = RegionFactory(body="Old.", is_published=False)
    body = f"Our harbour ![](library:{image.pk}) at night."
    response = client.post(change_url(region), region_form(region, body=body))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert any(f"“Harbour” (library:{image.pk})" in e and "line of its own" in e for e in errors)
    region.refresh_from_db()
    assert region.body == "Old."
    fixed = f"Our harbour:\n\n![](library:{image.pk})\n\nAt night."
    response = client.post(change_url(region), region_form(region, body=fixed))
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.body == fixed


def test_the_preview_reports_an_image_inside_a_sentence(staff_client):
    image = make_image(alt_text="Harbour", credit="Jane Doe")
    answer = staff_client.post(
        reverse("markdown-preview"), {"text": f"See ![](library:{image.pk}) here."}
    ).json()
    assert any("line of its own" in message for message in answer["removed"])
    answer = staff_client.post(
        reverse("markdown-preview"), {"text": f"See:\n\n![](library:{image.pk})\n\nHere."}
    ).json()
    assert answer["removed"] == []
    assert "<figure>" in answer["html"] and "Image: Jane Doe" in answer["html"]
