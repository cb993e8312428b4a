"""Turn each published post's and page's Aliases into redirects, and find the ones that clash.

An alias is an old site path such as /2014/02/old-slug/ (a folder: the redirect page is
its index.html) or /old-page.html (the file itself).
"""

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from blogcore.problems import Problem, site_relative
from blogcore.source import UnreadableSource, read_source, split_list

# Stricter than the audit's site-path rule: these paths go unquoted into nginx and
# _redirects lines, where braces, colons, spaces or %-escapes would change the meaning.
_REDIRECTABLE = re.compile(r"^/[A-Za-z0-9._~/-]*$")


@dataclass(frozen=True, order=True)
class Redirect:
    """One old path that now leads to a post or page."""

    alias: str  # the old site path, as written in the header
    file: str  # where its redirect page goes, relative to the output folder
    target: str  # the site path it leads to, e.g. /2014/03/new-slug/
    title: str  # the title of the post or page it leads to
    source_path: str  # the post or page whose Aliases header lists it


def alias_file(alias):
    """The output file of a redirect page for `alias`, e.g. '2014/02/old/index.html'."""
    path = alias.strip("/")
    if path.endswith(".html"):
        return path
    return f"{path}/index.html" if path else "index.html"


def aliases_of(content):
    """The aliases of a post or page: a list for posts (the editorial plugin splits
    them), the raw header text for pages."""
    value = getattr(content, "aliases", None) or []
    if isinstance(value, str):
        value = split_list(value)
    return [alias.strip() for alias in value if alias.strip()]


def header_line(source_path, field="Aliases"):
    """The line of `field` in the source file, or None when it cannot be read."""
    try:
        return read_source(source_path).line(field)
    except (OSError, UnreadableSource):
        return None


def _unsafe(alias):
    path = PurePosixPath(alias)
    return not _REDIRECTABLE.match(alias) or ".." in path.parts


def is_redirectable(path):
    """True for a plain site path that may go into a redirect page, `_redirects` and nginx."""
    return not _unsafe(path)


def collect_redirects(contents, site_root):
    """Return (redirects, problems) for the aliases of `contents`.

    `contents` are the published posts and pages; problems name files relative to
    `site_root` (the folder holding content/). An alias that is not a plain site path,
    that is its own post's URL, or that another alias already claims is a problem naming
    the file and line of its Aliases header. An alias onto a file something else of the
    site writes (another post, a listing, a feed, a static file) is found with every
    other clash of output paths: see RedirectsGenerator.planned_outputs.
    """
    redirects, problems, claimed = [], [], {}
    for content in sorted(contents, key=lambda c: c.source_path):
        aliases = aliases_of(content)
        if not aliases:
            continue  # most posts: and Pelican works a URL out afresh each time it is asked
        target = "/" + content.url.lstrip("/")
        if _unsafe(target):
            problems.append(
                Problem(
                    site_relative(content.source_path, site_root),
                    header_line(content.source_path, "URL"),
                    "URL",
                    f"'{target}' cannot be the target of a redirect",
                    "use letters, digits, '-', '_', '.' and '/' only",
                )
            )
            continue
        for alias in aliases:
            problem = _alias_problem(content, alias, claimed, site_root)
            if problem:
                problems.append(problem)
                continue
            file = alias_file(alias)
            claimed[file] = content
            redirects.append(Redirect(alias, file, target, content.title, content.source_path))
    return sorted(redirects), problems


def clash(source_path, alias, what, site_root):
    """The problem of an alias that is the URL of `what`, another page or file of the site."""
    return Problem(
        site_relative(source_path, site_root),
        header_line(source_path),
        "Aliases",
        f"'{alias}' is the URL of {what}",
        "delete it from Aliases, or move that page",
    )


def _alias_problem(content, alias, claimed, site_root):
    def problem(message, fix):
        path = site_relative(content.source_path, site_root)
        return Problem(path, header_line(content.source_path), "Aliases", message, fix)

    if _unsafe(alias):
        return problem(
            f"'{alias}' cannot be redirected", "write the old URL as a plain path such as /2014/02/old-slug/"
        )
    file = alias_file(alias)
    if file == content.save_as:
        return problem(f"'{alias}' is this post's own URL", "delete it from Aliases")
    if file in claimed:
        other = claimed[file]
        if other is content:
            return problem(f"'{alias}' is listed twice", "list each old URL once")
        return problem(
            f"'{alias}' is also an alias of {PurePosixPath(other.source_path).name}",
            "keep it on the one post it should lead to",
        )
    return None
