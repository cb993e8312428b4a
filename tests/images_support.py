"""Test pictures made with Pillow: photos as phones write them (EXIF orientation, GPS)."""

import io

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width=2000, height=1250, orientation=1, gps=True, fmt="JPEG", colour=(180, 90, 40)):
    """The bytes of a picture with a gradient (so renditions differ by width), an EXIF
    orientation and, by default, a GPS position and a camera make in its EXIF."""
    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, max(1, width // 50)):
        image.paste((x * 255 // width, 120, 200), (x, 0, x + max(1, width // 100), height))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)})
    buffer = io.BytesIO()
    options = {"format": fmt, "exif": exif.tobytes()}
    if fmt == "PNG":
        image = image.convert("RGBA")
    image.save(buffer, **options)
    return buffer.getvalue()


def opened(path):
    """(format, size, exif) of the picture file at `path`."""
    with Image.open(path) as image:
        image.load()
        return image.format, image.size, image.getexif()
