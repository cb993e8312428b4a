"""Walking content/ as Pelican reads it: which files, in which order, and which of them
are not content (a link leading outside, a file that is not Markdown)."""

import os
from pathlib import Path

from blogcore.problems import Problem

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")


def _is_inside(path, root):
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def walk_content(content_path, folders, excluded):
    """Yield (path, real path) of every file under `folders`, sorted as Path objects sort.

    Folders that are links are not entered (as Path.rglob does not). Only a link can lead
    outside content/, so a file's real path is worked out only when it is one, or when the
    folder itself is: resolving every file would cost a system call per path component.
    """
    root = os.path.realpath(content_path)
    for folder in folders:
        base = str(Path(content_path) / folder)
        if not os.path.isdir(base):
            continue
        real_base = os.path.realpath(base)
        prefix = os.path.relpath(base, content_path).replace(os.sep, "/")
        found = []
        for directory, _, names in os.walk(base):
            relative_directory = os.path.relpath(directory, base)
            for name in names:
                relative = name if relative_directory == "." else os.path.join(relative_directory, name)
                found.append((relative.split(os.sep), relative))
        found.sort()
        for parts, relative in found:
            path = os.path.join(base, relative)
            in_content = relative.replace(os.sep, "/") if prefix == "." else f"{prefix}/{relative}".replace(os.sep, "/")
            if any(in_content == ex or in_content.startswith(ex + "/") for ex in excluded):
                continue
            if parts[-1].startswith(".") or parts[-1].endswith("~"):
                continue
            if os.path.islink(path) or not _is_inside(real_base, root):
                real = os.path.realpath(path)
            else:
                real = os.path.join(real_base, relative)
            yield path, real if _is_inside(real, root) else None


PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def is_photo(path):
    """True for a photo, which may sit beside its post (the images plugin publishes it)."""
    return os.path.splitext(path)[1].lower() in PHOTO_SUFFIXES


def content_files(content_path, folders, excluded, markdown_only=True):
    """Yield (path, problem) for every file Pelican would read under `folders`.

    Files Pelican would skip (hidden or editor backups) are ignored; anything
    else that is not Markdown, or that leads outside content/, is a problem.
    """
    for path, real in walk_content(content_path, folders, excluded):
        if markdown_only and real is not None and is_photo(path):
            continue  # a photo beside its post: no post to read
        yield Path(path), file_problem(path, real, markdown_only)


def file_problem(path, real, markdown_only):
    """The Problem of a file under content/ that Pelican must not read, or None."""
    if real is None:
        return Problem(
            path, None, "file", "is a link to a file outside content/", "copy the file into content/ instead"
        )
    suffix = os.path.splitext(path)[1]
    if markdown_only and suffix.lower() not in MARKDOWN_SUFFIXES:
        return Problem(path, None, "file", f"'{suffix}' files are not posts", "write posts as Markdown (.md)")
    return None


def stray_markdown(content_path, read_folders):
    """Yield the path of every Markdown file under `content_path` outside all of
    `read_folders` (paths relative to it), in sorted order; hidden files are skipped.
    The folders read are not walked: a site's posts are not listed a second time."""
    read = {os.path.normpath(folder) for folder in read_folders}
    if "." in read:  # the site reads all of content/
        return
    for directory, folders, names in os.walk(content_path):
        relative = os.path.relpath(directory, content_path)
        inside = [name if relative == "." else os.path.join(relative, name) for name in folders]
        folders[:] = sorted(n for n, r in zip(folders, inside, strict=True) if not n.startswith(".") and r not in read)
        for name in sorted(names):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES:
                yield Path(directory) / name
