"""Markdown converted before Pelican asks for it: in worker processes, or from the cache.

Pelican reads posts one by one, and converting Markdown is most of a cold build. When
the articles generator starts, `prepare_batch` converts every post it is about to read,
split across worker processes (files the content cache already knows are not converted
again). Pelican then reads as usual, through `BatchMarkdownReader`: a MarkdownReader
whose `read` takes the converted HTML and metadata from the batch and hands the metadata
to MarkdownReader's own `_parse_metadata`, so tags, dates and summaries are processed by
Pelican's code exactly as before.

A file missing from the batch (a page, or a post whose conversion failed in a worker) is
read by MarkdownReader itself, so its errors surface exactly as Pelican reports them.
"""

import logging
import multiprocessing
import os
import signal

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .cache import ContentCache, Converted, digest, fingerprint

logger = logging.getLogger(__name__)


class Converter:
    """Converts Markdown files as MarkdownReader does, reusing two Markdown instances.

    MarkdownReader makes a Markdown instance per file, converts the body, then resets it,
    switches off the meta extension and converts each formatted field (Summary) with it.
    Here the body instance is reset before each file and the formatted fields have their
    own instance without meta: `reset()` is what Python-Markdown provides for converting
    many documents with one instance, and what MarkdownReader relies on for the fields.
    """

    def __init__(self, markdown_config, formatted_fields):
        self.body = Markdown(**markdown_config)
        self.fields = Markdown(**markdown_config)
        self.fields.preprocessors.deregister("meta")
        self.formatted_fields = frozenset(formatted_fields)

    def convert(self, text):
        """The Converted of one Markdown document."""
        self.body.reset()
        html = self.body.convert(text)
        meta = dict(getattr(self.body, "Meta", {}))
        formatted = {}
        for name, lines in meta.items():
            if name.lower() in self.formatted_fields:
                joined = "\n".join(lines)
                self.fields.reset()
                formatted[joined] = self.fields.convert(joined)
        return Converted(html=html, meta=meta, formatted=formatted)

    def convert_file(self, path):
        """The Converted of the file at `path`, read as Pelican reads it."""
        with pelican_open(path) as text:
            return self.convert(text)


class _FormattedFields:
    """Stands in for the Markdown instance MarkdownReader._parse_metadata converts the
    formatted fields with, answering from what the worker already converted."""

    class _Registry:
        def deregister(self, name, strict=True):
            """The meta preprocessor was already off when the fields were converted."""

    def __init__(self, formatted):
        self._formatted = formatted
        self.preprocessors = self._Registry()

    def reset(self):
        """Nothing to reset: each answer was converted from a reset instance."""
        return self

    def convert(self, text):
        """The HTML of a formatted field's text."""
        return self._formatted[text]


class BatchMarkdownReader(MarkdownReader):
    """MarkdownReader that takes conversions from its generator's batch when it has them."""

    batch = None  # {absolute source path: Converted}, set by prepare_batch for one build

    def read(self, source_path):
        """Return (HTML, metadata) of `source_path`, as MarkdownReader.read does."""
        converted = self.batch.get(source_path) if self.batch else None
        if converted is None:
            return super().read(source_path)
        self._source_path = source_path
        self._md = _FormattedFields(converted.formatted)
        return converted.html, self._parse_metadata(converted.meta)


# Set in each worker process by _start_worker; never in the build process.
_worker_converter = None


def _start_worker(markdown_config, formatted_fields):
    global _worker_converter  # one converter per worker process
    # The build turns SIGTERM into KeyboardInterrupt for itself; a worker just stops,
    # and leaves Ctrl-C to the build process, which stops its workers.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_converter = Converter(markdown_config, formatted_fields)


def _convert_in_worker(path):
    try:
        return path, _worker_converter.convert_file(path)
    except Exception:  # the build process reads it again and reports the error
        return path, None


def convert_all(paths, markdown_config, formatted_fields, workers, min_batch):
    """{path: Converted or None} for `paths`, in `workers` forked processes when there are
    at least `min_batch` of them; a None is a file the build process must read itself."""
    if workers < 2 or len(paths) < min_batch:
        converter = Converter(markdown_config, formatted_fields)
        results = {}
        for path in paths:
            try:
                results[path] = converter.convert_file(path)
            except Exception:  # read again by MarkdownReader, which reports it
                results[path] = None
        return results
    # Fork: workers start at once with everything imported, and nothing is pickled but
    # paths in and strings out. The `with` block terminates them whatever happens.
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(paths) // (workers * 8)))
    with context.Pool(workers, _start_worker, (markdown_config, formatted_fields)) as pool:
        results = dict(pool.imap_unordered(_convert_in_worker, paths, chunksize=chunk))
        pool.close()
        pool.join()
    return results


def markdown_extensions(readers):
    """The file extensions whose reader is a BatchMarkdownReader."""
    return [ext for ext, reader in readers.readers.items() if isinstance(reader, BatchMarkdownReader)]


def prepare_batch(generator, paths_setting, excludes_setting, options):
    """Convert every Markdown file the generator will read, or take it from the cache;
    give the batch to its readers. Returns the ContentCache to save, or None."""
    extensions = markdown_extensions(generator.readers)
    if not extensions:
        return None
    reader = generator.readers.readers[extensions[0]]
    files = generator.get_files(generator.settings[paths_setting], exclude=generator.settings[excludes_setting])
    paths = sorted(
        os.path.abspath(os.path.join(generator.path, name))
        for name in files
        if os.path.splitext(name)[1][1:] in extensions
    )
    markdown_config = reader.settings["MARKDOWN"]
    formatted_fields = reader.settings["FORMATTED_FIELDS"]
    cache = None
    if options["FASTBUILD_CACHE"]:
        key = fingerprint(markdown_config, formatted_fields)
        cache = ContentCache(options["FASTBUILD_CACHE_PATH"], type(generator).__name__, key).load()

    batch, keys, missing = {}, {}, []
    for path in paths:
        if cache is not None:
            try:
                with open(path, "rb") as handle:
                    keys[path] = digest(handle.read())
            except OSError:
                continue  # MarkdownReader will report it
            hit = cache.get(keys[path])
            if hit is not None:
                batch[path] = hit
                continue
        missing.append(path)
    converted = convert_all(
        missing, markdown_config, formatted_fields, options["FASTBUILD_WORKERS"], options["FASTBUILD_MIN_BATCH"]
    )
    for path, result in converted.items():
        if result is not None:
            batch[path] = result
            if cache is not None:
                cache.put(keys[path], result)
    logger.debug("fastbuild: %d Markdown files from the cache, %d converted", len(paths) - len(missing), len(missing))
    for ext in extensions:
        generator.readers.readers[ext].batch = batch
    return cache


def release_batch(generator):
    """Drop the batch once every file is read (the posts keep their own HTML)."""
    for ext in markdown_extensions(generator.readers):
        generator.readers.readers[ext].batch = None
