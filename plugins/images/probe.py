"""What a source image is, read from its header before anything is decoded, and the
problems of one that cannot be used: not a photo, too big to accept, too small."""

import os
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

# The formats editors may name, by what the file is (not by its name).
ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "MPO": "JPEG"}
RASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
# EXIF orientations 5 to 8 turn the picture a quarter: width and height swap.
_QUARTER_TURNS = (5, 6, 7, 8)


@dataclass(frozen=True)
class Probed:
    """A usable source: its bytes, and its size as shown (after the EXIF orientation)."""

    data: bytes
    width: int
    height: int


class Unusable(Exception):
    """The source cannot be used; the message and fix say why and what to do."""

    def __init__(self, message, fix):
        super().__init__(message)
        self.message, self.fix = message, fix


def is_raster_name(path):
    """True for a file name the build makes renditions of."""
    return os.path.splitext(path)[1].lower() in RASTER_SUFFIXES


def megabytes(size):
    """'12.3 MB'."""
    return f"{size / 1_000_000:.1f} MB"


def probe(path, max_bytes, max_pixels):
    """The Probed of the file at `path`; raises Unusable."""
    size = os.path.getsize(path)
    if size > max_bytes:
        raise Unusable(
            f"is {megabytes(size)}, more than the {megabytes(max_bytes)} the build accepts",
            "save it smaller (2,000-4,000 px wide is plenty), e.g. as JPEG at quality 85",
        )
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        # Only the header is read here: a picture's size is known before its pixels.
        with Image.open(path) as image:
            kind, width, height = image.format, image.width, image.height
            orientation = image.getexif().get(0x0112, 1) if kind in ("JPEG", "MPO", "WEBP", "PNG") else 1
    except Image.DecompressionBombError:
        raise Unusable(
            f"has more than the {max_pixels / 1e6:.0f} megapixels the build accepts",
            "scale it down to at most 4,000 px wide",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Unusable("is not a JPEG, PNG or WebP picture", "export it again as JPEG, PNG or WebP") from None
    if kind not in ACCEPTED:
        raise Unusable(f"is a {kind} file, not a JPEG, PNG or WebP picture", "export it again as JPEG, PNG or WebP")
    if width * height > max_pixels:
        raise Unusable(
            f"is {width:,}x{height:,} px ({width * height / 1e6:.0f} megapixels), more than the "
            f"{max_pixels / 1e6:.0f} the build accepts",
            "scale it down to at most 4,000 px wide",
        )
    if orientation in _QUARTER_TURNS:
        width, height = height, width
    return Probed(data, width, height)
