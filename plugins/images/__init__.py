"""Images plugin: responsive renditions (WebP and JPEG/PNG at a few widths) of every
post's featured image and body images, with EXIF orientation applied and every other
piece of metadata (GPS above all) left out, and a 1200x630 social card for every post
and listing page: the featured image cropped around its focal point, or drawn with the
post's title, authors and series part in the font the theme ships.

Data flows one way: every post and page is read -> check and convert each source (or take
it from the cache) -> attach `picture`, `social_card`, `feed_image` to posts, rewrite body
`<img>`s as `<picture>`s -> plan the files -> write them.
"""

from blogcore import refresh
from pelican import signals

from .generator import ORIGINALS_KEY, ImagesGenerator
from .probe import is_raster_name
from .settings import images_settings


def check_settings(pelican):
    """Check the IMAGES_ settings at start-up; raise SettingsError listing every mistake."""
    images_settings(pelican.settings)


def images_generator(pelican):
    """Add the generator of renditions and cards."""
    return ImagesGenerator


def take_originals(generator):
    """static_generator_finalized: the photos under content/ are published by the images
    generator, with their metadata stripped (strip.py), instead of copied as they are."""
    originals = generator.context.setdefault(ORIGINALS_KEY, [])
    for static in list(generator.staticfiles):
        if is_raster_name(static.source_path):
            generator.staticfiles.remove(static)
            originals.append(static)


def check_body_images(post, new, generators, output_path):
    """blogcore.refresh.check_body: the problems of the images in a post's new body."""
    images = refresh.generator_of(generators, ImagesGenerator)
    return [] if images is None else images.check_body(new)


def rewrite_body_images(post, new, generators, output_path):
    """blogcore.refresh.rewrite_body: the images of a post's new body as <picture>."""
    images = refresh.generator_of(generators, ImagesGenerator)
    if images is not None:
        images.rewrite_body(post)


def register():
    """Connect the plugin's receivers."""
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(images_generator)
    signals.static_generator_finalized.connect(take_originals)
    refresh.check_body.connect(check_body_images)
    refresh.rewrite_body.connect(rewrite_body_images)
