"""One small check per rule of the content model (DESIGN.md "Content model").

Each check takes what it needs and yields `Problem`s; `audit.py` runs them all.
Messages say what is wrong, and the text after "; " says how to fix it.
"""

import functools
import os
import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from blogcore.images import parse_focus
from blogcore.problems import WARNING, Problem, did_you_mean
from blogcore.slugs import post_slug
from blogcore.source import split_list
from pelican.utils import get_date, slugify

from .starter import BODY_PLACEHOLDER, COMMENT_MARKERS

POST_FIELDS = (
    "Title", "Id", "Date", "Modified", "Category", "Tags", "Authors", "Partner",
    "Series", "Series_index", "Summary", "Image", "Image_alt", "Image_credit",
    "Image_credit_url", "Image_focus", "Slug", "Aliases", "Canonical", "Syndicate", "Status",
    "Save_as", "URL", "Template",
)  # fmt: skip
PAGE_FIELDS = ("Title", "Slug", "Summary", "Status", "Modified", "Aliases", "Template", "Save_as", "URL")
AUTHOR_FIELDS = ("Name", "Role", "Affiliation", "Avatar", "Links")
PARTNER_FIELDS = ("Name", "Url", "Logo", "Credit", "Rel", "Syndicate")
SERIES_FIELDS = ("Name", "Image")

POST_REQUIRED = ("Title", "Date", "Category", "Authors")
STATUSES = ("published", "draft")
REL_TOKENS = ("sponsored", "nofollow", "ugc", "noopener", "noreferrer")
# First path segments the site itself writes; a page slug must not take one.
RESERVED_PAGE_SLUGS = (
    "author", "authors", "category", "categories", "tag", "tags", "series", "partner",
    "partners", "archives", "page", "feeds", "images", "theme", "drafts", "syndication",
)  # fmt: skip

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T_]\d{1,2}:\d{2}(?::\d{2})?)?(?:Z|[+-]\d{2}:?\d{2})?$")
# A slug or a profile id: lowercase words joined by hyphens.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A site path: no ':' (a URL field could otherwise hold a scheme, javascript: among them).
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~/%-]*$")
_STABLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._-]{7,}$")
DATE_FIX = "write it as YYYY-MM-DD HH:MM, e.g. 2014-03-05 09:00"


def _problem(source, name, message, fix="", severity="error"):
    return Problem(str(source.path), source.line(name), name, message, fix, severity)


MAX_PART = 999
# Fields Pelican itself acts on that this one-language site has no use for: a post with
# `Lang: fr` would be listed but never written (ARTICLE_LANG_SAVE_AS is empty).
PELICAN_ONLY_FIELDS = ("lang", "translation")
# A header line with a space before its colon ends the header: what follows is body text.
_SPACED_FIELD = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+)[ \t]+:")


def is_part_number(value):
    """True for a Series_index Pelican and this plugin read alike: 1 to MAX_PART, ASCII digits."""
    return bool(re.fullmatch(r"[0-9]{1,3}", value)) and 1 <= int(value) <= MAX_PART


def check_unknown_fields(source, known):
    """Warn about keys outside the schema, suggesting the closest known one; refuse the
    fields Pelican would act on against this site's design."""
    known_by_lower = {name.lower(): name for name in known}
    for name, entry in source.fields.items():
        if name in known_by_lower:
            continue
        if name not in PELICAN_ONLY_FIELDS and ends_header_early(source, entry):
            yield swallowed_line(source, entry, known)
            continue
        if name in PELICAN_ONLY_FIELDS:
            yield Problem(
                str(source.path),
                entry.line,
                entry.key,
                "Pelican would treat the post as a translation and never write it",
                "delete the line: the site has one language",
            )
            continue
        if name in FOREIGN_FIELDS:
            yield foreign_field(source, entry)
            continue
        guess = did_you_mean(entry.key, known)
        fix = f"did you mean {guess}?" if guess else f"known fields: {', '.join(known)}"
        yield Problem(str(source.path), entry.line, entry.key, "unknown field", fix, WARNING)
    for entry in source.repeated:
        first = source.fields[entry.key.lower()]
        yield Problem(
            str(source.path),
            entry.line,
            entry.key,
            f"given twice (first on line {first.line})",
            "keep one line and delete the other",
        )


def ends_header_early(source, entry):
    """True when `entry` is the last line of a header that the body follows without a
    blank line: a line of body text that looks like a field (`Note: recruiters call...`)
    is read as one there, and never shown. (A typo'd field elsewhere is only unknown.)"""
    if not source.open_ended:
        return False
    return entry.line == max(other.line for other in [*source.fields.values(), *source.repeated])


def swallowed_line(source, entry, known):
    """The error for an unknown field on the last header line (see ends_header_early)."""
    fix = "add a blank line above it if it is text, or correct the field name"
    guess = did_you_mean(entry.key, known)
    if guess:
        fix += f" (did you mean {guess}?)"
    return Problem(
        str(source.path),
        entry.line,
        entry.key,
        "unknown field right before the body, so this line is not shown",
        fix,
    )


# Fields editors bring from Hugo and Jekyll, which this site does not read. `draft: true`
# and `published: false` mean "not yet": ignored, they would publish the post.
FOREIGN_FIELDS = {"draft": "Hugo", "published": "Jekyll", "layout": "Jekyll", "permalink": "Jekyll"}
_HOLDING_BACK = {"draft": {"true", "yes", "on", "1"}, "published": {"false", "no", "off", "0"}}


def foreign_field(source, entry):
    """The problem of a Hugo or Jekyll field: an error when it would hold the post back
    there (and is ignored here), else a warning to delete it."""
    name, tool = entry.key.lower(), FOREIGN_FIELDS[entry.key.lower()]
    if entry.value.strip().casefold() in _HOLDING_BACK.get(name, ()):
        return Problem(
            str(source.path),
            entry.line,
            entry.key,
            f"is {tool}'s field, which this site does not read: the post would be published",
            "write 'Status: draft' instead",
        )
    fix = {
        "draft": "delete the line: a post is published unless it says 'Status: draft'",
        "published": "delete the line: a post is published unless it says 'Status: draft'",
        "layout": "delete the line: the site's theme lays out every post",
        "permalink": "delete the line, or write the address as 'Slug: <slug>'",
    }[name]
    return Problem(
        str(source.path), entry.line, entry.key, f"is {tool}'s field, which this site does not read", fix, WARNING
    )


def check_header_problems(source):
    """What reading the header found: YAML front matter that does not parse, or holds
    what no field takes (blogcore/frontmatter.py)."""
    yield from source.header_problems


def _is_draft(source):
    return source.get("Status").casefold() == "draft"


DRAFT_FOLDERS = {"drafts", "_drafts", "draft"}  # where Jekyll and habit keep drafts


def check_drafts_folder(source, content_path):
    """A post in a folder named like drafts is a draft: Pelican would publish it all the same."""
    relative = Path(os.path.relpath(os.path.abspath(source.path), os.path.abspath(content_path)))
    folders = {part.casefold() for part in relative.parent.parts}
    if folders & DRAFT_FOLDERS and not _is_draft(source):
        yield Problem(
            str(source.path),
            source.line("Status") or 1,
            "Status",
            "the post is in a drafts folder but not a draft: it would be published",
            "add 'Status: draft' to its header (or move it out of the folder to publish it)",
        )


def check_leftovers(source):
    """A post that is not a draft holds nothing `make newpost` wrote for the editor to
    replace: its comment listing the optional fields, or its placeholder text."""
    if _is_draft(source):
        return
    opened, reported = None, False
    for offset, line in enumerate(source.body.split("\n")):
        text = line.strip()
        if text.startswith("<!--"):
            opened, reported = offset, False
        if text in COMMENT_MARKERS and not reported:
            reported = True  # once per comment
            start = opened if opened is not None else offset
            yield Problem(
                str(source.path),
                source.body_line + start,
                "body",
                "still holds the comment make newpost wrote, and the post is not a draft",
                "delete the comment, from its '<!--' line to its '-->' line",
            )
        elif text == BODY_PLACEHOLDER:
            yield Problem(
                str(source.path),
                source.body_line + offset,
                "body",
                f"still holds make newpost's placeholder '{BODY_PLACEHOLDER}'",
                "write the post in its place",
            )
        if "-->" in text:
            opened = None


def check_field_lengths(source, limit):
    """No header value is absurdly long (a pasted body, a runaway script)."""
    for entry in source.fields.values():
        if len(entry.value) > limit:
            yield Problem(
                str(source.path),
                entry.line,
                entry.key,
                f"is {len(entry.value):,} characters long",
                f"keep it under {limit:,}",
            )


def check_required(source, required):
    """Each required field is present and not empty (unless no header could be read at
    all: its own problem says why, and a list of every field as missing would bury it)."""
    if source.header_problems and not source.fields:
        return
    for name in required:
        if not source.get(name):
            where = "is empty" if source.has(name) else "is missing"
            yield _problem(source, name, f"required field {where}", f"add '{name}: ...' to the header")


def check_body(source, what):
    """The Markdown body is not empty."""
    if not source.body.strip():
        yield Problem(
            str(source.path), source.body_line, "body", f"{what} is empty", f"write the {what} below the header"
        )


def parse_content_date(value):
    """Return the datetime of a Date/Modified value, or None when it is not a date."""
    value = value.strip().replace("_", " ")
    if not _DATE.match(value):
        return None
    try:
        # The ISO forms the pattern admits parse without dateutil's slower general parser.
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return get_date(value)
    except (ValueError, OverflowError):
        return None


def check_dates(source):
    """Date and Modified are real dates in ISO form; Modified is not before Date."""
    parsed = {}
    for name in ("Date", "Modified"):
        value = source.get(name)
        if not value:
            continue
        parsed[name] = parse_content_date(value)
        if parsed[name] is None:
            yield _problem(source, name, f"'{value}' is not a date", DATE_FIX)
    date, modified = parsed.get("Date"), parsed.get("Modified")
    if date and modified and (date.tzinfo is None) != (modified.tzinfo is None):
        # One written with a UTC offset and one without: compare wall-clock times.
        date, modified = date.replace(tzinfo=None), modified.replace(tzinfo=None)
    if date and modified and modified < date:
        yield _problem(source, "Modified", "is before Date", "Modified is the last change; set it on or after Date")


def check_category(source, categories):
    """Category is one of the site's categories."""
    value = source.get("Category")
    if not value or not categories:
        return
    if value.casefold() in {name.casefold() for name in categories}:
        return
    guess = did_you_mean(value, categories)
    fix = f"did you mean '{guess}'?" if guess else f"use one of: {', '.join(categories)}"
    yield _problem(source, "Category", f"unknown category '{value}'", fix)


def check_tags(source, limit):
    """No empty tag; duplicates (case-insensitive) are reported and dropped."""
    if not source.has("Tags"):
        return
    seen = {}
    tags = split_list(source.fields["tags"].value)
    if len(tags) > limit:
        yield _problem(source, "Tags", f"{len(tags):,} tags", f"keep it to {limit} or fewer")
        return
    for tag in tags:
        if not tag:
            yield _problem(source, "Tags", "empty tag", "remove the doubled or trailing comma, or delete the Tags line")
            continue
        key = tag.casefold()
        if key in seen:
            yield _problem(
                source, "Tags", f"duplicate tag '{tag}' (same as '{seen[key]}')", "list each tag once", WARNING
            )
        seen.setdefault(key, tag)


def _did_you_mean_profile(value, profiles, kind):
    candidates = {}
    for profile in profiles.values():
        candidates[profile.id] = profile
        candidates[profile.name] = profile
    guess = did_you_mean(value, candidates)
    if guess is None:
        known = ", ".join(sorted(profiles)) or "none yet"
        return f"add content/{kind}/<id>.md or use a known id ({known})"
    profile = candidates[guess]
    return f"did you mean '{guess}' ({Path(profile.source_path).parent.name}/{profile.source_path.name})?"


def check_authors(source, catalog):
    """Every author resolves, by id or name, to a profile."""
    value = source.get("Authors")
    if not value:
        return
    for token in split_list(value):
        if not token:
            yield _problem(source, "Authors", "empty author", "remove the doubled or trailing comma")
        elif catalog.find_author(token) is None:
            fix = _did_you_mean_profile(token, catalog.authors, "authors")
            yield _problem(source, "Authors", f"unknown author '{token}'", fix)


def check_partner(source, catalog):
    """Partner names a partner profile."""
    value = source.get("Partner")
    if value and catalog.find_partner(value) is None:
        yield _problem(
            source, "Partner", f"unknown partner '{value}'", _did_you_mean_profile(value, catalog.partners, "partners")
        )


def check_series_fields(source, catalog):
    """Series names a series profile and comes with a positive whole Series_index."""
    series = source.get("Series")
    index = source.get("Series_index")
    if series and catalog.find_series(series) is None:
        yield _problem(
            source, "Series", f"unknown series '{series}'", _did_you_mean_profile(series, catalog.series, "series")
        )
    if series and not index:
        # Point at the Series line: that is where the missing index belongs.
        yield Problem(
            str(source.path),
            source.line("Series"),
            "Series_index",
            "missing for a post in a series",
            "add 'Series_index: N' (1 for the first part)",
        )
    if index and not series:
        yield _problem(
            source, "Series_index", "given without Series", "add 'Series: <series id>' or delete Series_index"
        )
    if index and not is_part_number(index):
        yield _problem(
            source, "Series_index", f"'{index}' is not a part number", f"use a whole number from 1 to {MAX_PART}"
        )


def check_image(source, content_path):
    """An image has alt text and exists (in content/, or beside the post); a credit or a
    focal point needs an image, and a focal point is two percentages."""
    image = source.get("Image")
    if image:
        if not source.get("Image_alt"):
            yield _problem(source, "Image", "image without alt text", "add 'Image_alt: <what the image shows>'")
        yield from check_local_file(source, "Image", image, content_path, beside=source.path.parent)
    focus = source.get("Image_focus")
    if focus and image and parse_focus(focus) is None:
        yield _problem(
            source,
            "Image_focus",
            f"'{focus}' is not a focal point",
            "write how far across and down the subject is, e.g. 'Image_focus: 30%, 40%'",
        )
    for name in ("Image_credit", "Image_credit_url", "Image_focus"):
        if source.get(name) and not image:
            yield _problem(source, name, "credit without an image", "add 'Image: images/<file>' or delete the credit")
    if source.get("Image_alt") and not image:
        yield _problem(
            source, "Image_alt", "alt text without an image", "add 'Image: images/<file>' or delete Image_alt"
        )
    yield from check_absolute_url(source, "Image_credit_url")


# What a URL may hold as written: RFC 3986's unreserved and reserved characters and '%'.
# Quotes, spaces, '<', '>' and backslashes are not among them.
_URL_CHARACTERS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
# A site path to a file: letters, digits and - _ . / ~ % only.
_FILE_PATH = re.compile(r"^/?[A-Za-z0-9._~%/-]+$")
URL_FIX = "write the full address, e.g. https://example.org/"


def url_problem(value):
    """Why `value` is not an absolute http(s) URL, as a message; None when it is one."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return f"'{value}' is not an absolute http(s) URL"
    if not _URL_CHARACTERS.match(value):
        return f"'{value}' holds characters a URL may not (spaces, quotes, '<' or '>')"
    return None


def check_local_file(source, name, value, content_path, beside=None):
    """A file named in a header exists inside content/ (or in the folder `beside`, the
    post's own), or is an absolute http(s) URL; a name that differs only in case from a
    file's (which a Mac finds and the Linux build does not) gets a did-you-mean."""
    if urlsplit(value).scheme:
        problem = url_problem(value)
        if problem:
            yield _problem(source, name, problem, "name a file under content/, e.g. images/<file>, or an https:// URL")
        return
    if not _FILE_PATH.match(value):
        yield _problem(
            source,
            name,
            f"'{value}' is not a file path",
            "use letters, digits, '-', '_', '.' and '/', e.g. images/x.jpg",
        )
        return
    relative = PurePosixPath(value.lstrip("/"))
    root = Path(content_path).resolve()
    target = (root / relative).resolve()
    if ".." in relative.parts or not target.is_relative_to(root):
        yield _problem(source, name, f"'{value}' points outside content/", "put the file under content/images/")
    elif _exact_file(target) or (beside is not None and _beside(beside, relative, root)):
        return
    else:
        guess = _nearest_file(root, relative)
        if guess is not None and guess.casefold() == relative.as_posix().casefold():
            yield _problem(
                source,
                name,
                f"file '{value}' not found in content/: the name differs in case from '{guess}'",
                f"did you mean '{guess}'? The site's server tells capitals apart",
            )
        elif guess is not None:
            yield _problem(source, name, f"file '{value}' not found in content/", f"did you mean '{guess}'?")
        else:
            yield _problem(
                source, name, f"file '{value}' not found in content/", "check the path, e.g. images/<file>.svg"
            )


def _exact_file(target):
    """True when `target` is a file whose name has exactly that case (a Mac's disk finds
    Photo.JPG as photo.jpg; the Linux server that builds the site does not)."""
    return target.is_file() and target.name in os.listdir(target.parent)


def _beside(folder, relative, root):
    target = (Path(folder) / relative).resolve()
    return target.is_relative_to(root) and _exact_file(target)


def _nearest_file(root, relative):
    """The content-relative path of the file under `root` nearest to `relative`: in its
    folder first (a case or a typo), else anywhere by its name; or None."""
    folder = root / relative.parent
    names = sorted(os.listdir(folder)) if folder.is_dir() else []
    guess = did_you_mean(relative.name, [name for name in names if (folder / name).is_file()])
    if guess is not None:
        return (relative.parent / guess).as_posix()
    return None


def check_absolute_url(source, name):
    """A URL field holds an absolute http(s) URL."""
    value = source.get(name)
    problem = url_problem(value) if value else None
    if problem:
        yield _problem(source, name, problem, URL_FIX)


def check_slug(source, settings):
    """The slug is URL-safe; a title that gives no slug needs an explicit one."""
    explicit = source.get("Slug")
    if explicit and not SLUG_PATTERN.match(explicit):
        # slugify keeps underscores, which this rule refuses: suggest hyphens instead.
        suggestion = slugify(explicit.replace("_", "-"), regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
        fix = (
            f"use lowercase letters, digits and hyphens, e.g. '{suggestion}'"
            if suggestion
            else "use lowercase letters, digits and hyphens"
        )
        yield _problem(source, "Slug", f"'{explicit}' is not URL-safe", fix)
    elif not explicit and source.get("Title") and not post_slug(source, settings):
        yield _problem(source, "Title", "gives an empty slug", "add 'Slug: <words-with-hyphens>'")


def check_output_overrides(source):
    """Save_as and URL stay relative, URL-safe and inside the output folder."""
    for name in ("Save_as", "URL"):
        value = source.get(name)
        if not value:
            continue
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts or "\\" in value or re.match(r"^[A-Za-z]:", value):
            yield _problem(
                source,
                name,
                f"'{value}' would write outside the output folder",
                "use a relative path without '..', or delete the line",
            )
        elif not _SAFE_PATH.match(value):
            yield _problem(source, name, f"'{value}' is not URL-safe", "use letters, digits, '-', '_', '.' and '/'")
        elif name == "Save_as" and value.endswith("/"):
            yield _problem(source, name, f"'{value}' names a folder, not a file", f"write '{value}index.html'")


# File systems sites are built and served from (ext4, APFS, NTFS) hold at most this many
# bytes in one file or folder name; a longer one fails the write half way through a build.
MAX_FILE_NAME_BYTES = 255
# Fields that choose which file of the site a post is and how it is rendered: the site's
# decision, never a guest's (a guest post could otherwise replace the home page).
SITE_ONLY_FIELDS = ("Save_as", "URL", "Template")
# Besides its page, every tag and category has a feed named after its slug
# (the syndication plugin's feeds/tag/{slug}.rss.xml).
FEED_FILE_NAME = "{slug}.rss.xml"


def check_guest_overrides(source):
    """A guest post (one with a Partner) sets none of Save_as, URL and Template."""
    if not source.get("Partner"):
        return
    for name in SITE_ONLY_FIELDS:
        if source.has(name):
            yield _problem(source, name, f"guest posts may not set {name}", "delete the line")


def check_save_as_file(source):
    """An explicit Save_as is an ordinary HTML page: not a hidden file, which hosts read as
    their configuration (.htaccess, .well-known/), and not a feed, script or stylesheet."""
    value = source.get("Save_as")
    if not value or any(problem.field == "Save_as" for problem in check_output_overrides(source)):
        return  # absent, or already reported as leaving the output folder or not URL-safe
    path = PurePosixPath(value)
    hidden = next((part for part in path.parts if part.startswith(".")), None)
    if hidden:
        what = "a hidden file" if hidden == path.name else f"in the hidden folder '{hidden}'"
        yield _problem(
            source, "Save_as", f"'{value}' is {what}, which hosts read as settings", "save the page as name.html"
        )
    elif path.suffix != ".html":
        yield _problem(
            source,
            "Save_as",
            f"'{value}' does not end in .html",
            "write a web page's path, e.g. 'guides/offers.html'",
        )


def _file_name_bytes(patterns, slug):
    # The longest file or folder name the patterns make of `slug` (only the names that hold
    # {slug}: dates and fixed names are short).
    names = [part for pattern in patterns for part in pattern.split("/") if "{slug}" in part] or ["{slug}"]
    return max(len(name.replace("{slug}", slug).encode()) for name in names)


def _too_long(size):
    return f"makes a file name of {size:,} bytes, more than the {MAX_FILE_NAME_BYTES} a file name may hold"


def check_file_name_length(source, settings, save_as_setting):
    """The file or folder named after the slug (by `save_as_setting`, e.g. ARTICLE_SAVE_AS),
    or every name in an explicit Save_as, fits in a file name."""
    explicit = source.get("Save_as")
    if explicit:
        size = max(len(part.encode()) for part in PurePosixPath(explicit).parts)
        if size > MAX_FILE_NAME_BYTES:
            yield _problem(source, "Save_as", _too_long(size), "choose a shorter path")
        return
    slug = post_slug(source, settings)
    size = _file_name_bytes([settings[save_as_setting]], slug) if slug else 0
    if size <= MAX_FILE_NAME_BYTES:
        return
    if source.get("Slug"):
        yield _problem(source, "Slug", _too_long(size), "write a shorter Slug")
    else:
        yield _problem(source, "Title", _too_long(size), "add a shorter 'Slug: <words-with-hyphens>'")


def taxonomy_slug(name, kind, settings):
    """The slug Pelican gives the tag or category `name` (as URLWrapper.slug does, without
    the warning it logs for an empty one); `kind` is "tag" or "category"."""
    regex_subs = settings.get(f"{kind.upper()}_REGEX_SUBSTITUTIONS", settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
    return _slugify(
        name,
        tuple(tuple(sub) for sub in regex_subs),
        settings.get("SLUGIFY_PRESERVE_CASE", False),
        settings.get("SLUGIFY_USE_UNICODE", False),
    )


@functools.lru_cache(maxsize=4096)
def _slugify(name, regex_subs, preserve_case, use_unicode):
    # A site has a few hundred tags over thousands of posts: each is slugified once.
    return slugify(name, regex_subs=regex_subs, preserve_case=preserve_case, use_unicode=use_unicode)


def check_taxonomy_slugs(source, settings):
    """The category and every tag give a slug for their page and feed: a tag of only
    punctuation or emoji gives none (Pelican would write its page as /tag/ itself and its
    feed as the hidden file feeds/tag/.rss.xml), a very long one too long a file name."""
    for name, kind, values in (
        ("Category", "category", [source.get("Category")]),
        ("Tags", "tag", split_list(source.get("Tags"))),
    ):
        for value in values:
            if not value:
                continue  # an empty tag is check_tags' to report
            slug = taxonomy_slug(value, kind, settings)
            size = _file_name_bytes([settings[f"{kind.upper()}_SAVE_AS"], FEED_FILE_NAME], slug)
            if not slug.strip("-_"):  # '???' gives '', '!!! ---' gives '-': no page to name
                yield _problem(
                    source, name, f"{kind} '{value}' gives no slug", "use letters or digits (a-z, 0-9) in it"
                )
            elif size > MAX_FILE_NAME_BYTES:
                yield _problem(source, name, f"{kind} '{value[:40]}…' {_too_long(size)}", f"shorten the {kind}")


def check_aliases(source):
    """Every alias is a site path such as /2014/02/old-slug/."""
    for alias in (item.strip() for item in source.get("Aliases").split(",")):
        if not alias:
            continue
        path = PurePosixPath(alias)
        if not alias.startswith("/") or ".." in path.parts or not _SAFE_PATH.match(alias):
            yield _problem(source, "Aliases", f"'{alias}' is not a site path", "write old URLs as /2014/02/old-slug/")


# Words editors use for "not yet", which a spelling match would turn into 'published'.
NOT_YET = {"unpublished", "private", "pending", "hidden", "wip", "scheduled", "future"}


def check_choice(source, name, choices):
    """A field with a closed set of values holds one of them."""
    value = source.get(name)
    if value and value.casefold() not in choices:
        if name == "Status" and value.casefold() in NOT_YET:
            yield _problem(source, name, f"'{value}' is not allowed", "write 'Status: draft' to hold the post back")
            return
        guess = did_you_mean(value, choices)
        fix = f"did you mean '{guess}'?" if guess else f"use one of: {', '.join(choices)}"
        yield _problem(source, name, f"'{value}' is not allowed", fix)


def check_stable_id(source):
    """Id, the feed GUID, is a long opaque token (a UUID)."""
    value = source.get("Id")
    if source.has("Id") and not _STABLE_ID.match(value):
        yield _problem(source, "Id", f"'{value}' is not a stable id", "use a UUID, e.g. from `make newpost`")


def check_header_ends_cleanly(source, known):
    """The first body line is not a header field spelt with a space before its colon
    (`Partner : acme`), which ends the header there: the field would be silently body text."""
    offset, first = next(((n, line) for n, line in enumerate(source.body.split("\n")) if line.strip()), (0, ""))
    match = _SPACED_FIELD.match(first)
    if match and match["key"].lower() in {name.lower() for name in known}:
        yield Problem(
            str(source.path),
            source.body_line + offset,
            match["key"],
            "has a space before ':', so the header ends above it and this line is body text",
            f"write '{match['key']}: ...' with no space before the colon, in the header",
        )


def check_template(source, settings):
    """A Template names a template of the theme (Pelican would stop with a traceback)."""
    value = source.get("Template")
    if not value:
        return
    folders = [os.path.join(settings["THEME"], "templates"), *settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    if not any(os.path.isfile(os.path.join(folder, f"{value}.html")) for folder in folders):
        yield _problem(
            source, "Template", f"the theme has no template '{value}'", "delete the line, or name a template of theme/"
        )


def check_post(source, catalog, settings, content_path):
    """Run every single-file rule on a post."""
    yield from check_header_problems(source)
    yield from check_leftovers(source)
    yield from check_drafts_folder(source, content_path)
    yield from check_unknown_fields(source, POST_FIELDS)
    yield from check_header_ends_cleanly(source, POST_FIELDS)
    yield from check_template(source, settings)
    yield from check_field_lengths(source, settings["EDITORIAL_MAX_FIELD_LENGTH"])
    yield from check_required(source, POST_REQUIRED)
    yield from check_body(source, "post")
    yield from check_dates(source)
    yield from check_category(source, settings["EDITORIAL_CATEGORIES"])
    yield from check_tags(source, settings["EDITORIAL_MAX_TAGS"])
    yield from check_authors(source, catalog)
    yield from check_partner(source, catalog)
    yield from check_series_fields(source, catalog)
    yield from check_image(source, content_path)
    yield from check_slug(source, settings)
    yield from check_output_overrides(source)
    yield from check_guest_overrides(source)
    yield from check_save_as_file(source)
    yield from check_file_name_length(source, settings, "ARTICLE_SAVE_AS")
    yield from check_taxonomy_slugs(source, settings)
    yield from check_aliases(source)
    yield from check_absolute_url(source, "Canonical")
    yield from check_choice(source, "Status", STATUSES)
    yield from check_choice(source, "Syndicate", ("yes", "no"))
    yield from check_stable_id(source)


def check_page(source, settings):
    """Run every single-file rule on a page."""
    yield from check_header_problems(source)
    yield from check_unknown_fields(source, PAGE_FIELDS)
    yield from check_header_ends_cleanly(source, PAGE_FIELDS)
    yield from check_template(source, settings)
    yield from check_field_lengths(source, settings["EDITORIAL_MAX_FIELD_LENGTH"])
    yield from check_required(source, ("Title",))
    yield from check_body(source, "page")
    yield from check_dates(source)
    yield from check_slug(source, settings)
    yield from check_output_overrides(source)
    yield from check_save_as_file(source)
    yield from check_file_name_length(source, settings, "PAGE_SAVE_AS")
    yield from check_aliases(source)
    yield from check_choice(source, "Status", STATUSES)
    slug = post_slug(source, settings)
    if slug in RESERVED_PAGE_SLUGS:
        yield _problem(
            source,
            "Slug" if source.get("Slug") else "Title",
            f"page slug '{slug}' is taken by the site's own /{slug}/ pages",
            "choose another Slug",
        )


def check_author_profile(source, catalog, content_path):
    """Run every rule on an author profile."""
    yield from check_header_problems(source)
    yield from check_unknown_fields(source, AUTHOR_FIELDS)
    yield from check_required(source, ("Name",))
    yield from check_body(source, "bio")
    affiliation = source.get("Affiliation")
    if affiliation and catalog.find_partner(affiliation) is None:
        fix = _did_you_mean_profile(affiliation, catalog.partners, "partners")
        yield _problem(source, "Affiliation", f"unknown partner '{affiliation}'", fix)
    if source.get("Avatar"):
        yield from check_local_file(source, "Avatar", source.get("Avatar"), content_path)
    for entry in (item.strip() for item in source.get("Links").split(",")):
        if entry and url_problem(entry.rpartition(" ")[2]):
            yield _problem(
                source, "Links", f"'{entry}' has no http(s) URL", "write each link as 'Label https://example.org/'"
            )


def check_partner_profile(source, categories, content_path):
    """Run every rule on a partner profile."""
    yield from check_header_problems(source)
    yield from check_unknown_fields(source, PARTNER_FIELDS)
    yield from check_required(source, ("Name", "Url"))
    yield from check_body(source, "description")
    yield from check_absolute_url(source, "Url")
    if source.get("Logo"):
        yield from check_local_file(source, "Logo", source.get("Logo"), content_path)
    credit = source.get("Credit")
    if credit and "{partner}" not in credit:
        yield _problem(
            source,
            "Credit",
            "the credit line does not name the partner",
            "include {partner} where the linked name goes",
        )
    for token in source.get("Rel").replace(",", " ").split():
        if token.lower() not in REL_TOKENS:
            yield _problem(source, "Rel", f"'{token}' is not a link rel", f"use any of: {', '.join(REL_TOKENS)}")
    syndicate = source.get("Syndicate")
    if syndicate.casefold() not in ("", "none", "no", "all", "yes"):
        for name in split_list(syndicate):
            if categories and name.casefold() not in {c.casefold() for c in categories}:
                guess = did_you_mean(name, categories)
                fix = f"did you mean '{guess}'?" if guess else "use all, none, or category names"
                yield _problem(source, "Syndicate", f"unknown category '{name}'", fix)


def check_series_profile(source, content_path):
    """Run every rule on a series profile."""
    yield from check_header_problems(source)
    yield from check_unknown_fields(source, SERIES_FIELDS)
    yield from check_required(source, ("Name",))
    yield from check_body(source, "description")
    if source.get("Image"):
        yield from check_local_file(source, "Image", source.get("Image"), content_path)


class Newness:
    """Orders the sources that share a slug, an Id or a series part, oldest first, so a
    duplicate is blamed on the file being written, not on the one it copied: a source
    whose URL is in the published-URL record is older than one whose URL is not, then
    one git sees as unchanged is older than one untracked or modified, then the earlier
    Date, then the earlier path."""

    def __init__(self, settings, recorded=frozenset(), changed=None, url_setting="ARTICLE_URL"):
        self.settings, self.recorded, self.changed = settings, recorded, changed
        self.url_setting = url_setting

    def url(self, source):
        """The site path the source will be published at ('/2014/03/slug/'), or None."""
        date = parse_content_date(source.get("Date")) if source.get("Date") else None
        values = {"slug": post_slug(source, self.settings), "lang": self.settings.get("DEFAULT_LANG", "en")}
        if date is not None:
            values["date"] = date
        try:
            return "/" + self.settings[self.url_setting].format(**values).lstrip("/")
        except (KeyError, IndexError, ValueError, AttributeError):
            return None  # a pattern naming a field the source does not have

    def published(self, source):
        """True when the source's URL is in the published-URL record."""
        return self.url(source) in self.recorded

    def is_changed(self, source):
        """True when git sees the source as untracked or modified."""
        return self.changed is not None and Path(source.path).resolve() in self.changed

    def key(self, source):
        """Sorts oldest first."""
        changed = self.is_changed(source)
        date = parse_content_date(source.get("Date")) if source.get("Date") else None
        stamp = date.replace(tzinfo=None) if date else datetime.min
        return (not self.published(source), changed, stamp, str(source.path))

    def name(self, source):
        """The file name of `source`, marked when it is published."""
        return f"{source.path.name} (published)" if self.published(source) else source.path.name


def _blamed(sources, value_of, newer):
    # (source, the oldest source with its value) for every source that repeats a value,
    # the oldest of each group by `newer.key` (or the given order without one) kept.
    groups = defaultdict(list)
    for source in sources:
        value = value_of(source)
        if value:
            groups[value].append(source)
    for value, group in groups.items():
        if newer is not None:
            group = sorted(group, key=newer.key)
        for source in group[1:]:
            yield value, source, group[0]


def _file_name(source, newer):
    return newer.name(source) if newer is not None else source.path.name


ID_FIX = "give this post its own Id: run make newpost, or copy a new UUID"


def check_unique(sources, key, field_name, what, newer=None):
    """No two sources share `key(source)`; all but the oldest (Newness, when given) are
    reported, each naming the one it repeats."""
    for value, source, first in _blamed(sources, key, newer):
        fix = ID_FIX if field_name == "Id" else f"give this post its own {field_name}"
        # A copy not committed yet has its original's URL, so it looks published: it is not.
        if field_name == "Id" and newer is not None and newer.published(source) and not newer.is_changed(source):
            # Both are published: the copy must change all the same; say which one it is.
            fix = "both are published: give the later copy its own Id: run make newpost, or copy a new UUID"
        yield _problem(source, field_name, f"{what} '{value}' is already used by {_file_name(first, newer)}", fix)


def check_unique_slugs(sources, settings, newer=None):
    """No two sources share a slug; the problem points at Slug, or at the Title it came
    from, of every source but the oldest (Newness, when given)."""
    for slug, source, first in _blamed(sources, lambda source: post_slug(source, settings), newer):
        first = _file_name(first, newer)
        if source.get("Slug"):
            yield _problem(source, "Slug", f"slug '{slug}' is already used by {first}", "give this post its own Slug")
        else:
            yield _problem(
                source, "Title", f"gives the slug '{slug}', already used by {first}", "add 'Slug: <another-slug>'"
            )


def check_series_numbering(posts, catalog, newer=None):
    """Within each series, parts are numbered 1..N once each, drafts included; a repeated
    number is reported on every part but the oldest (Newness, when given)."""
    parts = defaultdict(list)
    for source in posts:
        series = catalog.find_series(source.get("Series")) if source.get("Series") else None
        index = source.get("Series_index")
        if series and is_part_number(index):
            parts[series.id].append((int(index), source))
    for series_id, numbered in sorted(parts.items()):
        numbered.sort(key=lambda item: (item[0], newer.key(item[1]) if newer else str(item[1].path)))
        seen = {}
        for index, source in numbered:
            if index in seen:
                yield _problem(
                    source,
                    "Series_index",
                    f"part {index} of series '{series_id}' is also {_file_name(seen[index], newer)}",
                    "give each part its own number",
                )
            seen.setdefault(index, source)
        expected = 1
        for index, source in sorted(seen.items()):
            if index != expected:
                missing = ", ".join(str(n) for n in range(expected, index))
                yield _problem(
                    source,
                    "Series_index",
                    f"series '{series_id}' has no part {missing} before part {index}",
                    "number the parts 1, 2, 3 without gaps",
                )
            expected = index + 1
