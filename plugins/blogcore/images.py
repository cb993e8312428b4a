"""What the images plugin attaches to posts for the templates and the feeds to show.

The images plugin makes the renditions; the templates and the syndication plugin only
read these values (no feature plugin imports another). Paths are relative to the output
folder; every value is plain data, so it survives the forked page-rendering workers.
"""

from dataclasses import dataclass

from markupsafe import Markup

# Fixed, not the mimetypes module: that one reads the machine's /etc/mime.types, and two
# machines must write byte-identical pages and feeds.
RASTER_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


@dataclass(frozen=True)
class Rendition:
    """One file the build writes for an image: where, how big, of what type."""

    path: str  # relative to the output folder, '/'-separated
    width: int
    height: int
    type: str  # MIME type
    length: int  # bytes, as written (the RSS enclosure's length)


@dataclass(frozen=True)
class Picture:
    """An image as the page shows it: one srcset per type, the fallback type last."""

    alt: str  # text
    sets: tuple  # ((type, (Rendition, ...)), ...), each by width, the fallback's last
    width: int  # of the largest rendition: the page's width/height give the aspect ratio
    height: int

    @property
    def fallback(self):
        """The renditions of the type every browser shows (JPEG or PNG), smallest first."""
        return self.sets[-1][1]

    def html(self, site_url, sizes, lazy, alt=None, css_class=None):
        """`<picture>` with a `<source>` per modern type and the fallback `<img>`, built with
        markupsafe so every value (the alt text above all) is escaped. `alt` replaces the
        picture's own text ("" where the picture repeats a title beside it, as on a card);
        `css_class` is the `<img>`'s class."""
        sources = Markup("").join(
            Markup('<source type="{}" srcset="{}" sizes="{}">').format(kind, srcset(files, site_url), sizes)
            for kind, files in self.sets[:-1]
        )
        largest = self.fallback[-1]
        # Not lazy above the fold: the featured image is the page's largest paint.
        loading = Markup(' loading="lazy"') if lazy else Markup("")
        classes = Markup(' class="{}"').format(css_class) if css_class else Markup("")
        image = Markup(
            '<img{} src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" decoding="async"{}>'
        ).format(
            classes,
            url(site_url, largest.path),
            srcset(self.fallback, site_url),
            sizes,
            self.width,
            self.height,
            self.alt if alt is None else alt,
            loading,
        )
        return Markup("<picture>{}{}</picture>").format(sources, image)


def parse_focus(value):
    """(x, y) fractions of an `Image_focus` value ('30%, 40%'), or None when it is not one."""
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != 2 or not all(part.endswith("%") for part in parts):
        return None
    try:
        numbers = [float(part[:-1]) for part in parts]
    except ValueError:
        return None
    if not all(0 <= number <= 100 for number in numbers):
        return None
    return (numbers[0] / 100, numbers[1] / 100)


def url(site_url, path):
    """The URL of an output file, as the templates write them: SITEURL/path."""
    return f"{site_url}/{path}"


def srcset(renditions, site_url):
    """'URL 400w, URL 800w' of `renditions`."""
    return ", ".join(f"{url(site_url, item.path)} {item.width}w" for item in renditions)
