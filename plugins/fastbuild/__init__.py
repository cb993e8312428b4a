"""Fastbuild plugin: the same site, built on every core and without repeating work.

- reader.py: posts' Markdown is converted in worker processes before Pelican reads them,
  or taken from the content cache when the file's bytes have not changed (FASTBUILD_CACHE);
- taxonomy.py: tag, category and author post lists answer `in` from an index, removing
  the part of Pelican's ArticlesGenerator that grows with the square of the posts;
- writer.py: the articles generator's pages are rendered in forked worker processes.

What readers and partners get is byte for byte what Pelican alone writes
(tests/test_fastbuild.py builds fixture sites both ways and compares every file).
FASTBUILD_WORKERS = 1 does everything in the build process. tools/build.py adds this
plugin to every build it runs; `pelican` on its own (make devserver) builds without it.
"""

import logging

from pelican import signals
from pelican.readers import MarkdownReader

from .reader import BatchMarkdownReader, prepare_batch, release_batch
from .settings import fastbuild_settings
from .taxonomy import index_taxonomies
from .writer import ParallelWriter

logger = logging.getLogger(__name__)

# Each generator's content cache, saved once its posts are read: kept on the generator
# itself, so nothing outlives the build.
CACHE_ATTRIBUTE = "_fastbuild_cache"


def check_settings(pelican):
    """Check the FASTBUILD_ settings at start-up; raise listing every mistake."""
    fastbuild_settings(pelican.settings)


def use_batch_reader(readers):
    """readers_init: read Markdown with BatchMarkdownReader (Pelican's documented way to
    replace a reader), which behaves as MarkdownReader until it is given a batch."""
    for extension in BatchMarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is MarkdownReader:
            readers.reader_classes[extension] = BatchMarkdownReader


def convert_posts(generator):
    """article_generator_init: convert (or find in the cache) every post about to be read."""
    options = fastbuild_settings(generator.settings)
    cache = prepare_batch(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES", options)
    setattr(generator, CACHE_ATTRIBUTE, cache)


def posts_read(generator):
    """article_generator_finalized: save the cache, drop the batch, index the taxonomies."""
    release_batch(generator)
    cache = getattr(generator, CACHE_ATTRIBUTE, None)
    if cache is not None:
        try:
            cache.save()
        except OSError as error:  # a cache that cannot be written only makes the next build slower
            logger.warning("Could not save the content cache %s: %s", cache.path, error)
    index_taxonomies(generator)


def parallel_writer(pelican):
    """get_writer: the writer that renders the articles generator's pages in workers."""
    return ParallelWriter


def render_recorded_pages(generator, writer):
    """article_writer_finalized: render the pages the articles generator wrote."""
    if isinstance(writer, ParallelWriter):
        writer.flush()


def register():
    """Connect the plugin's receivers."""
    signals.initialized.connect(check_settings)
    signals.readers_init.connect(use_batch_reader)
    signals.article_generator_init.connect(convert_posts)
    signals.article_generator_finalized.connect(posts_read)
    signals.get_writer.connect(parallel_writer)
    signals.article_writer_finalized.connect(render_recorded_pages)
