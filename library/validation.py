"""Checks of an uploaded image, by its bytes, never its name, and the clean copy that is
stored: decoded and re-encoded by Pillow, orientation applied, every metadata block (EXIF
with its GPS position, XMP, comments, text, colour profile) left behind; renditions are written
by the same `encode()`.

The limits are settings: LIBRARY_IMAGE_MAX_BYTES (file size) and LIBRARY_IMAGE_MAX_PIXELS
(width x height, checked from the header before any pixel is decoded, so a decompression
bomb is refused without being unpacked). Images whose renditions cannot be made are refused
too: a side over MAX_SIDE (WebP's limit) or more than MAX_WIDTH_TO_HEIGHT times as wide as
high.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

# Renditions are WebP (library.renditions), which allows at most this many pixels a side: a
# larger image could be stored but never shown.
MAX_SIDE = 16_383
# The smallest rendition is 160 pixels wide (renditions.WIDTHS): an image more than 160 times
# as wide as it is high would have renditions less than a pixel high.
MAX_WIDTH_TO_HEIGHT = 160

# Pillow's format name -> (file extension, MIME type).
ACCEPTED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    extension: str
    width: int
    height: int
    transparent: bool


def _size_limit_error():
    return ValidationError(
        _("The file is larger than %(size)s MB; export it smaller and upload it again.")
        % {"size": _megabytes(settings.LIBRARY_IMAGE_MAX_BYTES)},
        code="too_large",
    )


def _megabytes(count):
    return f"{count / 1024**2:g}"


def _pixels_error(width, height):
    return ValidationError(
        _(
            "The image is %(width)d × %(height)d pixels, more than the %(limit)s megapixels "
            "allowed; make it smaller and upload it again."
        )
        % {
            "width": width,
            "height": height,
            "limit": f"{settings.LIBRARY_IMAGE_MAX_PIXELS / 1_000_000:g}",
        },
        code="too_many_pixels",
    )


def _shape_error(width, height):
    """ValidationError if an image of `width` x `height` pixels cannot be shown in sizes."""
    if max(width, height) > MAX_SIDE:
        return ValidationError(
            _(
                "The image is %(width)d × %(height)d pixels: a side of more than %(limit)d "
                "pixels cannot be shown on the site. Make it smaller and upload it again."
            )
            % {"width": width, "height": height, "limit": MAX_SIDE},
            code="side_too_long",
        )
    if width > MAX_WIDTH_TO_HEIGHT * height:
        return ValidationError(
            _(
                "The image is %(width)d × %(height)d pixels, more than %(ratio)d times as wide "
                "as it is high: its smaller sizes would be less than a pixel high. Crop it and "
                "upload it again."
            )
            % {"width": width, "height": height, "ratio": MAX_WIDTH_TO_HEIGHT},
            code="too_wide",
        )
    return None


def _type_error():
    return ValidationError(
        _(
            "This file is not a JPEG, PNG or WebP image (its content decides, not its name). "
            "SVG and other formats are not accepted."
        ),
        code="wrong_type",
    )


def read_upload(upload):
    """The upload's bytes, refused above the size limit before more is read."""
    limit = settings.LIBRARY_IMAGE_MAX_BYTES
    if getattr(upload, "size", None) and upload.size > limit:
        raise _size_limit_error()
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise _size_limit_error()
    return data


def _open(data):
    """The image, opened lazily (header only), and its format; ValidationError otherwise."""
    try:
        image = PILImage.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise _type_error() from error
    except PILImage.DecompressionBombError as error:
        raise ValidationError(
            _("The image's dimensions are too large to be processed safely."),
            code="too_many_pixels",
        ) from error
    if image.format not in ACCEPTED_FORMATS:
        raise _type_error()
    return image


def clean_image(upload):
    """Validate `upload` and return its clean copy (CleanImage). Raises ValidationError with
    a message for the editor; never lets Pillow's own exceptions through."""
    data = read_upload(upload)
    image = _open(data)
    width, height = image.size
    if width < 1 or height < 1:
        raise _type_error()
    if width * height > settings.LIBRARY_IMAGE_MAX_PIXELS:
        raise _pixels_error(width, height)
    if max(width, height) > MAX_SIDE:  # the same turned upright: refused before decoding
        raise _shape_error(width, height)
    image_format = image.format
    try:
        image.verify()  # structure and checksums, without decoding the pixels
        # verify() leaves the image unusable: open again to decode.
        image = _open(data)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            image.load()
        image = ImageOps.exif_transpose(image)
        # After turning it upright: the shape on the site, not in the file.
        shape_error = _shape_error(image.width, image.height)
        if shape_error:
            raise shape_error
        data = encode(image, image_format)
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        raise _pixels_error(width, height) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise ValidationError(
            _("The image file is damaged or incomplete; export it again and upload it."),
            code="damaged",
        ) from error
    return CleanImage(
        data=data,
        extension=ACCEPTED_FORMATS[image_format][0],
        width=image.width,
        height=image.height,
        transparent=has_alpha(image),
    )


def has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


# What of an image's `info` its copy keeps: a palette's transparent colour is part of the
# picture. Everything else there is metadata read from the file (comments, text, colour
# profile, EXIF, XMP, resolution), which Pillow would write again from `info` by itself (a
# JPEG's comment, a PNG's colour profile).
_KEPT_INFO = ("transparency",)


def encode(image, image_format, quality=None):
    """`image` written as `image_format`, with no metadata: nothing is passed to Pillow, and
    nothing but the transparency is left in `info` for it to copy while it writes."""
    original_info = image.info
    image.info = {key: original_info[key] for key in _KEPT_INFO if key in original_info}
    try:
        return _encode(image, image_format, quality)
    finally:
        image.info = original_info


def _encode(image, image_format, quality):
    output = io.BytesIO()
    if image_format == "JPEG":
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=quality or 88, optimize=True, progressive=True)
    elif image_format == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA" if has_alpha(image) else "RGB")
        image.save(output, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if has_alpha(image) else "RGB")
        image.save(output, "WEBP", quality=quality or 85, method=4)
    return output.getvalue()
