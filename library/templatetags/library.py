from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static

from ..renditions import shown_picture, shown_share_rendition
from ..sizes import hero_sizes

register = template.Library()

DEFAULT_SIZES = "100vw"
# The committed wordmark share image (templates/includes/sharing_meta.html), 1200 x 630.
DEFAULT_SHARE_IMAGE = "brand/share-default.png"


@register.simple_tag
def library_picture(image, sizes=DEFAULT_SIZES, crop="", loading="lazy", css_class="", alt=None):
    """The one way a template shows a library image: a <picture> with WebP and a fallback in
    several widths, width and height set (no layout shift), the image's own alt text unless
    `alt` is given ("" for a decorative image). Nothing when `image` is None, or when its
    sizes cannot be made (logged: library.renditions.shown_picture)."""
    if image is None or not image.file:
        return ""
    shown = shown_picture(image, crop)
    if shown is None:
        return ""
    return _render(shown, sizes, loading, css_class, image.alt_text if alt is None else alt)


@register.simple_tag
def library_hero(image, crop=""):
    """A library image across the content column (includes/library_figure.html), its
    `sizes` the width the stylesheet gives it (library.sizes)."""
    if image is None or not image.file:
        return ""
    shown = shown_picture(image, crop)
    if shown is None:
        return ""
    return _render(shown, hero_sizes(shown, cropped=bool(crop)), "eager", "", image.alt_text)


def _render(shown, sizes, loading, css_class, alt):
    return render_to_string(
        "library/picture.html",
        {"picture": shown, "sizes": sizes, "loading": loading, "css_class": css_class, "alt": alt},
    )


@register.simple_tag
def library_share_image(image, root=""):
    """What the Open Graph tags need of a library image: an absolute url (`root` prefixed to
    a path), width, height, type and alt text. The site's default share image where the
    image's cannot be made (library.renditions.shown_picture)."""
    rendition = shown_share_rendition(image)
    if rendition is None:
        return {
            "url": f"{root}{static(DEFAULT_SHARE_IMAGE)}",
            "width": 1200,
            "height": 630,
            "type": "image/png",
            "alt": settings.SITE_NAME,
        }
    url = rendition.url
    return {
        "url": f"{root}{url}" if url.startswith("/") else url,
        "width": rendition.width,
        "height": rendition.height,
        "type": "image/png" if url.endswith(".png") else "image/jpeg",
        "alt": image.alt_text,
    }
