"""A file written in one rename: whoever reads it meanwhile (a browser on the dev server's
output, the next build opening a cache) gets the old file or the new one, never half."""

import os
import tempfile
from pathlib import Path


def write_whole(path, write, mode=None):
    """Call `write(handle)` on a new binary file beside `path`, then rename it to `path`
    (its folder made first). `mode`: the file's permissions, for a file others read (the
    temporary file is made 0600). Raises OSError; the temporary file never stays behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
