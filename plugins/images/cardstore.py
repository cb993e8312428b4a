"""The drawn social cards a build keeps for the next one, without reading them back.

A post without a photo gets a card drawn from its texts (cards.py). Kept as one pickle
each, the cards of 10,000 posts were 526 MB that every build read into memory (about
5 s) only to write them out again. Here each card is a JPEG file in the cache named by
the digest of its bytes, and one index maps a card's key (its texts, the drawing code's
version, the font's digest) to that digest and size: a build learns a card's URL and
size from the index and the output gets a copy of the file made by the system
(blogcore.output.copy_file), so no card's bytes pass through Python unless it is drawn.
"""

import os
from pathlib import Path

from blogcore import cachefile

# The index's own key: a change of what it holds makes every index no cache.
INDEX_FORMAT = ("drawn cards", 1)


class CardStore:
    """The cards kept in `folder`/cards/: what the last build's index says, and what this
    build takes or adds (the next build's index)."""

    def __init__(self, folder):
        self.folder = Path(folder) / "cards"
        self.index_path = self.folder / "index.pickle"
        self._old = cachefile.load(self.index_path, INDEX_FORMAT) or {}
        self._new = {}

    def file(self, digest):
        """The kept file of the card whose bytes have `digest`."""
        return self.folder / f"{digest}.jpg"

    def get(self, key):
        """(digest, size) of the kept card for `key`, or None when there is none (never
        kept, or its file is gone or of another size)."""
        entry = self._old.get(key)
        if entry is None:
            return None
        try:
            if os.stat(self.file(entry[0])).st_size != entry[1]:
                return None
        except OSError:
            return None
        self._new[key] = entry
        return entry

    def add(self, key, data):
        """Keep the card `data` drawn for `key`."""
        digest = cachefile.digest(data)
        if cachefile.save_bytes(self.file(digest), data):
            self._new[key] = (digest, len(data))

    def save(self):
        """Write the index of the cards this build took or added."""
        cachefile.save(self.index_path, INDEX_FORMAT, self._new)
