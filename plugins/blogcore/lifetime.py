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

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_SECONDS = 0.5


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
