"""Processes for tests/test_atomic_swap.py to kill at a named step, with SIGKILL.

    python tests/killable.py build-killed-at STEP -- BUILD ARGS
        runs `python -m tools.build BUILD ARGS`, killing itself at STEP: "swap-call-N"
        after the N-th filesystem call of swap_in (0: when swap_in is entered, before
        any), or "rendering" once the page rendering workers are forked (each blocks;
        their pids are written, one a line, to the file named by KILLABLE_PIDS first);
        STEP "pause-rendering" kills nothing: the build process prints PAUSED when it
        starts rendering pages and waits there for the test's signal.
    python tests/killable.py WORKERS
        starts the worker processes of one kind (writer, syndication, reader, watch)
        blocked in their work, prints their pids on one line, then blocks too, until
        the test kills it.

Killing at a named step instead of after some time makes each test do the same thing
on a loaded machine as on an idle one.
"""

import multiprocessing
import os
import signal
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

KILLABLE = Path(__file__).resolve()
_pipe = []  # (read end, write end) of a pipe nobody writes to


def block():
    """Wait forever (until killed, or a signal handler raises)."""
    if not _pipe:
        _pipe.extend(os.pipe())  # this process holds the write end: reading never ends
    os.read(_pipe[0], 1)


def die():
    """End this process the way kill -9 does: no handler, no cleanup."""
    os.kill(os.getpid(), signal.SIGKILL)


def announce_children_then_block():
    """Print the pids of this process's worker children on one line, then block."""
    print(" ".join(str(child.pid) for child in multiprocessing.active_children()), flush=True)
    block()


def _kill_after_swap_calls(build, count):
    import tools.swap as swap

    state = {"calls": None}

    def counted(function):
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            if state["calls"] is not None:
                state["calls"] += 1
                if state["calls"] == count:
                    die()
            return result

        return wrapper

    real_swap_in = build.swap_in

    def swap_in(staging, output):
        state["calls"] = 0
        if count == 0:
            die()
        return real_swap_in(staging, output)

    build.swap_in = swap_in
    for name in ("rename", "replace", "symlink"):
        setattr(os, name, counted(getattr(os, name)))
    swap.exchange = counted(swap.exchange)


def _kill_while_rendering():
    import fastbuild.writer as writer

    build_process = os.getpid()
    real_render_page = writer.render_page

    def render_page(job):
        if os.getpid() != build_process:
            block()  # a worker, busy with its share
        if multiprocessing.active_children():  # the build process, once it has forked workers
            pids = "".join(f"{child.pid}\n" for child in multiprocessing.active_children())
            Path(os.environ["KILLABLE_PIDS"]).write_text(pids, encoding="utf-8")
            die()
        return real_render_page(job)

    writer.render_page = render_page


PAUSED = "KILLABLE: paused"


def _pause_while_rendering():
    import fastbuild.writer as writer

    build_process = os.getpid()
    real_render_page = writer.render_page
    paused = []

    def render_page(job):
        if os.getpid() == build_process and not paused:
            paused.append(True)
            print(PAUSED, flush=True)
            block()  # a signal handler that raises (SIGINT, the build's SIGTERM) ends this
        return real_render_page(job)

    writer.render_page = render_page


def build_killed_at(step, arguments):
    """Run the build command line with a kill at `step`; returns its exit status if it ends."""
    import tools.build as build

    if step == "rendering":
        _kill_while_rendering()
    elif step == "pause-rendering":
        _pause_while_rendering()
    else:
        _kill_after_swap_calls(build, int(step.removeprefix("swap-call-")))
    return build.main(arguments)


def _writer_workers():
    from fastbuild.writer import PageJob, render_in_workers

    class Template:
        def render(self, context):
            if multiprocessing.parent_process() is None:
                announce_children_then_block()
            block()

    jobs = [PageJob(Template(), {}, {"localsiteurl": None}, {}, os.devnull) for _ in range(2)]
    render_in_workers(jobs, 2)


def _syndication_workers():
    from syndication.workers import build_items

    def build(article):
        if multiprocessing.parent_process() is None:
            announce_children_then_block()
        block()

    build_items([SimpleNamespace(source_path=str(number)) for number in range(2)], build, 2, 1)


def _reader_workers():
    from concurrent.futures import ProcessPoolExecutor

    from fastbuild.reader import _start_worker
    from fastbuild.summaries import SummaryRule

    rule = SummaryRule(None, "…", None)
    markdown = {"extensions": ["markdown.extensions.meta"]}  # as MarkdownReader configures it
    with ProcessPoolExecutor(
        2,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(markdown, [], rule, frozenset()),
    ) as pool:
        pool.submit(os.getpid).result()  # the pool's workers are started and initialised
        announce_children_then_block()


def _watch_worker():
    from blogcore.lifetime import die_with_parent

    def worker():
        die_with_parent(use_prctl=False)
        block()

    multiprocessing.get_context("fork").Process(target=worker, daemon=True).start()
    announce_children_then_block()


WORKERS = {
    "writer": _writer_workers,
    "syndication": _syndication_workers,
    "reader": _reader_workers,
    "watch": _watch_worker,
}


if __name__ == "__main__":
    if sys.argv[1] == "build-killed-at":
        sys.exit(build_killed_at(sys.argv[2], sys.argv[4:]))
    WORKERS[sys.argv[1]]()
