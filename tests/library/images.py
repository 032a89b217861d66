"""Test images made with Pillow (and two hostile files written byte by byte), never committed."""

import hashlib
import io
import struct
import zlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags
from PIL import Image as PILImage

from library.models import Image
from library.validation import clean_image

GPS_LATITUDE = ((44, 1), (49, 1), (0, 1))


def photo_bytes(width=800, height=600, image_format="JPEG", mode="RGB", exif=None, noise=False):
    if noise:
        image = PILImage.frombytes(mode, (width, height), _noise(width * height * len(mode)))
    else:
        image = PILImage.new(mode, (width, height), (200, 120, 40, 128)[: len(mode)])
        # A second colour on the left, so a crop can be seen to keep or lose it.
        image.paste((20, 60, 160, 255)[: len(mode)], (0, 0, width // 4, height))
    output = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(output, image_format, **kwargs)
    return output.getvalue()


def _noise(count):
    import random

    generator = random.Random(16)
    return generator.randbytes(count)


def exif_with_gps(orientation=None):
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (44.0, 49.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (20.0, 27.0, 0.0),
    }
    return exif


def png_bomb(width, height):
    """A valid PNG header of width x height grey pixels over a tiny stream of zeros: a few
    kilobytes on disk, width x height bytes once decoded."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    rows = min(height, 64)  # enough for a plausible stream; the header alone decides
    data = b"".join(compressor.compress(row) for _ in range(rows)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_image(data=None, **fields):
    """A stored library image (through the same cleaning as an upload)."""
    image = Image(alt_text=fields.pop("alt_text", "A workshop in Skopje"), **fields)
    image.set_file(clean_image(upload(data or photo_bytes())))
    image.save()
    return image


def jpeg_markers(data):
    """The markers of a JPEG's segments before its image data (0xFFFE is a comment, COM)."""
    assert data[:2] == b"\xff\xd8"
    markers, position = [], 2
    while position < len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        markers.append(0xFF00 | marker)
        if marker == 0xDA:  # start of scan: the compressed pixels follow
            break
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        position += 2 + length
    return markers


def make_unchecked_image(data, extension="jpg", **fields):
    """A library image stored as it is, without the upload's checks and cleaning: an image
    uploaded before a check existed, or written to the database by other means."""
    probe = PILImage.open(io.BytesIO(data))
    image = Image(alt_text=fields.pop("alt_text", "An unchecked image"), **fields)
    image.file = ContentFile(data, name=f"upload.{extension}")
    image.width, image.height = probe.size
    image.transparent = probe.mode in ("RGBA", "LA")
    image.content_hash = hashlib.sha256(data).hexdigest()
    image.save()
    return image
