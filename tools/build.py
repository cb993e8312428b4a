"""Build the site atomically, or only check its content.

    python -m tools.build [--settings pelicanconf.py] [--output DIR] [--check | --preview] [--no-search]

The site is built into a fresh folder beside the output folder and swapped in only
when the build succeeds: a content error, a logged Pelican error (such as its
"Could not process" of a post it failed to read), an interrupt or a write error
leaves the last good output exactly as it was, and the command exits non-zero.

A build names every draft and future-dated post it held back, shows live progress on
a terminal, and ends with one summary line. `--preview` also writes the held-back
posts at their normal URLs, marked on the page, for an editor to read before
publishing; it is never used to publish.
"""

import argparse
import contextlib
import io
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from blogcore.config import check_plugin_settings  # noqa: E402
from blogcore.errors import PipelineError  # noqa: E402
from blogcore.problems import ContentProblems, printable  # noqa: E402
from blogcore.scope import build_scope  # noqa: E402
from editorial.audit import audit_site  # noqa: E402
from editorial.tagspelling import new_tags_line  # noqa: E402
from pelican import Pelican  # noqa: E402
from pelican.log import init as init_logging  # noqa: E402
from pelican.settings import read_settings  # noqa: E402

from tools.progress import BuildReport  # noqa: E402
from tools.search_index import PostPages, SearchIndexFailed, index_site, search_settings  # noqa: E402
from tools.swap import leftover_folders, staging_prefix, swap_in, swap_target  # noqa: E402
from tools.templatecache import with_template_cache  # noqa: E402

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130
FASTBUILD_PLUGIN = "fastbuild"
# Command-line builds and checks keep converted Markdown, each post's audit results, the
# renditions of photos and the search index's bundles in CACHE_PATH (cache/, git-ignored),
# keyed by file bytes: after an edit only the changed posts and photos are converted and
# checked again, and only the bundle holding a changed post page is indexed again. Builds run
# through build() (tests, the trial build of make check) leave no cache unless they ask.
COMMAND_LINE_CACHES = {"FASTBUILD_CACHE": True, "EDITORIAL_CACHE": True, "IMAGES_CACHE": True, "SEARCH_CACHE": True}


class BuildFailed(Exception):
    """The build did not produce a complete site; the message says why."""


class ErrorCounter(logging.Handler):
    """Counts ERROR and worse records logged anywhere during a build."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


@contextmanager
def counting_errors():
    """Yield an ErrorCounter attached to the root logger for the duration."""
    counter = ErrorCounter()
    root = logging.getLogger()
    root.addHandler(counter)
    try:
        yield counter
    finally:
        root.removeHandler(counter)


@contextmanager
def sigterm_as_interrupt():
    """Turn SIGTERM into KeyboardInterrupt so the staging folder is cleaned up."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class PlainFormatter(logging.Formatter):
    """One line per record, as an editor reads it: `warning: message`, no time, logger
    name or code location, never wrapped (a terminal wraps a long line at its edge
    without breaking a path in two, as rich's handler did at 80 columns)."""

    def format(self, record):
        text = f"{record.levelname.lower()}: {printable(record.getMessage())}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def plain_log_handler():
    """A handler printing every record to stderr with PlainFormatter (for pelican.log.init)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(PlainFormatter())
    return handler


def load_settings(settings_file, overrides=None):
    """Read Pelican settings from `settings_file` with `overrides` applied."""
    return read_settings(str(settings_file), override=overrides or {})


# Run as its own process: a thread would have to win the build's GIL back between
# every two of its tens of thousands of unlink calls, and would take minutes. It is not
# a worker of the build: should the build be killed, it still finishes deleting.
_REMOVE = """\
import os, shutil, sys
for path in sys.argv[1:]:
    if os.path.islink(path):  # a link left by a killed build: never follow it
        os.unlink(path)
    else:
        shutil.rmtree(path, ignore_errors=True)
"""


@contextmanager
def remove_in_background(folders):
    """Delete `folders` in a separate process while the body runs; wait for it when the
    body ends.

    Deleting is mostly waiting for the disk, so it costs the build little time while the
    audit and the Markdown workers run; waiting at the end means no build leaves a
    deletion half done behind it.
    """
    folders = [str(folder) for folder in folders]
    remover = subprocess.Popen([sys.executable, "-c", _REMOVE, *folders]) if folders else None
    try:
        yield
    finally:
        if remover is not None:
            remover.wait()


def preview_overrides(settings):
    """Settings that write drafts and future-dated posts at the URLs they will have."""
    return {"DRAFT_URL": settings["ARTICLE_URL"], "DRAFT_SAVE_AS": settings["ARTICLE_SAVE_AS"]}


def with_fastbuild(settings, overrides):
    """`overrides` adding the fastbuild plugin to the site's plugins, unless the caller
    chose the plugins itself. The plugin (plugins/fastbuild/) converts Markdown and
    renders pages on every core and writes the same bytes as Pelican alone; it is added
    here, not in pelicanconf.py, so `pelican` on its own stays plain Pelican."""
    if "PLUGINS" in overrides or FASTBUILD_PLUGIN in settings["PLUGINS"]:
        return overrides
    return {**overrides, "PLUGINS": [*settings["PLUGINS"], FASTBUILD_PLUGIN]}


def build(settings_file, output=None, overrides=None, report=None, search=False, live=None):
    """Build the site into `output` (default: the settings' OUTPUT_PATH) atomically.

    `report`, a BuildReport, counts the work and the held-back posts (a silent one
    is used when none is given). `search` indexes the built site with Pagefind before
    the swap (tools/search_index.py), as `make html` and `make publish` do; tests and the
    trial build of `make check` leave it out unless they test search. `live`, a
    fastbuild LiveSite (the dev server's), keeps the build in memory once it is swapped
    in, to show a later edit of a post's body without building again. Returns the
    Pelican instance; raises BuildFailed, ContentProblems or KeyboardInterrupt with the
    previous output untouched.
    The fastbuild plugin is added unless `overrides` names PLUGINS (see with_fastbuild).
    """
    overrides = dict(overrides or {})
    report = report or BuildReport(live=False)
    settings = load_settings(settings_file, overrides)
    overrides = with_fastbuild(settings, overrides)
    output = swap_target(output or settings["OUTPUT_PATH"])
    output.parent.mkdir(parents=True, exist_ok=True)
    if live is not None:
        overrides["FASTBUILD_LIVE"] = live
    if settings.get("FASTBUILD_CACHE") and FASTBUILD_PLUGIN in overrides.get("PLUGINS", settings["PLUGINS"]):
        # Incremental rendering: pages whose inputs did not change are taken from the
        # build being replaced (plugins/fastbuild/pagerecord.py checks each file first).
        overrides = {**overrides, "FASTBUILD_PREVIOUS_OUTPUT": str(output)}
    # Named with this process's id: a later build deletes it only once this one is gone.
    staging = tempfile.mkdtemp(prefix=staging_prefix(output), dir=output.parent)
    os.chmod(staging, 0o755)  # mkdtemp's 0700 would hide the site from a web server
    try:
        settings = load_settings(settings_file, {**overrides, "OUTPUT_PATH": staging})
        # Every plugin's settings mistakes in one report, before Pelican starts.
        check_plugin_settings(settings)
        search_options = search_settings(settings) if search else None
        post_pages = PostPages()
        with remove_in_background(leftover_folders(output)):
            with (
                counting_errors() as errors,
                sigterm_as_interrupt(),
                report.listening(),
                # Only a build that indexes notes its post pages: at 10,000 posts working
                # out every save_as costs about a second.
                post_pages.listening() if search else contextlib.nullcontext(),
                build_scope() as scope,
            ):
                pelican = Pelican(settings)
                pelican.run()
            if errors.count:
                raise BuildFailed(f"{errors.count} error(s) logged above")
            if search:
                try:
                    index_site(staging, post_pages.paths, **search_options)
                except SearchIndexFailed as error:
                    raise BuildFailed(f"cannot index the site for search: {error}") from error
            report.count_output(staging)
            swap_in(staging, output)
        if live is not None:
            live.built(scope, output)
        return pelican
    except OSError as error:
        raise BuildFailed(f"cannot write the site: {error}") from error
    finally:
        if os.path.exists(staging):
            shutil.rmtree(staging, ignore_errors=True)


class _Collect(logging.Handler):
    """Keeps the message of every record at WARNING or above, instead of printing it."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextmanager
def quiet():
    """Run the trial build without printing: its "Done" line is dropped and what it logs
    at WARNING or above is collected (yielded as a list) for the check's own report."""
    root = logging.getLogger()
    collect, handlers = _Collect(), root.handlers[:]
    root.handlers = [collect]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield collect.messages
    finally:
        root.handlers = handlers


def trial_build(settings_file, overrides=None):
    """Build the site into a temporary folder; return (problems, logged): the problems only
    a build finds (what the sanitiser removes, two writers of one path, body links that lead
    nowhere, recorded URLs that disappeared) and the warnings it logged. `make check` is a
    fresh process each time: the compiled templates are kept in CACHE_PATH/templates
    (git-ignored, emptied by `make clean`)."""
    settings = load_settings(settings_file, overrides)
    overrides = with_template_cache(settings, overrides, Path(settings["CACHE_PATH"]) / "templates")
    with tempfile.TemporaryDirectory(prefix="url-check-") as folder, quiet() as logged:
        try:
            build(settings_file, Path(folder) / "output", overrides)
        except ContentProblems as problems:
            return list(problems.problems), logged
    return [], logged


def check(settings_file, overrides=None):
    """Audit all content, then build it into a temporary folder for what only a build
    knows (clashing aliases, recorded URLs that disappeared); return the SiteAudit, with
    what the build alone logged in `build_warnings`, so make check says what make html says."""
    audit = audit_site(load_settings(settings_file, overrides))
    if not audit.errors:
        problems, logged = trial_build(settings_file, overrides)
        audit.problems.extend(problems)
        known = {str(problem) for problem in audit.warnings}  # the build logs the audit's again
        audit.build_warnings = [message for message in logged if message not in known]
    return audit


def _report_check(settings_file):
    started = time.perf_counter()
    audit = check(settings_file, COMMAND_LINE_CACHES)
    for problem in audit.problems:
        print(f"{problem.severity}: {problem}")
    for message in audit.build_warnings:
        print(f"warning: {message}")
    seconds = time.perf_counter() - started
    warnings = len(audit.warnings) + len(audit.build_warnings)
    print(
        f"Checked {len(audit.posts)} posts, {len(audit.catalog.authors)} authors, "
        f"{len(audit.catalog.partners)} partners, {len(audit.catalog.series)} series "
        f"in {seconds:.2f} s: {len(audit.errors)} errors, {warnings} warnings."
    )
    if new_tags_line(audit.new_tags):
        print(new_tags_line(audit.new_tags))
    return EXIT_FAILED if audit.errors else EXIT_OK


def _report_build(settings_file, output, preview, search=True):
    settings = load_settings(settings_file)
    overrides = preview_overrides(settings) if preview else {}
    overrides.update(COMMAND_LINE_CACHES)
    report = BuildReport(preview=preview)
    build(settings_file, output, overrides, report, search=search)
    for line in report.held_back_lines(settings["SITEURL"]):
        print(line)
    print(report.summary())
    if report.new_tags_line():
        print(report.new_tags_line())


def main(argv=None):
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--output", help="output folder (default: OUTPUT_PATH from the settings)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="check content only, write nothing")
    mode.add_argument("--preview", action="store_true", help="also write drafts and future posts, marked as such")
    parser.add_argument(
        "--no-search", action="store_true", help="leave out the search index (Pagefind), e.g. to time the build alone"
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    init_logging(logging.INFO if args.verbose else logging.WARNING, handler=plain_log_handler())
    try:
        if args.check:
            return _report_check(args.settings)
        _report_build(args.settings, args.output, args.preview, search=not args.no_search)
    except PipelineError as error:  # content or settings: the message is the whole report
        print(error, file=sys.stderr)
    except BuildFailed as error:
        print(f"Build failed: {error}.", file=sys.stderr)
    except KeyboardInterrupt:
        print("Build interrupted; the previous output is unchanged.", file=sys.stderr)
        return EXIT_INTERRUPTED
    else:
        return EXIT_OK
    print("The previous output is unchanged.", file=sys.stderr)
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
