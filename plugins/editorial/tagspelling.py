"""One spelling per tag across the site (DESIGN.md "Content model", Tags).

Tags that differ only in case, spaces or hyphens ("recruiters", "Recruiters";
"career-change", "Career Change") are one tag. It is shown everywhere in its
established spelling: the one of the earliest-dated published post that uses it (drafts
count only for a tag no published post uses; ties go to the file path), so the choice
does not depend on the order files are read in. A post spelling it otherwise gets a
warning, and its Tag objects get the established name (metadata.py).
"""

import difflib
import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from blogcore.problems import WARNING, Problem, site_relative
from blogcore.published import recorded_urls
from blogcore.source import split_list
from pelican.urlwrappers import Tag

from .rules import parse_content_date

_IGNORED = re.compile(r"[\s\-]+")


def tag_key(name):
    """What makes two tag spellings one tag: the name without case, spaces or hyphens."""
    return _IGNORED.sub("", name.casefold())


def _tags(source):
    return [tag for tag in split_list(source.get("Tags")) if tag]


def _age(source):
    # Published before drafts, then by date (wall-clock time: a UTC offset is ignored,
    # as the site's own time zone is the norm), then by path; a bad date sorts last.
    date = parse_content_date(source.get("Date")) if source.get("Date") else None
    date = date.replace(tzinfo=None) if date else datetime.max
    return (source.get("Status").casefold() == "draft", date, str(source.path))


def established_spellings(posts):
    """{tag_key: established spelling} of every tag the `posts` (Sources) use."""
    spellings = {}
    for source in sorted(posts, key=_age):
        for tag in _tags(source):
            spellings.setdefault(tag_key(tag), tag)
    return spellings


def spelling_problems(posts, spellings):
    """A warning for each tag a post spells otherwise than the site does."""
    for source in posts:
        seen = set()
        for tag in _tags(source):
            if tag.casefold() in seen:
                continue  # given twice but for case: check_tags' duplicate warning says so
            seen.add(tag.casefold())
            established = spellings.get(tag_key(tag), tag)
            if tag != established:
                yield Problem(
                    str(source.path),
                    source.line("Tags"),
                    "Tags",
                    f"'{tag}' is written '{established}' on this site",
                    f"write '{established}', as the other posts do",
                    WARNING,
                )


def new_tags(posts, site_root):
    """(tag, source path as editors see it) of each tag only one post uses, by tag: a
    typo stands out."""
    users = defaultdict(dict)  # tag_key -> {source path: spelling}
    for source in posts:
        for tag in _tags(source):
            users[tag_key(tag)].setdefault(site_relative(source.path, site_root), tag)
    lone = [next(iter(found.items())) for found in users.values() if len(found) == 1]
    return sorted((tag, path) for path, tag in lone)


def new_tags_line(tags):
    """The build summary's line naming the tags new to the site, or "" when there are none."""
    if not tags:
        return ""
    return "New tags: " + ", ".join(f"{tag} ({path})" for tag, path in tags)


def audit_tags(audit, posts):
    """Work out the site's tag spellings and new tags onto `audit` (a SiteAudit); return
    the warnings of posts that spell a tag otherwise."""
    audit.tag_spellings = established_spellings(posts)
    # New to the site: used by one post, and with no tag page published yet (the record).
    published = recorded_urls(audit.settings)
    audit.new_tags = [
        (tag, path)
        for tag, path in new_tags(posts, Path(audit.settings["PATH"]).parent)
        if f"/{Tag(tag, audit.settings).url}" not in published
    ]
    site_root = Path(audit.settings["PATH"]).parent
    return [*spelling_problems(posts, audit.tag_spellings), *near_tag_problems(posts, audit, site_root)]


def near_tags(tag, spellings):
    """The site's tags that `tag` (new to the site) is most likely a misspelling of: a
    singular or plural of one, or a near spelling (difflib ratio 0.85 or more)."""
    key = tag_key(tag)
    others = {other_key: spelling for other_key, spelling in spellings.items() if other_key != key}
    for plural in (key + "s", key + "es", key.removesuffix("s"), key.removesuffix("es")):
        if plural != key and plural in others:
            return others[plural]
    close = difflib.get_close_matches(key, sorted(others), n=1, cutoff=0.85)
    return others[close[0]] if close else None


def near_tag_problems(posts, audit, site_root):
    """A warning for each new tag that looks like a typo of a tag the site has."""
    by_path = {site_relative(source.path, site_root): source for source in posts}
    for tag, path in audit.new_tags:
        near = near_tags(tag, audit.tag_spellings)
        if near is not None:
            source = by_path[path]
            yield Problem(
                str(source.path),
                source.line("Tags"),
                "Tags",
                f"'{tag}' is a new tag, close to the site's '{near}'",
                f"write '{near}' if it is the same tag",
                WARNING,
            )
