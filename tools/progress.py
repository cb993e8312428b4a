"""What a build is doing, told as it goes, and the one summary line it ends with.

A `BuildReport` listens to Pelican's signals while one build runs: each post read
(`article_generator_context`), each file written (`content_written`), each feed
(`feed_written`, plus the feed files found in the output at the end, since our
syndication plugin writes its own), each warning logged, and every draft or
future-dated post held back. On a terminal it keeps one live line up to date
("1,234 posts read, 567 pages written (95 s, writing pages)"); anywhere else it stays
silent, so logs and CI output carry only the held-back lines and the summary.
"""

import logging
import os
import time
from contextlib import contextmanager

from editorial.holdback import held_back
from editorial.pages import CONTEXT_KEY as EDITORIAL_AUDIT
from editorial.tagspelling import new_tags_line
from pelican import signals
from pelican.log import console
from rich.live import Live
from rich.text import Text

from tools.outputfiles import is_feed

LIVE_REFRESHES_PER_SECOND = 8


class WarningCounter(logging.Handler):
    """Counts WARNING records (not errors: those fail the build) logged anywhere."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record):
        if record.levelno == logging.WARNING:
            self.count += 1


def count_feeds(output):
    """Number of feed files under `output`."""
    return sum(1 for _, _, names in os.walk(output) for name in names if is_feed(name))


class BuildReport:
    """Counts one build's work through Pelican signals; shows it live on a terminal."""

    def __init__(self, live=None, preview=False):
        self.live = console.is_terminal if live is None else live
        self.preview = preview
        self.posts_read = 0
        self.pages_written = 0
        self.feeds_written = set()
        self.feeds = 0
        self.posts = 0
        self.held_back = []
        self.new_tags = []  # (tag, source path) of each tag only one post uses
        self.warnings = WarningCounter()
        self.started = time.perf_counter()
        self.seconds = 0.0
        self._live = None
        # Between reading and writing, thousands of posts take minutes to link (related
        # posts, series, feeds) while both counts stand still: the phase says why.
        self.phase = "reading posts"

    # Signal receivers. Each is connected for one build only (see `listening`).

    def post_read(self, generator, metadata=None):
        """article_generator_context: one post has been read."""
        self.posts_read += 1

    def file_written(self, path, context=None):
        """content_written: one HTML page (or other templated file) has been written."""
        self.phase = "writing pages"
        self.pages_written += 1

    def feed_written(self, path, context=None, feed=None):
        """feed_written: Pelican's own writer has written a feed."""
        self.feeds_written.add(str(path))

    def articles_done(self, generator):
        """article_generator_finalized: count published posts, name the held-back ones."""
        self.posts = len(generator.articles)
        self.held_back.extend(held_back(post) for post in generator.drafts)
        self.new_tags = getattr(generator.context.get(EDITORIAL_AUDIT), "new_tags", [])
        self.phase = "preparing pages"

    def pages_done(self, generator):
        """page_generator_finalized: name the held-back pages."""
        self.held_back.extend(held_back(page) for page in generator.draft_pages)

    def site_written(self, pelican):
        """finalized: everything is written; clear the live line, then silence Pelican's own
        "Done: Processed ..." line, which would be a second, differently counted summary."""
        # In this order: a quiet console would swallow the codes that erase the live line.
        if self._live is not None:
            self._live.stop()
        console.quiet = True

    _RECEIVERS = (
        ("article_generator_context", "post_read"),
        ("content_written", "file_written"),
        ("feed_written", "feed_written"),
        ("article_generator_finalized", "articles_done"),
        ("page_generator_finalized", "pages_done"),
        ("finalized", "site_written"),
    )

    @contextmanager
    def listening(self):
        """Connect the receivers (and the live line on a terminal) for one build."""
        receivers = [(getattr(signals, name), getattr(self, method)) for name, method in self._RECEIVERS]
        # Strong references, disconnected below: nothing survives into the next build
        # (autoreload and the tests run many builds in one process).
        for signal, receiver in receivers:
            signal.connect(receiver, weak=False)
        logging.getLogger().addHandler(self.warnings)
        quiet = console.quiet
        self.started = time.perf_counter()
        if self.live:
            self._live = Live(
                console=console,
                get_renderable=self.status_line,
                refresh_per_second=LIVE_REFRESHES_PER_SECOND,
                transient=True,
            )
            self._live.start()
        try:
            yield self
        finally:
            if self._live is not None:
                self._live.stop()  # a no-op when site_written stopped it
                self._live = None
            self.seconds = time.perf_counter() - self.started
            console.quiet = quiet
            logging.getLogger().removeHandler(self.warnings)
            for signal, receiver in receivers:
                signal.disconnect(receiver)

    def count_output(self, output):
        """Count the feeds in the finished output folder."""
        self.feeds = max(len(self.feeds_written), count_feeds(output))

    def status_line(self):
        """The live line: what has been read and written so far."""
        elapsed = time.perf_counter() - self.started
        return Text(
            f"Building: {self.posts_read:,} posts read, {self.pages_written:,} pages written "
            f"({elapsed:.0f} s, {self.phase})"
        )

    def held_back_lines(self, site_url=""):
        """One line per held-back post or page: what and why (and, in a preview, where)."""
        lines = []
        for record in sorted(self.held_back, key=lambda item: item.source_path):
            line = f"held back: {record}"
            if self.preview:
                line += f"; preview at {site_url.rstrip('/')}/{record.url}"
            lines.append(line)
        return lines

    def new_tags_line(self):
        """ "New tags: X (content/posts/y.md), ..." for the tags only one post uses, or ""."""
        return new_tags_line(self.new_tags)

    def summary(self):
        """The one line a finished build ends with."""
        what = "Built a preview of" if self.preview else "Built"
        shown = " (shown in this preview)" if self.preview and self.held_back else ""
        return (
            f"{what} {self.posts} posts, {self.pages_written} pages, {self.feeds} feeds "
            f"in {self.seconds:.2f} s: {self.warnings.count} warnings, {len(self.held_back)} held back{shown}."
        )
