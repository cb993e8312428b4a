"""Worker processes that end when the build process ends, however it ends.

The build forks workers (fastbuild's Markdown pool and page renderers, syndication's feed
item builders). Killed with SIGKILL, or by the out-of-memory killer, the build process
cannot stop them, and a worker does not notice on its own: it waits on a pipe that its
siblings also hold open, so it would wait, or go on rendering into a staging folder
nobody will use, as an orphan. `die_with_parent()`, called first thing in each worker,
makes the worker end with its parent:

- on Linux, prctl(PR_SET_PDEATHSIG, SIGKILL) asks the kernel to kill the worker when its
  parent dies. A worker has nothing to clean up (what it writes goes into the build's
  staging folder, which the next build removes), so SIGKILL, which nothing can block, is
  the right signal. The kernel sends it when the *thread* that forked exits; every fork
  of ours happens in the build's main thread, whose end is the end of the build.
- elsewhere, a daemon thread in the worker checks its parent's pid twice a second and
  ends the worker when the parent is gone.

`forking_workers()` and `start_worker()` close the other gap of a forked worker: until it
has replaced the build's signal handlers with its own, a worker runs the build's (the
build turns SIGTERM into KeyboardInterrupt), and a SIGTERM from the build stopping it,
or a Ctrl-C, would print a traceback from inside Python's fork handling. The build holds
SIGINT and SIGTERM while it forks; each worker starts with them held, installs its own
handlers, and only then lets them through.

Shared by the fastbuild and syndication plugins, which do not import each other.
"""

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_SECONDS = 0.5
HELD_SIGNALS = frozenset((signal.SIGINT, signal.SIGTERM))


def _expected_parent():
    # multiprocessing records the parent's pid before the fork; os.getppid() after it
    # would already name the reaper if the parent died in between.
    parent = multiprocessing.parent_process()
    return parent.pid if parent is not None and parent.pid else os.getppid()


def _set_death_signal():
    """Ask Linux to SIGKILL this process when its parent dies; False where prctl is missing."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return False
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


def _watch_parent(parent_pid, interval):
    def watch():
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(1)  # no cleanup: the build process that wanted the results is gone

    threading.Thread(target=watch, name="watch-build-process", daemon=True).start()


def die_with_parent(parent_pid=None, use_prctl=True):
    """Make this (forked) worker end when its parent, the build process, ends.

    `parent_pid` is the parent's pid as known before the fork (default: what
    multiprocessing recorded). `use_prctl=False` forces the portable parent-pid check,
    for tests of that path. Returns "prctl" or "watch", the mechanism in use.
    """
    parent_pid = parent_pid or _expected_parent()
    if use_prctl and _set_death_signal():
        # The parent may have died between the fork and prctl: no signal would come.
        if os.getppid() != parent_pid:
            os._exit(1)
        return "prctl"
    _watch_parent(parent_pid, POLL_SECONDS)
    return "watch"


@contextmanager
def forking_workers():
    """Hold SIGINT and SIGTERM in this (the build's) thread while it forks workers.

    A signal that arrives meanwhile is delivered when the block ends, to the build
    process's own handlers; each worker inherits the held signals and lets them through
    in start_worker(), once its own handlers are in place.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def start_worker():
    """First thing in a worker forked inside forking_workers(): end with the build
    process, let SIGTERM end it (the build stops its workers so), ignore SIGINT (Ctrl-C
    reaches every process of the terminal; the build process stops its workers), then
    receive the signals held since the fork."""
    die_with_parent()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)
