"""Markdown converted before Pelican asks for it: in worker processes, or from the cache.

Pelican reads posts one by one, and converting Markdown is most of a cold build. As soon
as the build starts (before the editorial audit, which then runs alongside),
`start_batch` hands every post the articles generator will read to worker processes, in
the order it will read them (files the content cache already knows are not converted
again). Pelican then reads as usual, through `BatchMarkdownReader`: a MarkdownReader
whose `read` takes the converted HTML and metadata from the batch and hands the metadata
to MarkdownReader's own `_parse_metadata` (through pelican_internals, which holds every
private name of Pelican fastbuild uses), so tags, dates and summaries are processed by
Pelican's code exactly as before.

A file missing from the batch (a page, or a post whose conversion failed in a worker) is
read by MarkdownReader itself, so its errors surface exactly as Pelican reports them.
"""

import io
import logging
import multiprocessing
import os
import re
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from blogcore.lifetime import forking_workers, start_worker
from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.urlwrappers import URLWrapper
from pelican.utils import SafeDatetime

from .cache import ContentCache, Converted, digest, fingerprint
from .pelican_internals import content_files, parse_markdown_metadata, reader_extensions
from .summaries import SummaryRule, offer
from .summaries import forget as forget_summaries

logger = logging.getLogger(__name__)


class Converter:
    """Converts Markdown files as MarkdownReader does, reusing two Markdown instances.

    MarkdownReader makes a Markdown instance per file, converts the body, then resets it,
    switches off the meta extension and converts each formatted field (Summary) with it.
    Here the body instance is reset before each file and the formatted fields have their
    own instance without meta: `reset()` is what Python-Markdown provides for converting
    many documents with one instance, and what MarkdownReader relies on for the fields.
    (A restatement of MarkdownReader.read: pelican_internals.RESTATED.)
    """

    def __init__(self, markdown_config, formatted_fields, summary_rule):
        self.body = Markdown(**markdown_config)
        self.fields = Markdown(**markdown_config)
        self.fields.preprocessors.deregister("meta")
        self.formatted_fields = frozenset(formatted_fields)
        self.summary_rule = summary_rule

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
        # Python-Markdown's Meta keys are lowercase, as Pelican's metadata names are.
        summary = None if "summary" in meta else self.summary_rule.summarise(html)
        return Converted(html=html, meta=meta, formatted=formatted, summary=summary)


# Dates as editors write them (2014-02-12, 2014-02-12 10:20, 2014-02-12T10:20:30).
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")


def iso_date(text):
    """The SafeDatetime Pelican's get_date gives for an ISO date without a time zone, or
    None for anything else (and for impossible dates), which get_date is then left to do.

    get_date hands every date to dateutil's parser, a few hundred microseconds each:
    seconds for a large site. For these forms dateutil returns its default (a SafeDatetime
    at midnight today) with the fields written replaced, which is what this builds.
    """
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return SafeDatetime(*(int(part) for part in match.groups(default="0")))
    except ValueError:
        return None


class BatchMarkdownReader(MarkdownReader):
    """MarkdownReader that takes conversions from its generator's batch when it has them.

    It also reads ISO dates without dateutil (`iso_date`) and gives every post the same
    Tag, Category and Author object for the same name, as the posts of a Pelican site
    share its tag and category pages: each object works out its slug once, instead of
    once per post that names it (tens of thousands of slugify calls for a large site).
    """

    batch = None  # the Batch of its generator, given by fastbuild.take_batch for one build

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shared = {}  # (class, name) -> the one URLWrapper for that name

    def process_metadata(self, name, value):
        """BaseReader.process_metadata, with the two shortcuts above."""
        if name in ("date", "modified") and isinstance(value, str):
            date = iso_date(value.replace("_", " ") if name == "date" else value)
            if date is not None:
                return date
        processed = super().process_metadata(name, value)
        if isinstance(processed, URLWrapper):
            return self._share(processed)
        if isinstance(processed, list):
            return [self._share(item) if isinstance(item, URLWrapper) else item for item in processed]
        return processed

    def _share(self, wrapper):
        return self._shared.setdefault((type(wrapper), wrapper.name), wrapper)

    def read(self, source_path):
        """Return (HTML, metadata) of `source_path`, as MarkdownReader.read does."""
        converted = self.batch.get(source_path) if self.batch is not None else None
        if converted is None:
            return super().read(source_path)
        if converted.summary is not None:
            offer(source_path, converted.summary)
        return converted.html, parse_markdown_metadata(self, source_path, converted.meta, converted.formatted)


def read_text(data):
    """`data` decoded as pelican_open decodes a file: UTF-8, BOM dropped, universal newlines."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig").read()


def process_file(path, converter, known_keys):
    """(cache key, Converted or None, found in cache) for the file at `path`: a file the
    cache knows is not converted again. Any failure gives (None, None, False): the build
    process then reads the file with MarkdownReader, which reports the error as Pelican does."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        key = digest(data)
        if key in known_keys:
            return key, None, True
        return key, converter.convert(read_text(data)), False
    except Exception:  # reported when MarkdownReader reads it again
        return None, None, False


# Set in each worker process by _start_worker; never in the build process.
_worker_state = None


def _start_worker(markdown_config, formatted_fields, summary_rule, known_keys):
    global _worker_state  # one converter per worker process
    # Dies with the build; SIGTERM just stops it, Ctrl-C is left to the build process.
    start_worker()
    _worker_state = (Converter(markdown_config, formatted_fields, summary_rule), known_keys)


def _process_in_worker(path):
    converter, known_keys = _worker_state
    return process_file(path, converter, known_keys)


class Batch:
    """One generator's Markdown files, converted ahead of Pelican's reads.

    With workers, every file is handed out at once, in the order Pelican will read them
    (the order of the set Generator.get_files returns, which the generator builds again
    the same way), and results are taken in that order: Pelican reads the first posts
    while workers convert the next. Without, each file is converted when Pelican asks.
    """

    def __init__(self, paths, markdown_config, formatted_fields, summary_rule, cache, workers):
        self.cache = cache
        self.converted = self.from_cache = 0
        self._known = frozenset(cache.keys()) if cache is not None else frozenset()
        self._ready = {}
        self._waiting = dict.fromkeys(paths)  # in the order results arrive
        self._results = None
        self._executor = None
        self._config = (markdown_config, formatted_fields, summary_rule)
        self._converter = None
        if workers > 1:
            # Fork: workers start at once with everything imported; only paths go out and
            # strings come back.
            self._executor = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(markdown_config, formatted_fields, summary_rule, self._known),
            )
            # A build that stops before reading every post leaves no worker behind.
            weakref.finalize(self, self._executor.shutdown, False, cancel_futures=True)
            chunk = max(1, min(32, len(paths) // (workers * 16)))
            # The pool forks its workers here: signals wait until each has its handlers.
            with forking_workers():
                self._results = self._executor.map(_process_in_worker, list(self._waiting), chunksize=chunk)

    def _accept(self, path, key, converted, hit):
        if hit:
            converted = self.cache.get(key)
            self.from_cache += 1
        elif converted is not None:
            self.converted += 1
            if self.cache is not None:
                self.cache.put(key, converted)
        self._ready[path] = converted

    def _next_result(self):
        path = next(iter(self._waiting))
        del self._waiting[path]
        try:
            result = next(self._results)
        except BrokenProcessPool as error:
            logger.warning("A Markdown worker stopped (%s); the build process reads the remaining posts", error)
            self._results = None
            result = (None, None, False)
        self._accept(path, *result)

    def get(self, path):
        """The Converted of `path`, waiting for its worker if need be; None means
        MarkdownReader must read it (not in the batch, or its conversion failed)."""
        if path in self._waiting:
            if self._results is None:
                del self._waiting[path]
                self._accept(path, *process_file(path, self._converter_for_main(), self._known))
            else:
                while path in self._waiting:
                    self._next_result()
        return self._ready.get(path)

    def _converter_for_main(self):
        if self._converter is None:
            self._converter = Converter(*self._config)
        return self._converter

    def finish(self):
        """Stop the workers (every file Pelican reads has been taken) and drop the results."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._results = None
        self._waiting.clear()
        self._ready.clear()


def markdown_extensions(readers):
    """The file extensions whose reader is a BatchMarkdownReader."""
    return [ext for ext, reader in readers.readers.items() if isinstance(reader, BatchMarkdownReader)]


def article_sources(settings):
    """The content-relative files the articles generator will read, in the order it reads them.

    That generator iterates the set Generator.get_files returns; running Pelican's own
    get_files over the same folders builds an equal set the same way, so it iterates in
    the same order, and posts are converted in the order Pelican asks for them. (Should
    the order ever differ, reading waits longer for its workers; nothing else changes.)
    """
    return content_files(settings, settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"])


def start_batch(settings, options):
    """Start converting the posts of the build (files the content cache knows are not
    converted again); return the Batch the articles generator's readers will use."""
    # MarkdownReader completes the MARKDOWN setting (its extension list) when it is made;
    # making one now gives the configuration every later reader uses.
    reader = MarkdownReader(settings)
    extensions = [ext for ext in reader.file_extensions if ext in reader_extensions(settings)]
    paths = [
        os.path.abspath(os.path.join(settings["PATH"], name))
        for name in article_sources(settings)
        if os.path.splitext(name)[1][1:] in extensions
    ]
    markdown_config = reader.settings["MARKDOWN"]
    formatted_fields = reader.settings["FORMATTED_FIELDS"]
    summary_rule = SummaryRule.from_settings(settings)
    cache = None
    if options["FASTBUILD_CACHE"]:
        key = fingerprint(markdown_config, formatted_fields, summary_rule)
        cache = ContentCache(options["FASTBUILD_CACHE_PATH"], "ArticlesGenerator", key).load()
    parallel = options["FASTBUILD_WORKERS"] > 1 and len(paths) >= options["FASTBUILD_MIN_BATCH"]
    workers = options["FASTBUILD_WORKERS"] if parallel else 1
    return Batch(paths, markdown_config, formatted_fields, summary_rule, cache, workers)


def use_batch(generator, batch):
    """Give `batch` to the generator's Markdown readers."""
    for ext in markdown_extensions(generator.readers):
        generator.readers.readers[ext].batch = batch


def finish_batch(generator):
    """Once every post is read: stop the workers, save the cache, drop the batch."""
    batch = None
    for ext in markdown_extensions(generator.readers):
        batch = generator.readers.readers[ext].batch or batch
        generator.readers.readers[ext].batch = None
    if batch is None:
        return
    batch.finish()
    forget_summaries()
    logger.debug("fastbuild: %d posts from the cache, %d converted", batch.from_cache, batch.converted)
    if batch.cache is not None:
        try:
            batch.cache.save()
        except OSError as error:  # a cache that cannot be written only makes the next build slower
            logger.warning("Could not save the content cache %s: %s", batch.cache.path, error)
