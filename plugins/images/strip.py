"""The original of a photo as the site publishes it at its own path (a `{static}` link to
it still works): the same pixels, without the metadata a camera or phone wrote into it.

JPEG and PNG are rewritten segment by segment (no pixel is decoded, so no quality is
lost): EXIF (with GPS), XMP, IPTC and comments go; the colour profile stays. A JPEG keeps
an EXIF block holding the orientation alone, so it still shows upright. A WebP is
decoded, turned upright and encoded again, losslessly.
"""

import io
import struct

from PIL import Image

from .renditions import upright

# JPEG markers kept: JFIF (APP0), the ICC profile (APP2), Adobe's colour transform (APP14).
_KEEP_APP = {0xE0, 0xE2, 0xEE}
_EXIF_HEADER = b"Exif\x00\x00"
# PNG chunks dropped: EXIF, text of every kind, the time of the last change.
_DROP_PNG = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _orientation(data):
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.getexif().get(0x0112, 1)
    except Exception:  # an unreadable EXIF block: upright as stored
        return 1


def _orientation_segment(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    payload = _EXIF_HEADER + exif.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def strip_jpeg(data):
    """`data` (a JPEG) without its APPn segments other than JFIF, ICC and Adobe, nor
    comments; with an EXIF block of the orientation alone when it was not 1."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    orientation = _orientation(data)
    out = [data[:2]]
    if orientation != 1:
        out.append(_orientation_segment(orientation))
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise ValueError("damaged JPEG")
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the compressed pixels follow, to the end
            out.append(data[position:])
            return b"".join(out)
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        segment = data[position : position + 2 + length]
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _KEEP_APP:
            out.append(segment)
        position += 2 + length
    raise ValueError("JPEG without image data")


def strip_png(data):
    """`data` (a PNG) without its EXIF, text and time chunks."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out, position = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        kind = data[position + 4 : position + 8]
        chunk = data[position : position + 12 + length]
        if kind not in _DROP_PNG:
            out.append(chunk)
        position += 12 + length
        if kind == b"IEND":
            break
    return b"".join(out)


def strip_webp(data):
    """`data` (a WebP) decoded, upright, and encoded again losslessly with no metadata."""
    with Image.open(io.BytesIO(data)) as image:
        clean = upright(image)
    buffer = io.BytesIO()
    clean.save(buffer, format="WEBP", lossless=True, quality=100, method=4)
    return buffer.getvalue()


def stripped(data):
    """The publishable bytes of a JPEG, PNG or WebP `data`, by what the bytes are."""
    if data[:2] == b"\xff\xd8":
        return strip_jpeg(data)
    if data.startswith(_PNG_SIGNATURE):
        return strip_png(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return strip_webp(data)
    raise ValueError("not a JPEG, PNG or WebP")
