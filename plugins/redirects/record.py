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
URL is gone, naming the fix: one line to write. After the URL on its line, `retired`
says it is gone on purpose: a page then answers 410 Gone (a small "This post was removed"
page at its path, and 410 rules in `_redirects` and the nginx snippet), a feed may simply
be gone; `-> /new/path/` (pages only) redirects it to a page the site publishes. Or the
post that replaced a page lists it in `Aliases`. Feeds get no `->`: feed readers follow no
redirect page.
`make check` runs that build into a temporary folder. A build is the exact answer: it
knows every post, listing page, pagination page, feed and redirect, where recomputing
URLs from sources would drift from Pelican's.
"""

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from blogcore.content import content_files
from blogcore.feedfiles import is_feed
from blogcore.outputs import site_path
from blogcore.problems import ContentProblems, Problem, site_relative
from blogcore.published import record_entries  # one reader for the record (the audit reads it too)
from blogcore.slugs import post_slug
from blogcore.source import UnreadableSource, read_source

from .aliases import alias_file, is_redirectable
from .settings import redirects_settings

HEADER = (
    "# Every URL this site has published (pages and feeds), one site path per line. `make publish` adds new ones.\n"
    "# Never delete a line: when a post moves, give it `Aliases: <old URL>` so the old URL redirects.\n"
    "# Gone on purpose: write `retired` after it (a page answers 410 Gone): /2014/02/old-post/ retired\n"
    "# Or send a page's readers elsewhere: /tag/old-tag/ -> /tags/\n"
)
GUESS_CUTOFF = 0.5
RETIRED = "retired"
REDIRECT = "->"


@dataclass(frozen=True)
class Fate:
    """What a record line says became of a page that is gone: retired, or redirected."""

    line: int
    url: str
    target: str | None  # the site path it redirects to; None: retired (410 Gone)

    @property
    def file(self):
        """Where its page goes, relative to the output folder."""
        return alias_file(self.url)

    @property
    def words(self):
        """What follows the URL on its line."""
        return RETIRED if self.target is None else f"{REDIRECT} {self.target}"


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


def record_fates(path):
    """The Fates of the well-formed page lines of the record at `path` that say what
    became of their page (`retired`, `-> /path/`); malformed lines are check_record's."""
    fates = []
    for line, url, words in record_entries(path):
        if is_feed_url(url) or not is_redirectable(url):
            continue
        if words == [RETIRED]:
            fates.append(Fate(line, url, None))
        elif len(words) == 2 and words[0] == REDIRECT and is_redirectable(words[1]) and words[1] != url:
            fates.append(Fate(line, url, words[1]))
    return fates


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
    """[(slug, source path, kind)] of every post and page source, to guess where a URL went;
    kind is "post", "page", or "draft" for a post or page set to Status: draft."""
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
                # A draft replaces nothing, but may be the post whose address is gone.
                draft = source.get("Status").strip("\"'").casefold() == "draft"
                candidates.append((slug, path, "draft" if draft else kind))
    return candidates


def _last_segment(url):
    # '/2014/02/x/' -> 'x', '/old.html' -> 'old'
    segments = [part for part in url.split("/") if part]
    return segments[-1].removesuffix(".html") if segments else ""


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
    if not words or words == [RETIRED]:
        if words and not is_feed_url(url) and not is_redirectable(url):
            return problem(f"{url} cannot be retired", "only a plain path such as /2014/02/old-slug/ can answer 410")
        return None
    if words[0] == REDIRECT and is_feed_url(url):
        return problem(
            f"the feed {url} cannot be redirected",
            f"write '{url} retired' on this line (feed readers do not follow a redirect page)",
        )
    if words[0] == REDIRECT and len(words) == 2 and not (is_redirectable(url) and is_redirectable(words[1])):
        return problem(
            f"'{url} -> {words[1]}' cannot be redirected", "write both as plain paths such as /2014/02/old-slug/"
        )
    if words[0] == REDIRECT and len(words) == 2 and words[1] == url:
        return problem(f"{url} redirects to itself", f"write the page it should lead to after '{REDIRECT}'")
    if words[0] == REDIRECT and len(words) == 2:
        return None
    return problem(
        f"'{' '.join(words)}' after {url}",
        f"write 'retired' or '{REDIRECT} /new/path/' after a URL, or nothing; delete the rest",
    )


def listing_index(url, settings):
    """The site path of the index of the listing `url` belongs to ('/tag/x/' -> '/tags/'),
    or None when `url` is no tag, category or author page."""
    for kind, index in (("TAG", "TAGS"), ("CATEGORY", "CATEGORIES"), ("AUTHOR", "AUTHORS")):
        pattern, index_url = settings.get(f"{kind}_URL"), settings.get(f"{index}_URL")
        if not pattern or not index_url or "{slug}" not in pattern:
            continue
        regex = "^/" + re.escape(pattern.lstrip("/")).replace(re.escape("{slug}"), "[^/]+") + "$"
        if re.match(regex, url):
            return "/" + index_url.lstrip("/")
    return None


def _missing_page(record_name, line, url, guess, index, site_root):
    # The problem of a recorded page that is gone: the one line that settles it.
    write = f"write '{url} retired' on line {line} of {record_name}"
    if index:
        what = "tags" if index.rstrip("/").endswith("tags") else "listing"
        fix = f"{write}, or redirect it to the {what} index: '{url} {REDIRECT} {index}'"
        return Problem(record_name, line, "URL", f"{url} is no longer published: no post is listed there", fix)
    if guess:
        # Most often the post moved (retitled, reslugged): keeping its readers comes first.
        moved = site_relative(guess[0], site_root)
        keep = f"(or Slug: {_last_segment(url)} to keep it there)"
        fix = f"if {moved} is that post, give it Aliases: {url} {keep}; else {write}"
    else:
        fix = f"{write}, or give the post that replaces it Aliases: {url}"
    return Problem(record_name, line, "URL", f"{url} is no longer published", fix)


def _now_draft(record_name, line, url, path, site_root):
    # A published post set back to draft: say which, and the two ways out.
    return Problem(
        record_name,
        line,
        "URL",
        f"{url} is no longer published: {site_relative(path, site_root)} is a draft now",
        f"publish it again, or take it down: write '{url} retired' on line {line} of {record_name}",
    )


def check_record(record_file, published, candidates, site_root, settings=None):
    """Problems for each recorded URL missing from `published` (a set of site paths), for
    each line that redirects to a page `published` lacks, and for each line that is not a
    site path followed by nothing, `retired` or `-> /path/` (pages only).

    `candidates` is a callable returning replacement_candidates(), called only when a
    page is missing, so a clean check reads no source twice. Problems name files
    relative to `site_root`, the folder holding content/. `settings` (Pelican's) tell a
    tag, category or author page by its URL pattern.
    """
    problems, known, drafts = [], None, {}
    record_name = site_relative(record_file, site_root)
    entries = record_entries(record_file)
    # Only a page new to the record can be where a recorded one went: a post that was
    # already published replaces nothing, however alike the slugs.
    new_slugs = {_last_segment(url) for url in set(published) - {url for _, url, _ in entries}}
    for line, url, words in entries:
        malformed = _entry_problem(record_name, line, url, words)
        if malformed:
            problems.append(malformed)
            continue
        if words and words[0] == REDIRECT and words[1] not in published:
            problems.append(
                Problem(
                    record_name,
                    line,
                    "URL",
                    f"{url} redirects to {words[1]}, which the site does not publish",
                    f"write an address the site publishes after '{REDIRECT}', such as /",
                )
            )
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
                    f"publish it again, or retire it on purpose: write '{url} retired' on line {line} of "
                    f"{record_name} (feed readers do not follow a redirect page)",
                )
            )
            continue
        index = listing_index(url, settings or {})
        guess = None
        if index is None:
            if known is None:
                every = candidates()
                known = [c for c in every if c[2] != "draft" and c[0] in new_slugs]
                drafts = {slug: path for slug, path, kind in every if kind == "draft"}
            if _last_segment(url) in drafts:
                problems.append(_now_draft(record_name, line, url, drafts[_last_segment(url)], site_root))
                continue
            guess = guess_replacement(url, known)
        problems.append(_missing_page(record_name, line, url, guess, index, site_root))
    return problems


def enforce_record(settings, output_path):
    """Raise ContentProblems when a URL of the site's record is missing from `output_path`."""
    record_file = record_path(settings)
    if record_file is None or not record_file.exists():
        return
    ignore = tuple(redirects_settings(settings)["REDIRECTS_RECORD_IGNORE"])
    published = set(published_urls(output_path, ignore))
    site_root = Path(settings["PATH"]).parent
    problems = check_record(record_file, published, lambda: replacement_candidates(settings), site_root, settings)
    if problems:
        raise ContentProblems(problems)
