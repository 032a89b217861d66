from django import template
from django.template.loader import render_to_string

from ..renditions import picture, share_rendition
from ..sizes import hero_sizes

register = template.Library()

DEFAULT_SIZES = "100vw"


@register.simple_tag
def library_picture(image, sizes=DEFAULT_SIZES, crop="", loading="lazy", css_class="", alt=None):
    """The one way a template shows a library image: a <picture> with WebP and a fallback in
    several widths, width and height set (no layout shift), the image's own alt text unless
    `alt` is given ("" for a decorative image). Nothing when `image` is None."""
    if image is None or not image.file:
        return ""
    return _render(
        picture(image, crop), sizes, loading, css_class, image.alt_text if alt is None else alt
    )


@register.simple_tag
def library_hero(image, crop=""):
    """A library image across the content column (includes/library_figure.html), its
    `sizes` the width the stylesheet gives it (library.sizes)."""
    if image is None or not image.file:
        return ""
    shown = picture(image, crop)
    return _render(shown, hero_sizes(shown, cropped=bool(crop)), "eager", "", image.alt_text)


def _render(shown, sizes, loading, css_class, alt):
    return render_to_string(
        "library/picture.html",
        {"picture": shown, "sizes": sizes, "loading": loading, "css_class": css_class, "alt": alt},
    )


@register.simple_tag
def library_share_image(image, root=""):
    """What the Open Graph tags need of a library image: an absolute url (`root` prefixed to
    a path), width, height, type and alt text."""
    rendition = share_rendition(image)
    url = rendition.url
    return {
        "url": f"{root}{url}" if url.startswith("/") else url,
        "width": rendition.width,
        "height": rendition.height,
        "type": "image/png" if url.endswith(".png") else "image/jpeg",
        "alt": image.alt_text,
    }
