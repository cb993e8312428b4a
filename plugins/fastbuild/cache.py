"""Converted Markdown kept between builds, keyed by the bytes of each source file.

One pickle file per generator holds the entries of the files its last build read, so it
never grows with deleted posts. It is a blogcore.cachefile: rewritten atomically, so two
builds sharing a cache folder can only cost each other misses, never a damaged entry; a
cache that cannot be read is a miss and one that cannot be written a warning, never an error. The file
holds only strings, lists and dicts, written by this same build tool on this machine.
"""

import hashlib
import importlib.util
import logging
import os
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from blogcore import cachefile
from blogcore.cachefile import digest  # noqa: F401 (the cache key of a file's bytes, for reader.py)

logger = logging.getLogger(__name__)

# Bump when the meaning of an entry changes: every older cache is then ignored.
FORMAT = 2


@dataclass(frozen=True)
class Converted:
    """What converting one Markdown file gives, before Pelican processes the metadata."""

    html: str
    meta: dict  # Python-Markdown's Meta: lowercase key -> list of lines
    formatted: dict  # the text of each formatted field (Summary) -> its HTML
    summary: str | None = None  # the automatic summary, when the post has no Summary field


def _package_version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return "none"


def _extension_code(markdown_config):
    """The digest of the source of every extension named by a module the site owns
    (one outside the installed packages, such as the sanitiser under plugins/): its
    code decides the HTML as much as its settings do."""
    hasher = hashlib.blake2b(digest_size=20)
    names = [*markdown_config.get("extensions", []), *markdown_config.get("extension_configs", {})]
    for name in sorted({name for name in names if isinstance(name, str)}):
        try:
            spec = importlib.util.find_spec(name.partition(":")[0])
        except (ImportError, ValueError):
            spec = None
        origin = getattr(spec, "origin", None)
        if origin and "site-packages" not in origin and os.path.isfile(origin):
            hasher.update(name.encode() + Path(origin).read_bytes())
            # The extension's own package (the sanitiser's lists live beside it).
            for sibling in sorted(Path(origin).parent.glob("*.py")):
                hasher.update(sibling.read_bytes())
    return hasher.hexdigest()


def fingerprint(markdown_config, formatted_fields, summary_rule=None):
    """What, besides a file's bytes, decides its conversion: the Markdown settings, the
    code of the site's own extensions, the formatted fields, the summary settings and
    the versions of Python-Markdown, nh3 and Pelican. An extension given as an object
    rather than a name has no stable repr, so such a site simply never hits."""
    described = repr(
        (
            FORMAT,
            _package_version("markdown"),
            _package_version("pelican"),
            _package_version("nh3"),
            _extension_code(markdown_config),
            sorted((str(key), repr(value)) for key, value in markdown_config.items()),
            sorted(formatted_fields),
            summary_rule,
        )
    )
    return hashlib.sha256(described.encode("utf-8")).hexdigest()


class ContentCache:
    """The cache of one generator's Markdown, loaded once and saved once per build."""

    def __init__(self, folder, name, key):
        self.path = Path(folder) / f"{name}.pickle"
        self.key = key  # the fingerprint: a cache written under another one is ignored
        self._loaded = {}
        self._kept = {}

    def load(self):
        """Read the entries of the previous build (none if missing, stale or damaged)."""
        self._loaded = cachefile.load(self.path, self.key) or {}
        return self

    def keys(self):
        """The keys of the previous build's entries."""
        return self._loaded.keys()

    def get(self, key):
        """The Converted of the file whose bytes have digest `key`, or None."""
        entry = self._loaded.get(key)
        if entry is None:
            return None
        self._kept[key] = entry
        return Converted(*entry)

    def put(self, key, converted):
        """Keep `converted` for this build's save."""
        self._kept[key] = (converted.html, converted.meta, converted.formatted, converted.summary)

    def save(self):
        """Write this build's entries, unless they are exactly what was loaded."""
        if self._kept.keys() == self._loaded.keys():
            return
        cachefile.save(self.path, self.key, self._kept)
