"""Incremental rendering: the record of the pages a build wrote, and taking unchanged pages
from the previous build instead of rendering them again.

For every page it renders, a build records the page's key (incremental.py: the digest of
every input the page could read), and the file it wrote: size, modification time, inode
and the digest of its bytes. The next build, rendering into a fresh folder (tools/build.py
swaps it in atomically), gives each page its key again; a page whose key is the one
recorded, and whose file in the previous output is still the one recorded, is hard-linked
from there (copied where a link cannot be made) instead of being rendered. Pages the new
build does not make are simply not in the new folder.

The previous output's files are trusted by their size, time and inode only when the
output folder is the very folder the record was made for (its inode); otherwise (a
restored CI cache, a build that failed before its swap, a folder someone replaced) each
file is read and its digest compared. The record lives in the cache folder beside the
content cache (a blogcore.cachefile: written atomically, damage is a miss).
"""

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from blogcore import cachefile

logger = logging.getLogger(__name__)

# Bump when the meaning of an entry changes: every older record is then ignored.
FORMAT = 1


@dataclass(frozen=True)
class Written:
    """A page file as a build left it."""

    key: str
    size: int
    mtime_ns: int
    inode: int
    digest: str


def bytes_digest(data):
    """The digest of a page's bytes, as recorded."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def written(key, path, data):
    """The Written of the file at `path`, just written with `data`."""
    stat = os.stat(path)
    return Written(key, stat.st_size, stat.st_mtime_ns, stat.st_ino, bytes_digest(data))


class PageRecord:
    """The record of one build's pages, relative to its output folder."""

    def __init__(self, cache_folder, previous_output):
        self.path = Path(cache_folder) / "pages.pickle"
        self.previous = Path(previous_output) if previous_output else None
        self._old = {}
        self._trust_stat = False
        self.new = {}

    def load(self):
        """Read the previous build's record (none when missing, stale or damaged)."""
        stored = cachefile.load(self.path, FORMAT)
        if not stored or self.previous is None:
            return self
        try:
            folder_inode = os.stat(self.previous).st_ino
        except OSError:
            return self
        self._old = stored["pages"]
        self._trust_stat = stored["folder_inode"] == folder_inode
        return self

    def reusable(self, relative, key):
        """The previous output's file for page `relative` if it can stand for a page
        with `key`, else None."""
        entry = self._old.get(relative)
        if key is None or entry is None or entry.key != key:
            return None
        path = self.previous / relative
        try:
            stat = os.stat(path)
            if stat.st_size != entry.size:
                return None
            if not (self._trust_stat and (stat.st_mtime_ns, stat.st_ino) == (entry.mtime_ns, entry.inode)):
                if bytes_digest(path.read_bytes()) != entry.digest:
                    return None
                entry = Written(key, stat.st_size, stat.st_mtime_ns, stat.st_ino, entry.digest)
        except OSError:
            return None
        return path, entry

    def save(self, output_folder):
        """Save this build's pages (`new`) as the record of `output_folder`."""
        try:
            folder_inode = os.stat(output_folder).st_ino
        except OSError:
            return
        cachefile.save(self.path, FORMAT, {"folder_inode": folder_inode, "pages": self.new})


def link_or_copy(source, target):
    """Put the previous build's file `source` at `target`: a hard link (no bytes copied,
    and the file stays what the record says), or a copy where links are refused."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
