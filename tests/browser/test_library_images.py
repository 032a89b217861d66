"""Library images in Chromium: the hero's space is reserved before the image arrives (width
and height set: no layout shift), the browser picks a WebP rendition, and the hero fits a
375px screen."""

import pytest

from regions.models import Region
from tests.library.images import make_image, photo_bytes

# Each test adds images: the demo to itself (see conftest.site).
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = 375
HERO_BOX = """() => {
  const img = document.querySelector('.hero img');
  const box = img.getBoundingClientRect();
  const loaded = img.complete && img.naturalWidth > 0;
  return {width: box.width, height: box.height, src: img.currentSrc, loaded: loaded};
}"""


@pytest.fixture
def region_with_hero(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    image = make_image(photo_bytes(2000, 1500), alt_text="A harbour at dawn")
    region = Region.objects.get(slug="western-balkans")
    region.hero_image = image
    region.save()
    return region


@pytest.mark.parametrize("width", [PHONE, 1280])
def test_hero_space_is_reserved_and_a_webp_rendition_loads(make_context, region_with_hero, width):
    path = region_with_hero.get_absolute_url()

    # Images held back: the layout before any image arrives.
    blocked = make_context(viewport={"width": width, "height": 900})
    blocked.context.route("**/media/**", lambda route: route.abort())
    page = blocked.new_page()
    page.goto(path, wait_until="load")
    before = page.evaluate(HERO_BOX)
    assert not before["loaded"]

    loaded = make_context(viewport={"width": width, "height": 900})
    page = loaded.new_page()
    page.goto(path, wait_until="load")
    page.wait_for_function("() => document.querySelector('.hero img').complete")
    after = page.evaluate(HERO_BOX)
    assert after["loaded"]
    assert after["src"].endswith(".webp"), after["src"]
    assert "/media/library/renditions/" in after["src"]
    # 16:9 reserved from the start: the image's arrival moves nothing.
    assert after["height"] == pytest.approx(after["width"] * 9 / 16, abs=1)
    assert before["height"] == pytest.approx(after["height"], abs=0.5)
    assert before["width"] == pytest.approx(after["width"], abs=0.5)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert loaded.errors == [] and loaded.offsite_requests() == []


@pytest.fixture
def pages_with_images(region_with_hero):
    """A region page with a hero, a Markdown image and contact portraits, a project page with
    its image, the contacts page with portraits, a logo: every way a library image shows."""
    from pages.models import SiteSettings
    from projects.models import Project
    from regions.models import Contact

    image = region_with_hero.hero_image
    region_with_hero.body = f"Our work.\n\n![](library:{image.pk})\n\nMore text."
    region_with_hero.save()
    Contact.objects.update(portrait=image)
    project = Project.objects.published().first()
    project.image = image
    project.save()
    logo = make_image(photo_bytes(400, 100, "PNG", "RGBA"), alt_text="Logo")
    SiteSettings.objects.update(logo_image=logo, default_share_image=image)
    return [region_with_hero.get_absolute_url(), project.get_absolute_url(), "/contacts/"]


def test_pages_with_library_images_are_valid_and_accessible(
    make_context, pages_with_images, tmp_path
):
    from .test_accessibility import check_axe
    from .test_html_validity import format_errors, run_vnu

    context = make_context(viewport={"width": PHONE, "height": 900})
    page = context.new_page()
    files, names = [], {}
    for number, path in enumerate(pages_with_images):
        response = page.goto(path, wait_until="load")
        assert response.status == 200
        html = page.content()
        assert "<picture>" in html
        check_axe(page, path)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE, path
        file = tmp_path / f"page-{number}.html"
        file.write_bytes(response.body())
        files.append(file)
        names[file.stem] = path
    errors = run_vnu(files)
    assert errors == {}, format_errors(names, errors)
    assert context.errors == [] and context.offsite_requests() == []


SHOWN = """() => {
  const img = document.querySelector('.hero img');
  return {width: img.getBoundingClientRect().width, src: img.currentSrc};
}"""


@pytest.mark.parametrize(
    ("viewport", "shown_width", "rendition_width"),
    [
        # The column (375 - 32) is narrower than 60vh at 4:3 (640): 343 wide, the 640 file.
        ((PHONE, 800), 343, 640),
        # 60vh (540) at 4:3 is 720 wide, narrower than the column (992): the 960 file, where
        # a sizes of 62rem would have fetched the 1280 one.
        ((1280, 900), 720, 960),
    ],
)
def test_the_project_image_downloads_the_file_for_its_shown_width(
    make_context, site, settings, tmp_path, viewport, shown_width, rendition_width
):
    from projects.models import Project

    settings.MEDIA_ROOT = tmp_path / "media"
    project = Project.objects.published().first()
    project.image = make_image(photo_bytes(2000, 1500), alt_text="A workshop")
    project.save()
    context = make_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.goto(project.get_absolute_url(), wait_until="load")
    page.wait_for_function("() => document.querySelector('.hero img').complete")
    shown = page.evaluate(SHOWN)
    assert shown["width"] == pytest.approx(shown_width, abs=1)
    assert shown["src"].endswith(f"-full-{rendition_width}.webp"), shown["src"]
    assert context.errors == []


def test_a_cropped_hero_downloads_the_file_for_the_column(make_context, region_with_hero):
    context = make_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(region_with_hero.get_absolute_url(), wait_until="load")
    page.wait_for_function("() => document.querySelector('.hero img').complete")
    shown = page.evaluate(SHOWN)
    assert shown["width"] == pytest.approx(992, abs=1)  # 62rem
    assert shown["src"].endswith("-16x9-1280.webp"), shown["src"]
