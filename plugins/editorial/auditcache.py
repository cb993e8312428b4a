"""What the single-file rules found in each post, kept between builds.

Reading and checking every post is most of the audit: seconds for a large site, in every
build and every `make check`, though an editor changes a post or two between builds. Each
post's results (its header fields and problems) are kept under the digest of its bytes,
so only changed files are read and checked again. The rules that compare posts (unique
slugs and Ids, series numbering) always run, on every post.

A post's results also depend on things outside the file: the rules' code, the settings,
the profiles (which ids exist, and the did-you-mean suggestions) and which files exist
under content/ (an Image must). All of these make the cache's fingerprint: when any of
them changes, the whole cache is ignored. The cache is one pickle (blogcore.cachefile).
"""

import hashlib
import os
from pathlib import Path

from blogcore import cachefile

FORMAT = 3  # bump when the meaning of an entry changes
_CODE_FOLDER = Path(__file__).resolve().parent


def _plain(value):
    # Settings values that are data have a stable repr; anything else stands as its type.
    if isinstance(value, str | int | float | bool | type(None)):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_plain(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_plain(k)}:{_plain(v)}" for k, v in sorted(value.items(), key=repr)) + "}"
    return type(value).__name__


def fingerprint(settings):
    """Everything besides a post's own bytes that the single-file rules look at."""
    hasher = hashlib.sha256(f"{FORMAT}".encode())
    # The rules' code, and the shared core's (the sanitiser checks each Summary).
    for path in sorted([*_CODE_FOLDER.glob("*.py"), *(_CODE_FOLDER.parent / "blogcore").glob("*.py")]):
        hasher.update(path.read_bytes())
    for name in sorted(settings):
        if name.startswith(("EDITORIAL_", "SLUG", "ARTICLE_", "PAGE_", "STATIC_")) or name in ("PATH", "MARKDOWN"):
            hasher.update(f"{name}={_plain(settings[name])}\n".encode())
    content = settings["PATH"]
    profile_folders = {settings[f"EDITORIAL_{kind}_PATH"] for kind in ("AUTHORS", "PARTNERS", "SERIES")}
    for directory, folders, names in sorted(os.walk(content)):
        folders.sort()
        relative = os.path.relpath(directory, content)
        in_profiles = relative.split(os.sep)[0] in profile_folders
        for name in sorted(names):
            hasher.update(f"{relative}/{name}\n".encode())
            if in_profiles:  # profiles are few; their text decides what the rules accept
                with open(os.path.join(directory, name), "rb") as handle:
                    hasher.update(handle.read())
    return hasher.hexdigest()


class AuditCache:
    """The per-post results of the previous audit, loaded once and saved once."""

    def __init__(self, folder, key):
        self.path = Path(folder) / "audit.pickle"
        self.key = key
        self._loaded = {}
        self._kept = {}

    def load(self):
        """Read the previous audit's entries (none if missing, stale or damaged)."""
        self._loaded = cachefile.load(self.path, self.key) or {}
        return self

    def get(self, path, key):
        """The (fields, repeated, body_line, slug, problems) kept for `path` with bytes `key`, or None."""
        entry = self._loaded.get(path)
        if entry is None or entry[0] != key:
            return None
        self._kept[path] = entry
        return entry[1]

    def put(self, path, key, result):
        """Keep `result` for `path`, whose bytes have digest `key`, for this audit's save."""
        self._kept[path] = (key, result)

    def save(self):
        """Write this audit's entries, unless they are what was loaded."""
        if self._kept != self._loaded:
            cachefile.save(self.path, self.key, self._kept)


def cache_folder(settings):
    """The editorial plugin's cache folder, or None when EDITORIAL_CACHE is off."""
    if not settings["EDITORIAL_CACHE"]:
        return None
    return Path(settings["EDITORIAL_CACHE_PATH"] or os.path.join(settings.get("CACHE_PATH", "cache"), "editorial"))
