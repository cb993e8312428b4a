"""Save-to-reload time of `make devserver` on the benchmark corpus.

Starts the dev server as `make devserver` does (`python -m tools.devserver`, here on a free
port), waits for its first build, then saves one post again and again: its body edited,
then its tags changed. Each time is measured from the moment the file is written to the
moment the server sends browsers the reload event (its /__devserver/events stream), which
is what an editor waits for before the page on screen changes.
"""

import queue
import re
import subprocess
import sys
import threading
import time
import zlib

from benchmarks.corpus import TAGS, edit_post
from tools.devserver import event_stream

# A save that takes longer than this counts as a hung server, not as a slow one.
HANG_SECONDS = 900
# Between two saves: watchfiles must see them as two changes, not one.
SETTLE_SECONDS = 0.5


class DevServerFailed(Exception):
    """The dev server did not start or did not answer a save."""


def _lines(stream, into):
    for raw in iter(stream.readline, b""):
        into.put(raw.decode("utf-8", "replace"))


def change_tags(path, revision):
    """Give the post at `path` another set of tags (a new one for each `revision`)."""
    text = path.read_text(encoding="utf-8")
    start = zlib.crc32(revision.encode()) % len(TAGS)
    tags = ", ".join(TAGS[(start + step * 7) % len(TAGS)] for step in range(3))
    text = re.sub(r"^Tags: .*$", f"Tags: {tags}", text, count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8", newline="\n")


class DevServer:
    """A running dev server over a corpus; `save(change)` times one save."""

    def __init__(self, settings_file, output, cwd):
        command = [sys.executable, "-m", "tools.devserver", "--settings", str(settings_file)]
        command += ["--output", str(output), "--port", "0"]
        self.process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        lines = queue.Queue()
        threading.Thread(target=_lines, args=(self.process.stdout, lines), daemon=True).start()
        deadline = time.monotonic() + HANG_SECONDS
        base = None
        while base is None and time.monotonic() < deadline:
            try:
                found = re.search(r"on (http://[\d.]+:\d+)/", lines.get(timeout=1))
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            base = found and found[1]
        if base is None:
            self.stop()
            raise DevServerFailed("the dev server did not start")
        self.events = event_stream(base, HANG_SECONDS)
        self.generation = self.events.get(timeout=HANG_SECONDS)

    def save(self, change):
        """Seconds from `change()` (which writes a file) to the next reload event."""
        time.sleep(SETTLE_SECONDS)
        started = time.perf_counter()
        change()
        try:
            self.generation = self.events.get(timeout=HANG_SECONDS)
        except queue.Empty:
            raise DevServerFailed("no reload after a save") from None
        return time.perf_counter() - started

    def stop(self):
        """Stop the server (SIGTERM, as a process manager would)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def time_saves(corpus, settings_file, output, cwd, saves):
    """{"body_s": [...], "tag_s": [...]}: `saves` saves of each kind in one dev server."""
    server = DevServer(settings_file, output, cwd)
    try:
        body = [server.save(lambda n=n: edit_post(corpus, f"devserver-{n}")) for n in range(saves)]
        edited = corpus.content / corpus.post_files[len(corpus.post_files) // 2]
        tags = [server.save(lambda n=n: change_tags(edited, f"devserver-tags-{n}")) for n in range(saves)]
    finally:
        server.stop()
    return {"body_s": body, "tag_s": tags}
