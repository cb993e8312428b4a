"""The images plugin's settings: every one prefixed `IMAGES_`, declared once with its
default and its check (blogcore.config)."""

import os

from blogcore import errors
from blogcore.config import Option, OptionError, Schema, flag, folder, text, whole_number


def _widths(value):
    if (
        not isinstance(value, list | tuple)
        or not value
        or not all(isinstance(width, int) and not isinstance(width, bool) and width >= 16 for width in value)
    ):
        raise OptionError(f"expected a list of widths in pixels (16 or more), got {value!r}")
    return tuple(sorted(set(value)))


OPTIONS = {
    # The widths of the renditions: the post column is 42rem (672 px) at most, so 400 fits a
    # phone, 800 a desktop and 1200 a desktop with a high-density screen.
    "IMAGES_WIDTHS": Option((400, 800, 1200), _widths),
    # `sizes` of every picture: how wide the page shows it (theme/static/css/site.css .wrap).
    "IMAGES_SIZES": text("(min-width: 44rem) 42rem, calc(100vw - 2rem)", allow_empty=False),
    # A featured image narrower than this is blurred on a desktop: an error.
    "IMAGES_MIN_WIDTH": whole_number(800),
    # Larger files or pictures are refused: a phone's photo is 3-12 MB and 12-50 megapixels;
    # more is a mistake, or a picture made to exhaust the build's memory.
    "IMAGES_MAX_BYTES": whole_number(30_000_000),
    "IMAGES_MAX_PIXELS": whole_number(60_000_000),
    # Keep renditions between builds, keyed by each source's bytes (`make html` turns it on).
    "IMAGES_CACHE": flag(False),
    # Where the cache lives; None means CACHE_PATH/images (cache/ is git-ignored).
    "IMAGES_CACHE_PATH": folder(None, allow_none=True),
    # Below this many images to convert, work stays in the build process.
    "IMAGES_MIN_BATCH": whole_number(8),
}


class ImagesSettingsError(errors.SettingsError):
    """One or more IMAGES_ settings are wrong; the message lists every one."""


SCHEMA = Schema("IMAGES_", OPTIONS, error=ImagesSettingsError)
DEFAULTS = SCHEMA.defaults


def images_settings(settings):
    """The IMAGES_ settings with defaults filled in, checked once (every mistake at once)."""
    merged = SCHEMA.load(settings)
    if merged["IMAGES_CACHE_PATH"] is None:
        merged["IMAGES_CACHE_PATH"] = os.path.join(settings.get("CACHE_PATH", "cache"), "images")
    return merged
