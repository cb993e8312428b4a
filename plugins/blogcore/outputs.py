"""One writer per output path: the files a build plans to write, and the ones two writers want.

Each writer of the site (Pelican's generators, each plugin) says what it will write as
`PlannedOutput`s before anything is written; `find_clashes` finds every path that two
of them want, and every file that another needs as a folder (`tag/x` beside
`tag/x/index.html`). Left alone, Pelican's writer lets the last writer win silently, or
fails with a traceback half way through the site.

`long_names` finds the files no disk could hold: a name over 255 bytes.

Which writer keeps a contested path is decided by rank, not by the order writers happen
to run in: the site's own pages and files first, then static files, then posts and
pages at the path their URL pattern gives, then posts and pages placed by an explicit
`Save_as`, then the redirect pages of aliases. The other one is the writer to move, and
its `blame` says how to tell the editor.
"""

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

# Ranks: a lower rank keeps a path that a higher one also wants.
SITE = 0  # pages and files the site writes itself (listings, feeds, host files, theme files)
STATIC = 1  # files copied from content/
CONTENT = 2  # posts and pages at the path their URL pattern gives
OVERRIDE = 3  # posts and pages at a path their header chose (Save_as)
ALIAS = 4  # redirect pages left at the old URLs of moved posts

# ext4, APFS and NTFS hold at most this many bytes in one file or folder name.
MAX_NAME_BYTES = 255


@dataclass(frozen=True)
class PlannedOutput:
    """One file a writer of the site will write."""

    path: str  # relative to the output folder, '/'-separated
    writer: object  # who writes it, as an editor reads it (str() of it; may be made on demand)
    rank: int = SITE
    # blame(clash) -> the problem to report when this output is the one to move; None for
    # the site's own outputs, which no content file placed.
    blame: Callable | None = None
    key: str = ""  # orders outputs of one rank (a source path): the first keeps the path
    # For the page an alias or a record line leaves at an old URL (rank ALIAS): the site
    # path it redirects to, or "" for a retired page (410 Gone). Body links are told.
    redirect_to: str = ""


@dataclass(frozen=True)
class Clash:
    """`claimant` wants a path that `holder` keeps."""

    claimant: PlannedOutput
    holder: PlannedOutput
    taken: str  # the contested path as `holder` writes it (a file, or a folder of `holder`)

    def describe(self):
        """'<claimant's path>, which <holder> writes', or where the two paths meet."""
        path, holder = self.claimant.path, self.holder
        if self.taken == holder.path and same_path(path, holder.path):
            return f"{path}, which {holder.writer} writes"
        if self.taken == holder.path:  # the claimant's folders pass through the holder's file
            return f"{path}, inside {holder.path}, which {holder.writer} writes"
        return f"{path}, the folder of {holder.path}, which {holder.writer} writes"


@dataclass(frozen=True)
class LongName:
    """`output` would write a file or folder name longer than a file name may be."""

    output: PlannedOutput
    name: str  # the name that is too long

    def describe(self):
        """'<path>, with a name of N bytes, more than ...'."""
        size = len(self.name.encode())
        limit = f"more than the {MAX_NAME_BYTES} a file name may hold"
        return f"{shorten(self.output.path)}, with a name of {size:,} bytes, {limit}"


def long_names(outputs):
    """A `LongName` for each of `outputs` with a file or folder name over MAX_NAME_BYTES:
    writing it would fail half way through the build."""
    found = []
    for output in outputs:
        if len(output.path.encode()) <= MAX_NAME_BYTES:
            continue  # most paths: no name in them can be longer than the whole
        name = next((part for part in output.path.split("/") if len(part.encode()) > MAX_NAME_BYTES), None)
        if name is not None:
            found.append(LongName(output, name))
    return found


def shorten(path, limit=80):
    """`path` cut in the middle to about `limit` characters, for a one-line report."""
    return path if len(path) <= limit else f"{path[: limit - 20]}…{path[-19:]}"


def normalise(path):
    """`path` as the writer resolves it: relative, '/'-separated, without '.' or '//'."""
    return posixpath.normpath(str(path).replace("\\", "/").lstrip("/"))


def _key(path):
    # Case-folded: on the case-insensitive disks of macOS and Windows, Index.html is
    # index.html, and one would silently replace the other.
    return normalise(path).casefold()


def same_path(first, second):
    """True when `first` and `second` name one file."""
    return _key(first) == _key(second)


def _folders(key):
    # 'a/b/c.html' -> 'a', 'a/b'
    parts = key.split("/")
    return ("/".join(parts[:end]) for end in range(1, len(parts)))


def find_clashes(outputs):
    """Every `Clash` among `outputs`: two writers of one file, or a file where another
    writer needs a folder. Each claimant is reported once and then set aside, so one
    mistake gives one clash; claimants come in rank order."""
    ordered = sorted(enumerate(outputs), key=lambda item: (item[1].rank, item[1].key, item[0]))
    files, folders, clashes = {}, {}, []
    for _, output in ordered:
        key = _key(output.path)
        if key in files:
            clashes.append(Clash(output, files[key], files[key].path))
            continue
        if key in folders:
            clashes.append(Clash(output, folders[key], output.path))
            continue
        through = next((folder for folder in _folders(key) if folder in files), None)
        if through is not None:
            clashes.append(Clash(output, files[through], files[through].path))
            continue
        files[key] = output
        for folder in _folders(key):
            folders.setdefault(folder, output)
    return clashes


def site_path(path):
    """The site path of an output file: 'a/b/index.html' -> '/a/b/', 'x.html' -> '/x.html'."""
    path = normalise(path)
    if path == "index.html":
        return "/"
    return "/" + path.removesuffix("index.html") if path.endswith("/index.html") else "/" + path


def site_page(path):
    """How editors know a page the site writes itself: the site's home page, or the
    site's page /tag/recruiters/."""
    return "the site's home page" if normalise(path) == "index.html" else f"the site's page {site_path(path)}"


def as_output(item):
    """A writer's planned output: a PlannedOutput as it is, or a (path, what) pair, the
    plain form for the site's own files."""
    if isinstance(item, PlannedOutput):
        return item
    path, writer = item
    return PlannedOutput(path, writer)
