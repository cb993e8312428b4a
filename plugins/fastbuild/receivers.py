"""The fastbuild plugin's receivers, imported by register() only once the installed Pelican
is the one its internals were checked against: a Pelican without a name these modules
import then still builds, plainly, instead of failing to load the plugin."""

from pelican import signals
from pelican.readers import MarkdownReader

from . import pelican_internals
from .reader import BatchMarkdownReader, finish_batch, start_batch, use_batch
from .settings import fastbuild_settings
from .summaries import use_offered_summary
from .taxonomy import index_taxonomies
from .translations import process_translations
from .urls import freeze_urls
from .writer import ParallelWriter

# Where the batch started at `initialized` waits for the articles generator: the settings
# of this one build (Pelican hands the same dict to every generator). It is taken out
# again as soon as the generator picks it up.
BATCH_KEY = "_fastbuild_batch"


def start_converting(pelican):
    """initialized: check the FASTBUILD_ settings (raising with every mistake) and start
    converting the posts, so that workers convert while the audit and the readers run."""
    options = fastbuild_settings(pelican.settings)
    pelican.settings[BATCH_KEY] = start_batch(pelican.settings, options)


def use_batch_reader(readers):
    """readers_init: read Markdown with BatchMarkdownReader (Pelican's documented way to
    replace a reader), which behaves as MarkdownReader until it is given a batch."""
    for extension in BatchMarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is MarkdownReader:
            readers.reader_classes[extension] = BatchMarkdownReader


def take_batch(generator):
    """article_generator_init: give the articles generator's readers the batch."""
    batch = generator.settings.pop(BATCH_KEY, None)
    generator.context.pop(BATCH_KEY, None)  # the context is a copy of the settings
    if batch is not None:
        use_batch(generator, batch)


def posts_read(generator):
    """article_generator_finalized: stop the workers, save the cache, index the taxonomies."""
    finish_batch(generator)
    index_taxonomies(generator)


def keep_generators(generators):
    """all_generators_finalized: with a LiveSite (the dev server), it keeps the generators."""
    live = fastbuild_settings(generators[0].settings)["FASTBUILD_LIVE"] if generators else None
    if live is not None:
        live.keep_generators(generators)


def parallel_writer(pelican):
    """get_writer: the writer that renders the articles generator's pages in workers."""
    return ParallelWriter


def render_recorded_pages(generator, writer):
    """article_writer_finalized: render the pages the articles generator wrote."""
    if isinstance(writer, ParallelWriter):
        writer.flush()


def connect():
    """Give Pelican's generators the grouped process_translations (the module-level name
    they call; results are the same) and connect every receiver."""
    pelican_internals.install_process_translations(process_translations)
    signals.initialized.connect(start_converting)
    signals.readers_init.connect(use_batch_reader)
    signals.article_generator_init.connect(take_batch)
    signals.article_generator_finalized.connect(posts_read)
    signals.content_object_init.connect(use_offered_summary)
    signals.all_generators_finalized.connect(freeze_urls)
    signals.all_generators_finalized.connect(keep_generators)
    signals.get_writer.connect(parallel_writer)
    signals.article_writer_finalized.connect(render_recorded_pages)
