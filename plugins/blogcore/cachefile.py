"""Cache files of this build tool: one pickle each, valid only under the key it was written with
(or, with save_bytes, a file kept as it is, named by its own digest).

Written atomically (a temporary file renamed into place), so two builds sharing a cache
folder can only cost each other work, never a damaged file; a file that is missing, was
written under another key or cannot be read is simply no cache. Only this tool writes it,
on this machine, into the git-ignored cache folder.
"""

import hashlib
import logging
import pickle

from .atomicfile import write_whole

logger = logging.getLogger(__name__)


def load(path, key):
    """The value saved at `path` under `key`, or None."""
    try:
        with open(path, "rb") as handle:
            stored = pickle.load(handle)
        if isinstance(stored, dict) and stored.get("key") == key:
            return stored["value"]
    except FileNotFoundError:
        pass
    except Exception as error:  # any damage is just no cache
        logger.debug("Ignoring the cache %s: %s", path, error)
    return None


def save(path, key, value):
    """Save `value` at `path` under `key`; a cache that cannot be written is only a warning."""
    stored = {"key": key, "value": value}
    return _replace(path, lambda handle: pickle.dump(stored, handle, protocol=pickle.HIGHEST_PROTOCOL))


def save_bytes(path, data):
    """Save the file `data` at `path` as it is (for a cached file a build copies into the
    output); True when saved, False (and a warning) when it could not be."""
    return _replace(path, lambda handle: handle.write(data))


def _replace(path, write):
    # write(handle) into a file renamed to `path`: a build never reads half a cache.
    try:
        write_whole(path, write)
    except OSError as error:
        logger.warning("Could not save the cache %s: %s", path, error)
        return False
    return True


def digest(data):
    """The cache key of a file's bytes."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()
