"""The committed record of every published URL, and the check that none disappears.

    PYTHONPATH=plugins python -m redirects [--settings publishconf.py] [--output output]

(__main__.py) adds the URLs of a built site to the record; `make publish` runs it after a
successful build. The record is content/published-urls.txt: one site path per line,
sorted, lines only ever added. It sits in content/ because it describes that content, so it is
committed with the posts it protects, and a fixture site without one checks nothing.

It covers every file readers and partners keep an address of: every HTML page, and every
feed (what counts as a feed is blogcore.feedfiles' rule, the one the build's summary
uses), since a feed that disappears loses its subscribers as silently as a page its
readers. Every build compares what it wrote with the record and fails when a recorded
URL is gone, naming the fix: for a page, the alias to add (its redirect page keeps the
address working); for a feed, which no feed reader follows through a redirect page,
publishing it again or retiring it on purpose, by writing `retired` after it on its line.
`make check` runs that build into a temporary folder. A build is the exact answer: it
knows every post, listing page, pagination page, feed and redirect, where recomputing
URLs from sources would drift from Pelican's.
"""

import difflib
import os
from pathlib import Path, PurePosixPath

from blogcore.content import content_files
from blogcore.feedfiles import is_feed
from blogcore.problems import ContentProblems, Problem, site_relative
from blogcore.published import record_entries  # one reader for the record (the audit reads it too)
from blogcore.slugs import post_slug
from blogcore.source import UnreadableSource, read_source

from .settings import redirects_settings

HEADER = (
    "# Every URL this site has published (pages and feeds), one site path per line. `make publish` adds new ones.\n"
    "# Never delete a line: when a post moves, give it `Aliases: <old URL>` so the old URL redirects.\n"
    "# A feed that is gone on purpose stays listed with `retired` after it: /feeds/tag/old.rss.xml retired\n"
)
GUESS_CUTOFF = 0.5
RETIRED = "retired"


def site_path(relative_file):
    """The site path of an output file: 'a/b/index.html' -> '/a/b/', 'x.html' -> '/x.html'."""
    path = PurePosixPath(relative_file).as_posix()
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        return "/" + path.removesuffix("index.html")
    return "/" + path


def is_feed_url(url):
    """True for the site path of a feed file, such as /feeds/all.rss.xml."""
    return not url.endswith("/") and is_feed(PurePosixPath(url).name)


def published_urls(output_path, ignore=("404.html",)):
    """The site paths of every HTML page and every feed under `output_path`, sorted.

    `ignore` lists output files (relative paths) that are not addresses readers keep.
    """
    output = os.path.normpath(os.fspath(output_path))
    files = []
    for root, _, names in os.walk(output):
        folder = "" if root == output else os.path.relpath(root, output).replace(os.sep, "/") + "/"
        files.extend(folder + name for name in names if name.endswith(".html") or is_feed(name))
    return sorted(site_path(file) for file in files if file not in ignore)


def record_path(settings):
    """The record file of a site, or None when the record is turned off."""
    name = redirects_settings(settings)["REDIRECTS_RECORD"]
    return Path(settings["PATH"]) / name if name else None


def read_record(path):
    """Return [(line number, URL)] from the record, retired or not."""
    return [(number, url) for number, url, _ in record_entries(path)]


def update_record(path, urls):
    """Add `urls` to the record at `path` (created if missing); return the URLs added.

    What follows a recorded URL on its line (`retired`) is kept; a URL recorded twice is
    written once, retired if either line retired it.
    """
    path = Path(path)
    marks = {}
    for _, url, words in record_entries(path) if path.exists() else []:
        marks[url] = marks.get(url) or " ".join(words)
    added = sorted(set(urls) - set(marks))
    for url in added:
        marks[url] = ""
    lines = (f"{url} {mark}".rstrip() for url, mark in sorted(marks.items()))
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8", newline="\n")
    return added


def replacement_candidates(settings):
    """[(slug, source path, kind)] of every post and page source, to guess where a URL went."""
    candidates = []
    folders = (("post", "ARTICLE_PATHS", "ARTICLE_EXCLUDES"), ("page", "PAGE_PATHS", "PAGE_EXCLUDES"))
    for kind, paths, excludes in folders:
        for path, problem in content_files(settings["PATH"], settings[paths], settings[excludes]):
            if problem:
                continue
            try:
                source = read_source(path)
            except (OSError, UnreadableSource):
                continue
            slug = post_slug(source, settings) if source.get("Title") or source.get("Slug") else ""
            if slug:
                candidates.append((slug, path, kind))
    return candidates


def guess_replacement(url, candidates):
    """The (source path, kind) whose slug is most like the last segment of `url`, or None."""
    segments = [part for part in url.split("/") if part]
    if not segments:
        return None
    wanted = segments[-1].removesuffix(".html")
    scored = [(difflib.SequenceMatcher(None, wanted, slug).ratio(), str(path), kind) for slug, path, kind in candidates]
    scored = [item for item in scored if item[0] >= GUESS_CUTOFF]
    if not scored:
        return None
    _, path, kind = max(scored, key=lambda item: (item[0], item[1]))
    return path, kind


def _entry_problem(record_name, line, url, words):
    # The problem of a malformed record line, or None.
    def problem(message, fix):
        return Problem(record_name, line, "URL", message, fix)

    if not url.startswith("/"):
        return problem(f"'{url}' is not a site path", "start it with /")
    if words and words != [RETIRED]:
        return problem(f"'{' '.join(words)}' after {url}", "only 'retired' may follow a URL; delete the rest")
    if words and not is_feed_url(url):
        return problem(
            f"{url} is a page and cannot be retired",
            f"delete 'retired' and give the post or page that replaced it 'Aliases: {url}'",
        )
    return None


def check_record(record_file, published, candidates, site_root):
    """Problems for each recorded URL missing from `published` (a set of site paths),
    and for each record line that is not a site path, optionally followed by `retired`
    (feeds only: a retired feed may be gone).

    `candidates` is a callable returning replacement_candidates(), called only when a
    page is missing, so a clean check reads no source twice. Problems name files
    relative to `site_root`, the folder holding content/.
    """
    problems, known = [], None
    record_name = site_relative(record_file, site_root)
    for line, url, words in record_entries(record_file):
        malformed = _entry_problem(record_name, line, url, words)
        if malformed:
            problems.append(malformed)
            continue
        if url in published or words == [RETIRED]:
            continue
        if is_feed_url(url):
            # Feed readers do not follow a redirect page: an alias cannot keep a feed.
            problems.append(
                Problem(
                    record_name,
                    line,
                    "URL",
                    f"the feed {url} is no longer published",
                    f"publish it again, or retire it on purpose: write '{url} retired' on this line "
                    "(feed readers do not follow a redirect page)",
                )
            )
            continue
        known = candidates() if known is None else known
        guess = guess_replacement(url, known)
        where = (
            f"the {guess[1]} that replaced it ({site_relative(guess[0], site_root)})"
            if guess
            else "the post that replaced it"
        )
        problems.append(
            Problem(record_name, line, "URL", f"{url} is no longer published", f"add 'Aliases: {url}' to {where}")
        )
    return problems


def enforce_record(settings, output_path):
    """Raise ContentProblems when a URL of the site's record is missing from `output_path`."""
    record_file = record_path(settings)
    if record_file is None or not record_file.exists():
        return
    ignore = tuple(redirects_settings(settings)["REDIRECTS_RECORD_IGNORE"])
    published = set(published_urls(output_path, ignore))
    site_root = Path(settings["PATH"]).parent
    problems = check_record(record_file, published, lambda: replacement_candidates(settings), site_root)
    if problems:
        raise ContentProblems(problems)
