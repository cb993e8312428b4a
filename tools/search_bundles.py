"""The search index in bundles: which Pagefind bundle indexes each post page, what a
bundle's inputs are, and the bundles kept between builds.

Pagefind has no incremental mode: one changed page means indexing every page again (21 s
and 2.2 GB at 10,000 posts). So a large site's posts are split into bundles of about
`posts_per_bundle` pages (1,000 unless SEARCH_POSTS_PER_BUNDLE says otherwise), each
indexed by its own Pagefind run, and the search page merges them in the browser with
Pagefind's `mergeIndex` (theme/static/js/search.js). A bundle is keyed by the bytes and
paths of its pages, the Pagefind version and the indexing code; with the cache on (`make
html`), a bundle whose key a previous build indexed is copied from CACHE_PATH/search/
instead. An edit re-indexes the one bundle holding the post (about 1.2 s and 150 MB for
625 posts).

A page's bundle is a hash of its path, modulo a power of two: the bundles stay the same
size whatever the posts' dates or names, an edit never moves a post to another bundle,
and a new post changes one bundle. The number of bundles changes only when the site's
post count crosses a power of two times `posts_per_bundle`; then every bundle is new.
A site of up to `posts_per_bundle` posts has one bundle: its readers load one index, as
before. Merged bundles share the first bundle's WebAssembly module; each adds its
metadata file and, per query word, one index chunk.
"""

import hashlib
import importlib.metadata
import os
import shutil
from pathlib import Path

from fastbuild.pagerecord import link_or_copy

POSTS_PER_BUNDLE = 1000
# Bump when what a bundle's key covers changes (what is written into a bundle is covered
# by the source of this module and of tools/search_index.py, part of every key).
FORMAT = 2
# The name of a bundle being written by Pagefind, before it is kept: PARTIAL + key + "-" + pid.
PARTIAL = ".partial-"
# The name a kept bundle is renamed to before it is deleted, so that no key ever names
# half a bundle (a build interrupted while deleting leaves this, removed by the next).
REMOVING = ".removing-"
# The modules whose code decides what a bundle holds (how Pagefind is run, what is
# rewritten or left out afterwards).
INDEXER_SOURCES = (Path(__file__), Path(__file__).with_name("search_index.py"))


def bundle_count(pages, posts_per_bundle=POSTS_PER_BUNDLE):
    """How many bundles `pages` post pages are split into: the least power of two
    giving each bundle at most `posts_per_bundle` pages on average."""
    count = 1
    while count * posts_per_bundle < pages:
        count *= 2
    return count


def bundle_of(path, count):
    """The bundle (0 to `count` - 1) of the post page at site-relative `path`."""
    digest = hashlib.sha256(path.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def plan_bundles(paths, posts_per_bundle=POSTS_PER_BUNDLE):
    """The post pages `paths` grouped by bundle: a list of sorted path lists, one per
    bundle, empty bundles left out; no bundle at all when there is no page."""
    paths = sorted(set(paths))
    count = bundle_count(len(paths), posts_per_bundle)
    groups = [[] for _ in range(count)]
    for path in paths:
        groups[bundle_of(path, count)].append(path)
    return [group for group in groups if group]


def indexer_identity():
    """What makes a bundle besides its pages (part of every bundle's key): the installed
    Pagefind packages' versions (`python -m pagefind` runs the extended binary when it is
    installed) and the source of the modules that run it and rewrite its output."""
    parts = []
    for distribution in ("pagefind", "pagefind_bin", "pagefind_bin_extended"):
        try:
            parts.append(f"{distribution} {importlib.metadata.version(distribution)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{distribution} -")
    parts += [hashlib.sha256(source.read_bytes()).hexdigest() for source in INDEXER_SOURCES]
    return "; ".join(parts)


def bundle_key(site, paths, indexer):
    """The digest of everything a bundle is made of: the path and bytes of each of its
    pages in `site`, the `indexer` (indexer_identity()) and this module's FORMAT."""
    digest = hashlib.sha256(f"search bundle {FORMAT} indexer {indexer}\n".encode())
    for path in paths:
        digest.update(path.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((Path(site) / path).read_bytes()).digest())
    return digest.hexdigest()


def mirror_pages(site, paths, folder):
    """Hard-link (copy where a link is refused) the pages `paths` of `site` into `folder`
    at the same relative paths, so that Pagefind run over `folder` reads exactly these
    pages and gives them their URLs on the site."""
    for path in paths:
        link_or_copy(Path(site) / path, Path(folder) / path)


def copy_bundle(source, target):
    """Copy the bundle folder `source` to `target` (a copy, not links: a tool editing the
    output in place cannot change the cache)."""
    shutil.copytree(source, target, copy_function=shutil.copyfile)


class BundleCache:
    """Indexed bundles kept in a folder (CACHE_PATH/search/), one subfolder per key."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def get(self, key):
        """The kept bundle folder of `key`, or None. A folder under a key is always a whole
        bundle: it gets there by one rename of a finished one (put) and leaves by one
        rename before it is deleted (_remove)."""
        path = self.folder / key
        return path if (path / "pagefind-entry.json").is_file() else None

    def put(self, key, bundle):
        """Keep the bundle folder `bundle` (moved, not copied) under `key`; return where it is now."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / key
        try:
            os.rename(bundle, target)
        except OSError:
            if self.get(key) is None:  # not a bundle (an older cache's leftover): replaced
                self._remove(target)
                os.rename(bundle, target)
            else:  # another build kept the same bundle first: the same bytes
                shutil.rmtree(bundle, ignore_errors=True)
        return target

    def temporary(self, key):
        """A fresh, empty folder path beside the kept bundles for Pagefind to write `key`'s
        bundle into before put() moves it in (the same file system, so the move is a
        rename). A killed build's folder of the same name is removed first: Pagefind would
        leave its files beside the new ones."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{PARTIAL}{key}-{os.getpid()}"
        shutil.rmtree(path, ignore_errors=True)
        return path

    def keep_only(self, keys):
        """Remove every kept bundle but those of `keys` (the bundles of the last build), so
        the cache holds one site's index, not every version of it."""
        if not self.folder.is_dir():
            return
        for entry in self.folder.iterdir():
            if entry.name not in keys and not _written_by_a_live_build(entry.name):
                self._remove(entry)

    def _remove(self, entry):
        # Renamed first (one step), then deleted: never half a bundle under its key.
        if entry.name.startswith(REMOVING):
            shutil.rmtree(entry, ignore_errors=True)
            return
        doomed = self.folder / f"{REMOVING}{entry.name}-{os.getpid()}"
        try:
            os.rename(entry, doomed)
        except FileNotFoundError:  # another build removed it first
            return
        shutil.rmtree(doomed, ignore_errors=True)


def _written_by_a_live_build(name):
    """Whether `name` is the temporary folder of a build still running (left alone) rather
    than a kept bundle or the leftover of a killed build."""
    if not name.startswith(PARTIAL):
        return False
    try:
        os.kill(int(name.rsplit("-", 1)[1]), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
