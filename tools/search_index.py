"""The search index: Pagefind (PyPI `pagefind[bin]`, pinned in requirements.txt) run over
a built site, writing `pagefind/` inside it.

tools.build runs it on the staging folder, after Pelican and before the atomic swap, so
the index is part of the output it describes: `output/` never holds a site with the index
of another. Pagefind indexes only what the theme marks `data-pagefind-body` (the posts)
with the `data-pagefind-filter` values (category, author). Each Pagefind run reads only
post pages, the ones the build saved (PostPages), linked into a folder of their own: a
listing would be read, parsed and dropped, and at 10,000 posts the 6,500 listing pages
cost Pagefind 5 of its 26 seconds and 380 MB. A large site's posts are indexed in
several bundles, kept between builds (tools/search_bundles.py).

Same pages, same bytes: Pagefind 1.5 writes its word index and fragments identically
every time, but its filter files, its metadata file and `pagefind-entry.json` list
filters and their values in hash-map order, different on each run (Pagefind issue #638:
"other files will still change, such as the filter/metadata indexes"), and no option
changes that. `make_deterministic` puts those lists in sorted order and names the files
after their new content, as Pagefind names them after theirs. The files are gzipped
CBOR after a `pagefind_dcd` signature; `_decode`/`_encode` read and write the few CBOR
types they hold, and refuse anything they would not write back byte for byte, so a
Pagefind whose format changed fails the build instead of shipping a broken index.
"""

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from blogcore.errors import SettingsError
from pelican import signals

from tools.search_bundles import (
    POSTS_PER_BUNDLE,
    BundleCache,
    bundle_key,
    copy_bundle,
    indexer_identity,
    mirror_pages,
    plan_bundles,
)

BUNDLE = "pagefind"
SIGNATURE = b"pagefind_dcd"
# Where the metadata file lists the filters: [version, pages, index chunks, filters, sorts, meta fields].
META_FILTERS = 3
# The article generator's lists of posts, each written with the post template.
POST_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts", "drafts_translations")
# In pagefind/: the list of bundles the search page merges.
MANIFEST = "bundles.json"
# Pagefind's own search UIs and its highlighter, which it writes into every bundle and the
# search page (theme/static/js/search.js over pagefind.js) never loads: left out (about
# 0.4 MB a bundle, 7 files), so that neither the output nor a deploy carries them.
UI_FILES = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


class SearchIndexFailed(Exception):
    """Pagefind could not index the site, or wrote an index this module cannot read."""


def search_settings(settings):
    """index_site's keyword arguments from the site's settings: SEARCH_POSTS_PER_BUNDLE
    (posts a bundle holds at most on average, 1,000 by default) and, with SEARCH_CACHE on
    (make html), the bundles kept in CACHE_PATH/search/. Raises SettingsError."""
    per_bundle = settings.get("SEARCH_POSTS_PER_BUNDLE", POSTS_PER_BUNDLE)
    if isinstance(per_bundle, bool) or not isinstance(per_bundle, int) or per_bundle < 1:
        raise SettingsError(
            f"SEARCH_POSTS_PER_BUNDLE must be a whole number of posts, 1 or more (it is {per_bundle!r}); "
            f"leave it out for {POSTS_PER_BUNDLE}"
        )
    cache = BundleCache(Path(settings["CACHE_PATH"]) / "search") if settings.get("SEARCH_CACHE") else None
    return {"cache": cache, "posts_per_bundle": per_bundle}


def index_site(site, post_paths, cache=None, posts_per_bundle=POSTS_PER_BUNDLE):
    """Index the post pages `post_paths` (site-relative) of the built site in folder `site`
    into `site`/pagefind/: one Pagefind bundle per group of posts (tools/search_bundles.py)
    in pagefind/0/, pagefind/1/ and so on, and pagefind/bundles.json listing them for the
    search page. `cache`, a BundleCache, gives the bundles an earlier build indexed from
    the same pages and keeps the new ones (and only this build's). The same pages give the
    same bytes."""
    pages = [path for path in post_paths if path.endswith(".html")]  # Pagefind reads only HTML
    groups = plan_bundles(pages, posts_per_bundle)
    root = Path(site) / BUNDLE
    root.mkdir()
    indexer = indexer_identity()
    keys = [bundle_key(site, group, indexer) for group in groups] if cache else [None] * len(groups)
    missing = [number for number, key in enumerate(keys) if cache is None or cache.get(key) is None]

    def index_into(number, output):
        index_pages(site, groups[number], output, Path(site) / f".search-pages-{number}")

    def index(number):
        output = root / str(number) if cache is None else cache.temporary(keys[number])
        index_into(number, output)
        if cache is not None:
            cache.put(keys[number], output)

    # Each run is a process of its own: one per core, for a cold build's every bundle.
    if missing:
        with ThreadPoolExecutor(max_workers=min(len(missing), os.cpu_count() or 1)) as runs:
            list(runs.map(index, missing))
    if cache is not None:
        for number, key in enumerate(keys):
            kept = cache.get(key)
            if kept is None:  # another build sharing the cache removed it meanwhile
                index_into(number, root / str(number))
            else:
                copy_bundle(kept, root / str(number))
        cache.keep_only(set(keys))
    manifest = {"bundles": [f"{number}/" for number in range(len(groups))]}
    (root / MANIFEST).write_text(json.dumps(manifest, separators=(",", ":")) + "\n", encoding="utf-8")


def index_pages(site, pages, output, mirror):
    """Index the pages `pages` of `site` into the bundle folder `output`, in the same bytes
    for the same pages, through `mirror`, a folder holding only those pages (removed after)."""
    try:
        mirror_pages(site, pages, mirror)
        bundle = run_pagefind(mirror, output)
        make_deterministic(bundle)
        drop_ui_files(bundle)
    finally:
        shutil.rmtree(mirror, ignore_errors=True)


class PostPages:
    """The paths of the post pages one build writes (every post the article generator
    finalises: published, hidden, translated and, in a preview, held back), the pages
    that carry `data-pagefind-body`."""

    def __init__(self):
        self.paths = []

    def articles_done(self, generator):
        """article_generator_finalized: note where each post's page is saved."""
        for name in POST_LISTS:
            for post in getattr(generator, name, []):
                save_as = post.save_as  # Pelican formats it afresh on every access: once here
                if save_as:
                    self.paths.append(save_as)

    @contextmanager
    def listening(self):
        """Note the post pages of the build run meanwhile."""
        # A strong reference, disconnected below: nothing survives into the next build.
        signals.article_generator_finalized.connect(self.articles_done, weak=False)
        try:
            yield self
        finally:
            signals.article_generator_finalized.disconnect(self.articles_done)


def run_pagefind(site, output):
    """Run Pagefind over every page of the folder `site`, writing its bundle into the folder
    `output`; return `output` as a Path."""
    site, output = os.path.abspath(site), os.path.abspath(output)
    command = [sys.executable, "-m", "pagefind", "--site", site, "--output-path", output, "--quiet"]
    # Pagefind also reads a pagefind.yml (.toml, .json) from the folder it runs in and
    # PAGEFIND_* environment variables: run where there is none (the folder it indexes,
    # which holds only pages) and without them, so a bundle depends only on its key.
    environment = {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND")}
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=site, env=environment)
    bundle = Path(output)
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        printed = (result.stdout + result.stderr).strip()
        raise SearchIndexFailed(f"Pagefind exited {result.returncode}: {printed}")
    return bundle


def drop_ui_files(bundle):
    """Remove Pagefind's UI files (UI_FILES) from the bundle folder `bundle`."""
    for path in bundle.iterdir():
        if path.name.startswith(UI_FILES) and path.is_file():
            path.unlink()


def make_deterministic(bundle):
    """Sort the filter values and the metadata file's filter list of the Pagefind bundle in
    folder `bundle`, renaming each rewritten file after its content."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, details in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, old_hash in meta[META_FILTERS]:
            path = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = _read(path)
            if filter_name != name:
                raise SearchIndexFailed(f"{path}: holds filter {filter_name!r}, the metadata says {name!r}")
            new_hash = _write(bundle / "filter", language, 7, ".pf_filter", [name, sorted(values)], path)
            filters.append([name, new_hash])
        meta[META_FILTERS] = sorted(filters)
        details["hash"] = _write(bundle, language, 10, ".pf_meta", meta, meta_path, prefix="pagefind.")
    entry["languages"] = dict(sorted(entry["languages"].items()))  # Pagefind's are in hash-map order
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path):
    """The CBOR value of a Pagefind file (gzip, signature, CBOR)."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise SearchIndexFailed(f"{path}: not a Pagefind index file")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data) or _encode(value) != data[len(SIGNATURE) :]:
        raise SearchIndexFailed(f"{path}: a Pagefind format this build cannot rewrite exactly")
    return value


def _write(folder, language, digits, suffix, value, old_path, prefix=""):
    """Write `value` as a Pagefind file named after its content in `folder`, remove
    `old_path`, and return the new file's hash (`{language}_{hex digits}`)."""
    data = SIGNATURE + _encode(value)
    file_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"
    old_path.unlink()
    # mtime=0: a gzip header holds a time otherwise.
    (folder / f"{prefix}{file_hash}{suffix}").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return file_hash


def _decode(data, at):
    """(value, next offset) of the CBOR item at `data[at]`: unsigned integers, byte and
    text strings and arrays, the only types Pagefind's index files hold."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise SearchIndexFailed(f"unsupported CBOR item {data[at - 1]:#x}")
    if major == 0:
        return argument, at
    if major == 2:
        return bytes(data[at : at + argument]), at + argument
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise SearchIndexFailed(f"unsupported CBOR major type {major}")


def _head(major, argument):
    """A CBOR item's head in its shortest form, as Pagefind writes it."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise SearchIndexFailed(f"CBOR argument too large: {argument}")


def _encode(value):
    """The CBOR bytes of `value` (int >= 0, bytes, str or list)."""
    if isinstance(value, bool) or not isinstance(value, int | bytes | str | list):
        raise SearchIndexFailed(f"cannot write {type(value).__name__} as CBOR")
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    return _head(4, len(value)) + b"".join(_encode(item) for item in value)
