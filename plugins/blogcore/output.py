"""Writing a plugin's own output files: one writer, behind Pelican's path guard.

Pages go through Pelican's Writer; the files plugins write themselves (feeds, redirect
pages, host files, the sitemap) go through here, so none can leave the output folder
and every text file is UTF-8 with LF line ends on every machine.
"""

import os
import shutil

from pelican.utils import sanitised_join

from .atomicfile import write_whole


def write_bytes(output_path, relative_path, data):
    """Write `data` to output_path/relative_path, refusing a path that leaves the output
    folder (Pelican's sanitised_join raises RuntimeError), creating its folders."""
    path = sanitised_join(output_path, relative_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def copy_file(output_path, relative_path, source):
    """write_bytes of the bytes of file `source`, copied by the system without reading them
    into Python (a copy, not a link: a tool that edits the output in place cannot change
    `source`)."""
    path = sanitised_join(output_path, relative_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    shutil.copyfile(source, path)


def replace_bytes(output_path, relative_path, data):
    """write_bytes in one rename, for a folder being served (the dev server's refreshes):
    a reader gets the old file or the new one, never half of it."""
    write_whole(sanitised_join(output_path, relative_path), lambda handle: handle.write(data), mode=0o644)


def write_text(output_path, relative_path, text):
    """write_bytes for text: UTF-8, LF line ends."""
    write_bytes(output_path, relative_path, text.encode("utf-8"))
