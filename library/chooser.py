"""The image chooser's server side: what it shows of each image (a small rendition to choose
by), used by the chooser's search (library.admin), by its upload's answer and by the image
fields' widget (library.widgets). The dialog itself is library/static/library/image-chooser.js.
"""

from .renditions import WIDTHS, shown_picture

# The chooser lists at most this many images (newest first).
CHOOSER_RESULTS = 24
# The smallest standard rendition: already made for any image shown on a page.
THUMBNAIL_WIDTH = WIDTHS[0]


def chooser_entry(image):
    """What the chooser and an image field show of `image` (JSON-ready). An image whose file
    is missing or cannot be shown is still listed, without a picture."""
    shown = shown_picture(image, widths=(THUMBNAIL_WIDTH,))
    thumbnail = shown.fallback[0] if shown else None
    return {
        "id": image.pk,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "licence": image.licence,
        "thumbnail": thumbnail.url if thumbnail else "",
        "thumbnail_width": thumbnail.width if thumbnail else None,
        "thumbnail_height": thumbnail.height if thumbnail else None,
        "width": image.width,
        "height": image.height,
    }
