"""Responsive renditions of library images: a few widths, WebP plus a JPEG (or, for a
transparent image, PNG) fallback, cropped around the focal point when a ratio is asked for.

Generated once, when the image is saved in the admin (make_standard_renditions) or else on
first use, and kept in the default storage under `library/renditions/`.
A page asks through shown_picture(), which gives None (no image, logged once) where the
renditions cannot be made, never an error.
Each name carries the image's rendition key (a hash of its file's content and its focal
point), so a new file or focal point means new names: a rendition is never regenerated in
place and never served stale, and no table records which exist.
"""

import io
import logging
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import Image as PILImage
from PIL import ImageOps

from .validation import encode, has_alpha

WIDTHS = (160, 320, 640, 960, 1280, 1920)
RENDITION_DIR = "library/renditions"
_CROP = re.compile(r"^(\d{1,2}):(\d{1,2})$")
# <image id>-<rendition key>-<shape>-<width>.<extension> (the names `picture` gives).
_RENDITION_NAME = re.compile(r"^(\d+)-([0-9a-f]+)-")
WEBP = ("webp", "image/webp", "WEBP")
JPEG = ("jpg", "image/jpeg", "JPEG")
PNG = ("png", "image/png", "PNG")
# The crops the site's templates ask for: the image's own proportions (Markdown texts,
# projects, logos), heroes (16:9) and portraits (1:1). Made when the image is saved.
STANDARD_CROPS = ("", "16:9", "1:1")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int

    @property
    def url(self):
        return storages["default"].url(self.name)


@dataclass(frozen=True)
class Picture:
    """What a <picture> needs: the WebP and fallback candidates (smallest first)."""

    webp: tuple
    fallback: tuple
    fallback_type: str
    alt: str

    @property
    def largest(self):
        return self.fallback[-1]

    @property
    def default(self):
        """The <img src>: the candidate nearest 960 pixels wide, for browsers without srcset."""
        return min(self.fallback, key=lambda rendition: abs(rendition.width - 960))

    @staticmethod
    def srcset(renditions):
        return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)

    @property
    def webp_srcset(self):
        return self.srcset(self.webp)

    @property
    def fallback_srcset(self):
        return self.srcset(self.fallback)


def parse_crop(crop):
    """'16:9' -> (16, 9); '' or None -> None (the image's own proportions)."""
    if not crop:
        return None
    match = _CROP.match(str(crop).strip())
    if not match or not int(match[1]) or not int(match[2]):
        raise ValueError(f"A crop is a ratio such as 16:9, not {crop!r}.")
    return int(match[1]), int(match[2])


def share_rendition(image, width=1200, crop="40:21"):
    """The rendition for social networks' previews (Open Graph): 1200 x 630 where the image
    is that large, in the fallback format (not every network reads WebP)."""
    return picture(image, crop, widths=(width,)).fallback[-1]


def shown_share_rendition(image, width=1200, crop="40:21"):
    """share_rendition(), or None when it cannot be made (shown_picture())."""
    shown = shown_picture(image, crop, widths=(width,))
    return shown.fallback[-1] if shown else None


def make_standard_renditions(image):
    """Every rendition the site's pages and share previews ask for, made now so that the
    first visitor after an upload does not wait for them. Returns whether all were made; a
    failure is logged and left to on-demand generation (picture()) to retry."""
    try:
        for crop in STANDARD_CROPS:
            picture(image, crop)
        share_rendition(image)
    except (OSError, ValueError):
        logger.exception("Renditions of library image %s not made in advance", image.pk)
        return False
    return True


def crop_box(width, height, ratio, focal_x=50, focal_y=50):
    """The (left, top, right, bottom) box of the given ratio, as large as the image allows,
    centred on the focal point (percentages) as far as the edges let it."""
    if ratio is None:
        return (0, 0, width, height)
    target = ratio[0] / ratio[1]
    if width / height > target:
        new_width = max(1, round(height * target))
        left = _clamp(round(width * focal_x / 100 - new_width / 2), 0, width - new_width)
        return (left, 0, left + new_width, height)
    new_height = max(1, round(width / target))
    top = _clamp(round(height * focal_y / 100 - new_height / 2), 0, height - new_height)
    return (0, top, width, top + new_height)


def _clamp(value, lowest, highest):
    return max(lowest, min(value, highest))


def rendition_widths(width, widths=WIDTHS):
    """The given widths below the image's own, and its own width (at most the largest)."""
    top = min(width, widths[-1])
    return [candidate for candidate in widths if candidate < top] + [top]


def picture(image, crop=None, widths=WIDTHS):
    """The image's Picture for `crop` (e.g. '16:9'), generating missing renditions."""
    ratio = parse_crop(crop)
    left, top, right, bottom = crop_box(
        image.width, image.height, ratio, image.focal_x, image.focal_y
    )
    crop_width, crop_height = right - left, bottom - top
    shape = f"{ratio[0]}x{ratio[1]}" if ratio else "full"
    fallback_format = PNG if image.transparent else JPEG
    webp, fallback = [], []
    for width in rendition_widths(crop_width, widths):
        height = max(1, round(crop_height * width / crop_width))
        stem = f"{RENDITION_DIR}/{image.pk}-{image.rendition_key}-{shape}-{width}"
        webp.append(Rendition(f"{stem}.{WEBP[0]}", width, height))
        fallback.append(Rendition(f"{stem}.{fallback_format[0]}", width, height))
    _ensure(image, (left, top, right, bottom), webp, fallback, fallback_format)
    return Picture(tuple(webp), tuple(fallback), fallback_format[1], image.alt_text)


# What Pillow and the storage raise for a file that is missing, unreadable or of a size a
# format cannot write (WebP: more than 16,383 pixels a side).
RENDITION_ERRORS = (OSError, ValueError, SyntaxError, EOFError, PILImage.DecompressionBombError)
# The renditions that could not be made, by file, focal point, crop and widths: logged once by
# each process and not tried again on every request (a new file or focal point is a new key).
_failed = set()
_FAILED_MAX = 10_000


def shown_picture(image, crop=None, widths=WIDTHS):
    """picture(), or None when its renditions cannot be made: a page then shows no image
    rather than failing (an image stored before the upload's checks, a file lost)."""
    parse_crop(crop)  # a template's mistake is an error, not a missing image
    key = (image.file.name, image.rendition_key, crop or "", tuple(widths))
    if key in _failed:
        return None
    try:
        return picture(image, crop, widths)
    except RENDITION_ERRORS:
        if len(_failed) >= _FAILED_MAX:
            _failed.clear()
        _failed.add(key)
        logger.exception(
            "Library image %s (%s) cannot be shown with crop %r; left out until its file or "
            "focal point changes.",
            image.pk,
            image.file.name,
            crop or "",
        )
        return None


def _ensure(image, box, webp, fallback, fallback_format):
    storage = storages["default"]
    wanted = [
        (rendition, image_format)
        for renditions, image_format in ((webp, WEBP), (fallback, fallback_format))
        for rendition in renditions
        if not storage.exists(rendition.name)
    ]
    if not wanted:
        return
    with image.file.open("rb") as handle:
        source = PILImage.open(io.BytesIO(handle.read()))
        source.load()
    source = ImageOps.exif_transpose(source).crop(box)
    if source.mode not in ("RGB", "RGBA"):  # palette or 16-bit: resample in full colour
        source = source.convert("RGBA" if has_alpha(source) else "RGB")
    for rendition, image_format in wanted:
        resized = source.resize((rendition.width, rendition.height), PILImage.Resampling.LANCZOS)
        if image_format is JPEG and resized.mode in ("RGBA", "LA", "P"):
            resized = resized.convert("RGB")
        data = encode(resized, image_format[2], quality=82 if image_format is JPEG else 80)
        # Two first requests may race: the loser's copy would get another name; skip it.
        if not storage.exists(rendition.name):
            storage.save(rendition.name, ContentFile(data))


def delete_files(image_id, file_name):
    """An image's file and all its renditions (when the image itself is deleted)."""
    _delete(file_name, f"{image_id}-")


def delete_replaced_files(image_id, file_name, rendition_key):
    """A replaced file (if any) and the renditions made under a replaced rendition key (if
    any) of an image that stays."""
    _delete(file_name, f"{image_id}-{rendition_key}-" if rendition_key else "")


def rendition_owner(name):
    """(image id, rendition key) read from a rendition's file name, or None."""
    match = _RENDITION_NAME.match(name)
    return (int(match[1]), match[2]) if match else None


def _delete(file_name, rendition_prefix):
    storage = storages["default"]
    if file_name:
        storage.delete(file_name)
    if not rendition_prefix:
        return
    try:
        _directories, files = storage.listdir(RENDITION_DIR)
    except FileNotFoundError:
        return
    for name in files:
        if name.startswith(rendition_prefix):
            storage.delete(f"{RENDITION_DIR}/{name}")
