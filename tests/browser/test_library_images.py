"""Library images in Chromium: the hero's space is reserved before the image arrives (width
and height set: no layout shift), the browser picks a WebP rendition, and the hero fits a
375px screen."""

import pytest

from regions.models import Region
from tests.library.images import make_image, photo_bytes

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
