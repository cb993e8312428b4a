"""Pelican's Writer, rendering the articles generator's pages in forked worker processes.

The articles generator writes every post page and every listing (index pages, tags,
categories, authors, archives): nearly all of a site's pages. While it writes them,
`ParallelWriter.write_file` runs Pelican's own `Writer.write_file` unchanged (pagination,
overwrite checks, the `content_written` signal with each page's context) with a template
that only records what to render, and the page's file is created empty. When the
generator is done (`article_writer_finalized`), `flush` forks workers that render their
share of the recorded pages into those files while the build process renders its own.
Every page is on disk, complete, before any other generator runs, so the redirects
check, the sitemap and the feeds see what a one-process build gives them.

Why a Writer subclass rather than a signal: rendering happens inside Writer.write_file,
and `get_writer` is Pelican's extension point for replacing the writer. `_open_w` is
overridden only to learn the file Pelican settled on (it writes a page that another page
already overrode to os.devnull).

Two differences a plugin could notice: `content_written` is sent when a page's file is
created, before its bytes are written; and a page is rendered after the generator has
gone on to the next, so a receiver of `article_generator_write_article` must not change
a post other than the one it is given. None of ours does either.
"""

import gc
import logging
import multiprocessing
import os
import pickle
import signal
import traceback
from dataclasses import dataclass, field

from pelican.writers import Writer

from .settings import fastbuild_settings

logger = logging.getLogger(__name__)


@dataclass
class PageJob:
    """One page to render: the template, the context it is rendered with, the file."""

    template: object
    context: dict  # the context given to write_file (Pelican may change its localsiteurl)
    base: dict  # a snapshot of that context when the page was written
    extra: dict  # what the page's own context adds to or changes in `base`
    path: str = field(default="")

    def local_context(self):
        """The page's context, as Writer.write_file built it."""
        local = dict(self.base)
        local.update(self.extra)
        return local


def render_page(job):
    """Render one page and write its file, as Writer._write_file does."""
    local = job.local_context()
    if local.get("localsiteurl"):
        job.context["localsiteurl"] = local["localsiteurl"]
    output = job.template.render(local)
    with open(job.path, "w", encoding="utf-8") as handle:
        handle.write(output)


class _RecordingTemplate:
    """A template whose render() records the page for later and returns no text."""

    def __init__(self, writer, template, context):
        self._writer = writer
        self._template = template
        self._context = context

    def render(self, local_context):
        """Record the page; its file is written empty for now."""
        self._writer._record(self._template, self._context, local_context)
        return ""


class _CapturedLogs(logging.Handler):
    """Keeps a worker's log records so the build process can log them as its own."""

    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.records = []

    def emit(self, record):
        try:
            pickle.dumps((record.msg, record.args))
        except Exception:  # unpicklable arguments: keep the formatted text
            record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


def _render_share_in_child(jobs, connection):
    # Ctrl-C reaches every process of the terminal: the build process stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    captured = _CapturedLogs()
    root.addHandler(captured)
    try:
        for job in jobs:
            render_page(job)
    except BaseException as error:  # reported to the build process, which raises it
        try:
            payload = pickle.dumps(error)
        except Exception:
            payload = None
        connection.send(("error", captured.records, payload, traceback.format_exc()))
    else:
        connection.send(("ok", captured.records, None, None))
    finally:
        connection.close()


def _raise_worker_error(payload, text):
    error = None
    if payload is not None:
        try:
            error = pickle.loads(payload)
        except Exception:
            error = None
    if not isinstance(error, BaseException):
        raise RuntimeError(f"a page rendering worker failed:\n{text}")
    error.add_note(f"Raised in a page rendering worker:\n{text}")
    raise error


def render_in_workers(jobs, workers):
    """Render `jobs` split across `workers` processes: this one and workers - 1 forks."""
    shares = [jobs[number::workers] for number in range(workers)]
    context = multiprocessing.get_context("fork")
    children = []
    # Freeze what exists now so no worker's garbage collector touches (and so copies)
    # the pages every process shares after the fork.
    gc.freeze()
    try:
        for share in shares[1:]:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_render_share_in_child, args=(share, sender), daemon=True)
            process.start()
            sender.close()
            children.append((process, receiver))
        gc.unfreeze()
        for job in shares[0]:
            render_page(job)
        for process, receiver in children:
            try:
                status, records, payload, text = receiver.recv()
            except EOFError:
                process.join()
                raise RuntimeError(f"a page rendering worker died (exit code {process.exitcode})") from None
            process.join()
            for record in records:
                logging.getLogger(record.name).handle(record)
            if status == "error":
                _raise_worker_error(payload, text)
    finally:
        gc.unfreeze()
        for process, receiver in children:
            receiver.close()
            if process.is_alive():
                process.terminate()
                process.join()


class ParallelWriter(Writer):
    """Writer that defers the articles generator's pages to `flush` (see the module)."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        options = fastbuild_settings(self.settings)
        self._workers = options["FASTBUILD_WORKERS"]
        self._min_batch = options["FASTBUILD_MIN_BATCH"]
        # Pelican's generator order puts the articles generator's output first, and
        # `flush` at its article_writer_finalized ends the recording.
        self._recording = self._workers > 1
        self._jobs = []
        self._pending = None
        self._snapshots = {}

    def write_file(self, name, template, context, *args, **kwargs):
        """Writer.write_file; while recording, pages are recorded and their files created empty."""
        if self._recording:
            template = _RecordingTemplate(self, template, context)
        return super().write_file(name, template, context, *args, **kwargs)

    def _snapshot(self, context):
        # One copy per context object, renewed if a value changes (localsiteurl aside:
        # each page carries its own), so each page renders with the values it was given.
        known = self._snapshots.get(id(context))
        if known is not None and known[0] is context:
            snapshot = known[1]
            if len(snapshot) == len(context) and all(
                snapshot.get(key) is value for key, value in context.items() if key != "localsiteurl"
            ):
                return snapshot
        snapshot = dict(context)
        self._snapshots[id(context)] = (context, snapshot)
        return snapshot

    def _record(self, template, context, local_context):
        base = self._snapshot(context)
        extra = {key: value for key, value in local_context.items() if key not in base or base[key] is not value}
        self._pending = PageJob(template=template, context=context, base=base, extra=extra)

    def _open_w(self, filename, encoding, override=False):
        # Writer.write_file renders, then opens the file through here: the page just
        # recorded goes to `filename`, unless Pelican skips it (os.devnull).
        handle = super()._open_w(filename, encoding, override)
        job, self._pending = self._pending, None
        if job is not None and handle.name != os.devnull:
            job.path = filename
            self._jobs.append(job)
        return handle

    def flush(self):
        """Render every recorded page into its file; from now on pages are written at once."""
        jobs, self._jobs = self._jobs, []
        self._recording = False
        self._snapshots.clear()
        if len(jobs) < self._min_batch:
            for job in jobs:
                render_page(job)
            return
        logger.debug("fastbuild: rendering %d pages in %d processes", len(jobs), self._workers)
        render_in_workers(jobs, self._workers)
