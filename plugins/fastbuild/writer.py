"""Pelican's Writer, rendering the articles generator's pages in forked worker processes.

The articles generator writes every post page and every listing (index pages, tags,
categories, authors, archives): nearly all of a site's pages. While it writes them,
`ParallelWriter.write_file` does what Pelican's Writer.write_file does (pagination, each
page's context, the checks on pages overwriting one another, the "Writing" log line and
the `content_written` signal) except render and write the file: it records the page.
When the generator is done (`article_writer_finalized`), `flush` forks workers that
render their share of the recorded pages and write them, while the build process renders
its own share. Every page is on disk before any other generator runs, so the redirects
check, the sitemap and the feeds see what a one-process build gives them.

Why a Writer subclass: rendering happens inside Writer.write_file, and `get_writer` is
Pelican's extension point for replacing the writer. Why write_file is restated rather
than wrapped: Pelican's version creates each page's folder and file as it goes, and on
this kind of machine a new folder or file costs 0.1-0.2 ms, seconds for a large site,
spent in the one process; the workers create them instead, side by side. The restated
part follows Pelican 4.12.0 (requirements.txt pins it; pelican_internals.RESTATED keeps
a digest of the source it follows, which tests/test_pelican_internals.py checks), and
tests/test_fastbuild.py compares every byte with Pelican's own writer.

With the cache on (FASTBUILD_CACHE, as `make html` runs), `flush` first gives each page
its key (incremental.py) and takes the pages whose key and file are as the previous build
recorded from that build's output instead of rendering them (pagerecord.py).

With a LiveSite (FASTBUILD_LIVE, the dev server's), every page, those of the later
generators too, is also kept with its template and context, for live.py to render again
after an edit.

Two differences a plugin could notice: `content_written` is sent when a page is recorded,
before its file exists; and pages are rendered after the generator has finished, so a
receiver of `article_generator_write_article` must not change a post other than the one
it is given, and a context value changed in place is seen as it is at the end. None of
our plugins does either.
"""

import logging
import os
import time
from dataclasses import dataclass

from blogcore.workers import share_out
from pelican.paginator import Paginator
from pelican.plugins import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .incremental import PageKeys
from .pagerecord import PageRecord, Written, link_or_copy, written
from .pelican_internals import written_and_overridden
from .settings import fastbuild_settings

logger = logging.getLogger(__name__)


@dataclass
class PageJob:
    """One page to render: the template, the context it is rendered with, the file."""

    template: object
    context: dict  # the context given to write_file (Pelican may change its localsiteurl)
    base: dict  # a snapshot of that context when the page was written
    extra: dict  # what the page's own context adds to or changes in `base`
    path: str  # the file; "" when a later page overwrote it
    relative: str = ""  # the file, relative to the output folder (for the page record)
    key: str | None = None  # its inputs' digest (incremental.py); None: not recorded
    reuse: tuple | None = None  # (previous build's file, its Written) standing for this page

    def local_context(self):
        """The page's context, as Writer.write_file built it."""
        local = dict(self.base)
        local.update(self.extra)
        return local

    def render(self):
        """The page's bytes: what Pelican's text-mode UTF-8 file gets on this platform (no
        newline changes), encoded here once so that the record can hold their digest."""
        local = self.local_context()
        if local["localsiteurl"]:
            self.context["localsiteurl"] = local["localsiteurl"]
        return self.template.render(local).encode("utf-8")


def render_page(job):
    """Render one page and write its file, as Writer._write_file does (or put the previous
    build's file there, when it stands for the page); return the page's Written, or None
    for a page without a key."""
    if not job.path:
        return None
    if job.reuse is not None:
        source, entry = job.reuse
        link_or_copy(source, job.path)
        stat = os.stat(job.path)
        return Written(job.key, stat.st_size, stat.st_mtime_ns, stat.st_ino, entry.digest)
    data = job.render()
    os.makedirs(os.path.dirname(job.path), exist_ok=True)
    with open(job.path, "wb") as handle:
        handle.write(data)
    return None if job.key is None else written(job.key, job.path, data)


def render_in_workers(jobs, workers):
    """Render `jobs` split across `workers` processes: this one and workers - 1 forks;
    return {relative path: Written} of the pages with a key."""
    pages = {}
    for share in share_out(jobs, _render_share, workers, "page rendering"):
        pages.update(share)
    return pages


def _render_share(jobs):
    pages = {}
    for job in jobs:
        entry = render_page(job)
        if entry is not None:
            pages[job.relative] = entry
    return pages


class ParallelWriter(Writer):
    """Writer that records the articles generator's pages and renders them in `flush`."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        options = fastbuild_settings(self.settings)
        self._workers = options["FASTBUILD_WORKERS"]
        self._min_batch = options["FASTBUILD_MIN_BATCH"]
        # With the cache on, each page's inputs are recorded, and unchanged pages taken from
        # the previous build's output (pagerecord.py).
        self._pages = None
        if options["FASTBUILD_CACHE"]:
            self._pages = PageRecord(options["FASTBUILD_CACHE_PATH"], options["FASTBUILD_PREVIOUS_OUTPUT"])
        # The dev server's memory of this build (live.py) keeps every page with its context.
        self._live = options["FASTBUILD_LIVE"]
        # Pelican runs the articles generator's output first; its article_writer_finalized
        # calls `flush`, which ends the recording.
        self._recording = self._workers > 1 or self._pages is not None or self._live is not None
        self._jobs = []
        self._job_by_path = {}
        self._snapshots = {}
        # False: pages are recorded without the log line and content_written (pages of a
        # build recorded again by the dev server, which the build's receivers already saw).
        self.announce = True

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        """Writer.write_file; while recording, each page is recorded instead of written."""
        if not self._recording:
            if self._live is not None:  # recorded for the dev server, and written at once
                return self._write_now(
                    name, template, context, relative_urls, paginated, template_name, override_output, url, **kwargs
                )
            return super().write_file(
                name, template, context, relative_urls, paginated, template_name, override_output, url, **kwargs
            )
        if not name:  # False, "" and None: nothing to write
            return None
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in {"articles", "dates"}}
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
            paginators = {key: Paginator(name, url, value, self.settings, per_page) for key, value in paginated.items()}
            for page_number in range(next(iter(paginators.values())).num_pages):
                page_kwargs = kwargs.copy()
                for key, paginator in paginators.items():
                    page = paginator.page(page_number + 1)
                    page_kwargs.update(
                        {
                            f"{key}_paginator": paginator,
                            f"{key}_page": page,
                            f"{key}_previous_page": paginator.page(page_number) if page_number > 0 else None,
                            f"{key}_next_page": paginator.page(page_number + 2)
                            if page_number + 1 < paginator.num_pages
                            else None,
                        }
                    )
                self._record(template, context, page.save_as, page_kwargs, relative_urls, override_output)
        else:
            self._record(template, context, name, kwargs, relative_urls, override_output)
        return None

    def _write_now(self, *args, **kwargs):
        # After `flush`, with a LiveSite: record the page(s) as before the flush, render
        # them now, and keep them.
        self._recording = True
        try:
            self.write_file(*args, **kwargs)
        finally:
            self._recording = False
        jobs = [job for job in self._jobs if job.path]
        self._jobs, self._job_by_path = [], {}
        _render_share(jobs)
        self._live.keep_pages(jobs, self.output_path)

    def _snapshot(self, context):
        # One copy per context object, renewed if a value changes, so each page renders
        # with the values it was given. Every page carries its own localsiteurl, so the
        # snapshot's may follow the context's; the comparison then runs in C (a value
        # replaced by an equal one counts as unchanged).
        known = self._snapshots.get(id(context))
        if known is not None and known[0] is context:
            snapshot = known[1]
            if "localsiteurl" in context:
                snapshot["localsiteurl"] = context["localsiteurl"]
            if snapshot.items() == context.items():
                return snapshot
        snapshot = dict(context)
        self._snapshots[id(context)] = (context, snapshot)
        return snapshot

    def _record(self, template, context, name, page_kwargs, relative_urls, override):
        # Writer.write_file's _get_localcontext and _write_file, minus rendering and files.
        extra = {"localsiteurl": context.get("localsiteurl", None)}
        if relative_urls:
            relative_url = path_to_url(get_relative_path(name))
            extra["SITEURL"] = relative_url
            extra["localsiteurl"] = relative_url
        extra["output_file"] = name
        extra.update(page_kwargs)
        base = self._snapshot(context)
        local = dict(base)
        local.update(extra)
        if local["localsiteurl"]:
            context["localsiteurl"] = local["localsiteurl"]
        path = sanitised_join(self.output_path, name)
        target = self._claim(path, override)
        if target != os.devnull:
            earlier = self._job_by_path.get(target)
            if earlier is not None:  # an overriding page replaces the one written before
                earlier.path = ""
            job = PageJob(template=template, context=context, base=base, extra=extra, path=target)
            self._jobs.append(job)
            self._job_by_path[target] = job
        if self.announce:
            logger.info('Writing "%s"', path)
            signals.content_written.send(path, context=local)

    def _claim(self, filename, override):
        # Writer._open_w's rules, without opening the file: returns where the page goes.
        written, overridden = written_and_overridden(self)
        if filename in overridden:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            logger.info('Skipping "%s", not overwriting', filename)
            filename = os.devnull
        elif filename in written:
            if override:
                logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already '
                    "written to it previously (set `override=True` if intended)"
                )
        if override:
            overridden.add(filename)
        written.add(filename)
        return filename

    def take_recorded(self):
        """The pages recorded so far (PageJob), taken out without rendering them: the
        dev server's tag change records a tag's pages again (live.py)."""
        jobs = [job for job in self._jobs if job.path]
        self._jobs, self._job_by_path = [], {}
        return jobs

    def flush(self):
        """Render every recorded page into its file (or take it from the previous build,
        when nothing it reads changed); from now on pages are written at once."""
        jobs = [job for job in self._jobs if job.path]
        self._jobs, self._job_by_path, self._recording = [], {}, False
        self._snapshots.clear()
        if self._pages is not None and jobs:
            self._give_keys(jobs)
        if len(jobs) < self._min_batch or self._workers < 2:
            pages = _render_share(jobs)
        else:
            logger.debug("fastbuild: rendering %d pages in %d processes", len(jobs), self._workers)
            pages = render_in_workers(jobs, self._workers)
        if self._pages is not None:
            self._pages.new = pages
            self._pages.save(self.output_path)
        if self._live is not None:
            self._live.keep_pages(jobs, self.output_path)

    def _give_keys(self, jobs):
        # Each page's key, and the previous build's file that can stand for it.
        started = time.perf_counter()
        record = self._pages.load()
        keys = PageKeys(self.settings, jobs[0].context, jobs[0].template.environment)
        reused = 0
        for job in jobs:
            job.relative = os.path.relpath(job.path, self.output_path)
            job.key = keys.key(job.template, job.local_context())
            job.reuse = record.reusable(job.relative, job.key)
            reused += job.reuse is not None
        seconds = time.perf_counter() - started
        logger.debug("fastbuild: %d of %d pages unchanged since the previous build (%.2f s)", reused, len(jobs),
                     seconds)  # fmt: skip
