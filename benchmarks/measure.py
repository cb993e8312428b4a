"""Run one build in a fresh subprocess and measure it: wall time, memory, files written."""

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tools.outputfiles import is_feed

PSS_SAMPLE_SECONDS = 0.25


@dataclass(frozen=True)
class Measurement:
    """One build: seconds, CPU seconds of the build and all its workers (what the build
    costs whatever else the machine runs), the largest process's peak RSS, the sampled
    peak of the whole process tree's PSS (forked workers share pages, PSS counts each
    page once), and the files written."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    peak_tree_mb: float
    pages: int
    feeds: int


class BuildFailed(Exception):
    """A benchmarked build exited non-zero; the message carries its output."""


def count_output(output):
    """(HTML pages, feed files) under `output`; sitemaps are not feeds."""
    pages = feeds = 0
    for _, _, names in os.walk(output):
        for name in names:
            if name.endswith(".html"):
                pages += 1
            elif is_feed(name):
                feeds += 1
    return pages, feeds


def _children(pid):
    # Every thread's children: a process started from a thread (the build runs Pagefind
    # from a thread pool) is listed under that thread's task only.
    children = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return children
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/children", encoding="ascii") as handle:
                children += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return children


def _pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_kb(pid):
    """Total PSS of `pid` and all its descendants, in KiB (0 once they have exited)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += _pss_kb(current)
        pending.extend(_children(current))
    return total


class TreeSampler(threading.Thread):
    """Samples a process tree's total PSS until stopped; keeps the peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.wait(PSS_SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, tree_pss_kb(self.pid))

    def stop(self):
        """Stop sampling and wait for the thread."""
        self._stop_event.set()
        self.join()


def run_build(command, output, cwd, env=None, sample_memory=False):
    """Run `command` (a build writing into `output`) and return its Measurement.

    Peak RSS comes from wait4(), which reports the largest of the build process and its
    waited-for children, so it is per-process, not a sum, and costs nothing to measure.
    The tree PSS (the sum) is sampled only with `sample_memory`: reading every process's
    smaps_rollup four times a second takes a good part of a core, which a build using
    both cores would lose and a one-core build would not, so timed builds are not sampled
    (peak_tree_mb is then 0).
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeSampler(process.pid)
    if sample_memory:
        sampler.start()
    # Read the output while waiting, so a chatty build never blocks on a full pipe.
    log = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if sample_memory:
        sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    if process.returncode != 0:
        raise BuildFailed(f"{' '.join(map(str, command))} exited {process.returncode}:\n{log[-4000:]}")
    pages, feeds = count_output(Path(output))
    return Measurement(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        peak_tree_mb=sampler.peak_kb / 1024,
        pages=pages,
        feeds=feeds,
    )
