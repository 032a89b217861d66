"""Library images on the public pages: the heroes, a project's image, portraits, the logo
and the share image, as responsive <picture>s with their size set and no layout shift."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image as PILImage

from library.renditions import RENDITION_DIR
from pages.models import SiteSettings
from tests.factories import ContactFactory, CountryFactory, ProjectFactory, RegionFactory
from tests.htmlcheck import assert_page_basics

from .images import jpeg_markers, make_image, make_unchecked_image, photo_bytes

pytestmark = pytest.mark.django_db


def pictures(html):
    return re.findall(r"<picture>.*?</picture>", html, re.S)


def assert_responsive(picture_html, alt):
    source = re.search(r'<source type="image/webp" srcset="([^"]+)"', picture_html)
    assert source, picture_html
    webp = [candidate.split() for candidate in source[1].split(", ")]
    assert all(url.startswith("/media/library/renditions/") for url, _w in webp)
    assert all(url.endswith(".webp") for url, _w in webp)
    img = re.search(r"<img [^>]+>", picture_html)[0]
    assert re.search(r' width="\d+" height="\d+"', img)
    assert f'alt="{alt}"' in img
    assert 'decoding="async"' in img
    return webp, img


def test_region_page_shows_its_hero_cropped_to_16_9(client, media):
    image = make_image(
        photo_bytes(2400, 1200), alt_text="Border crossing at dawn", caption="A crossing"
    )
    region = RegionFactory(hero_image=image)
    response = client.get(region.get_absolute_url())
    html = response.content.decode()
    [picture] = pictures(html)
    webp, img = assert_responsive(picture, "Border crossing at dawn")
    # Up to 1920 wide, never more than the original, all 16:9.
    assert [width for _url, width in webp] == ["160w", "320w", "640w", "960w", "1280w", "1920w"]
    assert 'width="1920" height="1080"' in img
    assert 'loading="eager"' in img
    for url, _width in webp:
        assert (media / url.removeprefix("/media/")).is_file()
    assert '<figure class="hero">' in html  # cropped: its height follows from its width
    assert "<figcaption>A crossing" in html
    assert_page_basics(html)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"credit": "Jane Doe", "licence": "CC BY 4.0", "licence_url": "https://x.org/by"},
            '<span class="credit">Image: Jane Doe, '
            '<a href="https://x.org/by" rel="license">CC BY 4.0</a></span>',
        ),
        # The licence is the condition of use: shown even when nobody is credited.
        (
            {"licence": "All rights reserved, used with permission"},
            '<figcaption> <span class="credit">Image licence: '
            "All rights reserved, used with permission</span></figcaption>",
        ),
        ({"caption": "A crossing", "credit": "Jane Doe"}, "<figcaption>A crossing <span"),
    ],
)
def test_a_hero_credits_the_image_and_names_its_licence(client, fields, expected):
    region = RegionFactory(hero_image=make_image(**fields))
    html = client.get(region.get_absolute_url()).content.decode()
    assert expected in html
    assert_page_basics(html)


def test_country_page_shows_its_hero(client):
    image = make_image(photo_bytes(800, 600), alt_text="Old town")
    country = CountryFactory(hero_image=image)
    RegionFactory(countries=[country])
    html = client.get(country.get_absolute_url()).content.decode()
    [picture] = pictures(html)
    _webp, img = assert_responsive(picture, "Old town")
    assert 'width="800" height="450"' in img  # no wider than the original


def test_project_page_shows_its_image_uncropped(client):
    image = make_image(photo_bytes(500, 700), alt_text="Training session")
    project = ProjectFactory(image=image)
    html = client.get(project.get_absolute_url()).content.decode()
    [picture] = pictures(html)
    webp, img = assert_responsive(picture, "Training session")
    assert [width for _url, width in webp] == ["160w", "320w", "500w"]
    assert 'width="500" height="700"' in img
    assert '<figure class="hero hero-uncropped">' in html  # its height capped by the CSS


def test_contact_portraits_on_the_contacts_page_are_square_and_decorative(client):
    image = make_image(photo_bytes(600, 400), alt_text="Portrait of Ana")
    contact = ContactFactory(portrait=image, name="Ana Example")
    html = client.get(reverse("regions:contacts")).content.decode()
    assert contact.name in html
    [picture] = pictures(html)
    img = re.search(r"<img [^>]+>", picture)[0]
    assert 'alt=""' in img and 'class="portrait"' in img
    assert 'width="400" height="400"' in img
    assert_page_basics(html)


def test_site_logo_and_default_share_image_from_the_library(client):
    logo = make_image(photo_bytes(400, 100, "PNG", "RGBA"), alt_text="Logo")
    share = make_image(photo_bytes(1600, 1000), alt_text="Our offices")
    SiteSettings.objects.update(logo_image=logo, default_share_image=share)
    html = client.get(reverse("home")).content.decode()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    [picture] = pictures(header)
    assert 'class="site-logo"' in picture and ".png " in picture  # transparent: PNG fallback
    og_image = re.search(r'<meta property="og:image" content="([^"]+)">', html)[1]
    assert re.fullmatch(
        r"https?://[^/]+/media/library/renditions/\d+-\w+-40x21-1200\.jpg", og_image
    )
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert '<meta property="og:image:alt" content="Our offices">' in html
    assert html.count('property="og:image:alt"') == 1


def test_renditions_are_made_once_and_renamed_when_the_focal_point_changes(client, media):
    image = make_image(photo_bytes(1000, 500), alt_text="Harbour")
    region = RegionFactory(hero_image=image)
    first = pictures(client.get(region.get_absolute_url()).content.decode())[0]
    made = sorted((media / "library/renditions").iterdir())
    stamps = {path: path.stat().st_mtime_ns for path in made}
    again = pictures(client.get(region.get_absolute_url()).content.decode())[0]
    assert again == first
    assert {path: path.stat().st_mtime_ns for path in made} == stamps

    image.focal_x = 0
    image.save()
    moved = pictures(client.get(region.get_absolute_url()).content.decode())[0]
    assert moved != first
    assert image.rendition_key in moved


def test_sizes_say_the_width_the_stylesheet_gives_each_image(client):
    """static/css/site.css: the column is the window less 2rem up to 64rem, then 62rem; a
    cropped hero fills it; an uncropped project image is at most 60vh high and no wider than
    its largest rendition; an image in a text is at most its own width."""
    column = "(max-width: 64rem) calc(100vw - 2rem), 62rem"
    region = RegionFactory(hero_image=make_image(photo_bytes(2400, 1200), alt_text="Wide"))
    html = client.get(region.get_absolute_url()).content.decode()
    [picture] = pictures(html)
    assert picture.count(f'sizes="{column}"') == 2  # the WebP source and the img

    tall = make_image(photo_bytes(500, 700), alt_text="Tall")
    project = ProjectFactory(image=tall, description=f"Before.\n\n![Tall](library:{tall.pk})")
    html = client.get(project.get_absolute_url()).content.decode()
    hero, in_text = pictures(html)
    # 60vh high at 500:700 is 42.86vh wide.
    limits = "500px, 42.86vh"
    expected = f"(max-width: 64rem) min(calc(100vw - 2rem), {limits}), min(62rem, {limits})"
    assert hero.count(f'sizes="{expected}"') == 2, hero
    text_sizes = "(max-width: 64rem) min(calc(100vw - 2rem), 500px), min(62rem, 500px)"
    assert in_text.count(f'sizes="{text_sizes}"') == 2, in_text


def test_renditions_carry_no_comment_of_an_uncleaned_original(client, media):
    comment = b"Taken at the safe house, 12 Hidden Street"
    original = io.BytesIO()
    PILImage.open(io.BytesIO(photo_bytes(400, 300))).save(original, "JPEG", comment=comment)
    image = make_unchecked_image(original.getvalue())
    response = client.get(RegionFactory(hero_image=image).get_absolute_url())
    assert response.status_code == 200
    renditions = sorted((media / RENDITION_DIR).iterdir())
    assert renditions
    for path in renditions:
        data = path.read_bytes()
        assert comment not in data
        if path.suffix == ".jpg":
            assert 0xFFFE not in jpeg_markers(data)
