from django import template
from django.template.loader import render_to_string

from ..renditions import picture, share_rendition

register = template.Library()

DEFAULT_SIZES = "100vw"


@register.simple_tag
def library_picture(image, sizes=DEFAULT_SIZES, crop="", loading="lazy", css_class="", alt=None):
    """The one way a template shows a library image: a <picture> with WebP and a fallback in
    several widths, width and height set (no layout shift), the image's own alt text unless
    `alt` is given ("" for a decorative image). Nothing when `image` is None."""
    if image is None or not image.file:
        return ""
    return render_to_string(
        "library/picture.html",
        {
            "picture": picture(image, crop),
            "sizes": sizes,
            "loading": loading,
            "css_class": css_class,
            "alt": image.alt_text if alt is None else alt,
        },
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
