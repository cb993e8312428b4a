"""Read every post, page and profile and run every content rule: the whole site in one pass.

This is pure reading and checking, with no rendering, so `make check` can call it
directly and the build can call it before Pelican reads a single post.
"""

import os
from collections import ChainMap
from dataclasses import dataclass, field, replace
from pathlib import Path

from blogcore.cachefile import digest
from blogcore.catalog import Catalog
from blogcore.content import content_files, file_problem, is_photo, stray_markdown, walk_content
from blogcore.gitstate import changed_files
from blogcore.problems import WARNING, Problem, site_relative
from blogcore.published import recorded_urls
from blogcore.source import Source, UnreadableSource, parse_bytes
from syndication.guid import post_guid
from syndication.settings import syndication_settings

from . import rules
from .auditcache import AuditCache, cache_folder, fingerprint
from .bodies import field_problems, finding_problems
from .profiles import (
    build_author,
    build_partner,
    build_series,
    markdown_renderer,
    profile_sources,
    removed_by_renderer,
    render_markdown,
)
from .settings import editorial_settings
from .tagspelling import audit_tags


@dataclass
class SiteAudit:
    """What the audit read (profiles and post sources) and every problem it found."""

    catalog: Catalog
    settings: ChainMap
    posts: dict = field(default_factory=dict)  # absolute source path -> Source
    pages: dict = field(default_factory=dict)  # absolute source path -> Source
    problems: list = field(default_factory=list)
    # Problems only the build finds (what the sanitiser removed from a body), raised
    # together before anything is written.
    build_problems: list = field(default_factory=list)
    # Once every post is read: each author's and partner's published posts, by id.
    author_posts: dict = field(default_factory=dict)
    partner_posts: dict = field(default_factory=dict)
    # Each tag's established spelling, by tagspelling.tag_key, and the tags only one post uses.
    tag_spellings: dict = field(default_factory=dict)
    new_tags: list = field(default_factory=list)
    # What `make check`'s trial build logged besides the audit's warnings (tools.build.check).
    build_warnings: list = field(default_factory=list)
    # What a body link may point at (bodylinks.SiteFiles), once the build has planned it.
    site_files: object = None

    @property
    def errors(self):
        """Problems that stop the build."""
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self):
        """Problems reported without stopping the build."""
        return [problem for problem in self.problems if not problem.is_error]


def plugin_settings(pelican_settings):
    """Pelican's settings overlaid with the checked EDITORIAL_ settings and their defaults."""
    return ChainMap(editorial_settings(pelican_settings), pelican_settings)


def _read(path, problems, max_bytes, cache=None, real=None):
    """(Source, cached problems or None, digest of the bytes or None) of the file at
    `path`, or Nones when it cannot be read (the reason is added to `problems`). With a
    cache, a file whose bytes it knows comes back without its body, with the problems
    found when it was checked."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            problems.append(
                Problem(
                    str(path),
                    None,
                    "file",
                    f"is {size / 1_000_000:.1f} MB",
                    f"keep posts under {max_bytes / 1_000_000:g} MB: split it, or move data out of the post",
                )
            )
            return None, None, None
        with open(path, "rb") as handle:
            data = handle.read()
        key = None
        if cache is not None:
            key = digest(data)
            known = cache.get(real, key)
            if known is not None:
                fields, repeated, body_line, slug, found = known
                return Source(Path(path), fields, repeated, "", body_line, slug), found, key
        return parse_bytes(path, data), None, key
    except UnreadableSource as error:
        problems.append(Problem(str(path), error.line, "file", error.reason))
    except OSError as error:
        problems.append(Problem(str(path), None, "file", f"cannot be read ({error.strerror})"))
    return None, None, None


def _read_profiles(audit, kind, build, check):
    renderer = markdown_renderer(audit.settings)
    folder = audit.settings[f"EDITORIAL_{kind.upper()}_PATH"]
    profiles = {}
    for path, source in profile_sources(audit.settings["PATH"], folder):
        if isinstance(source, UnreadableSource):
            audit.problems.append(Problem(str(path), source.line, "file", source.reason))
            continue
        audit.problems.extend(check(source))
        if not rules.SLUG_PATTERN.match(path.stem):
            # The file name is the profile's id and the last part of its page's address.
            audit.problems.append(
                Problem(
                    str(path),
                    None,
                    "file",
                    f"'{path.name}' does not give a usable id",
                    "name the file with lowercase letters, digits and hyphens, e.g. ada-writer.md",
                )
            )
            continue
        profiles[path.stem] = build(source, renderer, audit.settings)
        audit.problems.extend(finding_problems(path, removed_by_renderer(renderer), source))
    return profiles


def _read_all(audit, kind, cache=None):
    """Yield (real path, Source, cached problems or None, digest or None) of every post
    (kind "ARTICLE") or page ("PAGE"), recording the problems of files that cannot be read."""
    settings = audit.settings
    for path, real in walk_content(settings["PATH"], settings[f"{kind}_PATHS"], settings[f"{kind}_EXCLUDES"]):
        if real is not None and is_photo(path):
            continue  # a photo beside its post (the images plugin reads it), no post
        problem = file_problem(path, real, markdown_only=True)
        if problem:
            audit.problems.append(problem)
            continue
        source, found, key = _read(path, audit.problems, settings["EDITORIAL_MAX_POST_BYTES"], cache, real)
        if source is not None:
            yield real, source, found, key


def summary_problems(source, renderer):
    """What the sanitiser would remove from a post's Summary (Markdown, shown on listing
    pages and in feeds, and never trusted: it gets the guest list)."""
    if not source.get("Summary"):
        return []
    render_markdown(renderer, source.get("Summary"))
    return field_problems(source, "Summary", removed_by_renderer(renderer))


def open_cache(settings):
    """The AuditCache of this site, loaded, or None when EDITORIAL_CACHE is off."""
    folder = cache_folder(settings)
    return None if folder is None else AuditCache(folder, fingerprint(settings)).load()


def read_catalog(audit):
    """Read partners, authors and series into `audit.catalog`, checking each profile."""
    content_path = audit.settings["PATH"]
    categories = audit.settings["EDITORIAL_CATEGORIES"]
    catalog = audit.catalog
    catalog.partners = _read_profiles(
        audit, "partners", build_partner, lambda s: rules.check_partner_profile(s, categories, content_path)
    )
    catalog.authors = _read_profiles(
        audit, "authors", build_author, lambda s: rules.check_author_profile(s, catalog, content_path)
    )
    catalog.series = _read_profiles(
        audit, "series", build_series, lambda s: rules.check_series_profile(s, content_path)
    )
    for author in catalog.authors.values():
        if author.affiliation_id:
            author.affiliation = catalog.find_partner(author.affiliation_id)


def audit_site(pelican_settings):
    """Read and check the whole site; return a SiteAudit (never raises for content mistakes)."""
    settings = plugin_settings(pelican_settings)
    audit = SiteAudit(catalog=Catalog(), settings=settings)
    read_catalog(audit)
    content_path = settings["PATH"]

    cache = open_cache(settings)
    summary_renderer = markdown_renderer(settings, who="summaries")
    for real, source, found, key in _read_all(audit, "ARTICLE", cache):
        audit.posts[real] = source
        if found is None:
            found = list(rules.check_post(source, audit.catalog, settings, content_path))
            found.extend(summary_problems(source, summary_renderer))
            if cache is not None:
                slug = rules.post_slug(source, settings)
                cache.put(real, key, (source.fields, source.repeated, source.body_line, slug, found))
        audit.problems.extend(found)
    if cache is not None:
        cache.save()
    audit.pages = {real: source for real, source, _, _ in _read_all(audit, "PAGE")}
    pages = list(audit.pages.values())
    for source in pages:
        audit.problems.extend(rules.check_page(source, settings))

    # Static files are copied as they are: a symlink must not smuggle in files from elsewhere.
    # Only declared types are published, and SVGs only without code (staticfiles.py).
    from .staticfiles import check_static_files

    static = list(
        content_files(content_path, settings["STATIC_PATHS"], settings["STATIC_EXCLUDES"], markdown_only=False)
    )
    audit.problems.extend(problem for _, problem in static if problem)
    readable = [path for path, problem in static if problem is None]
    audit.problems.extend(check_static_files(readable, settings["EDITORIAL_STATIC_TYPES"]))

    posts = list(audit.posts.values())
    audit.problems.extend(missing_id_warnings(posts, pelican_settings))
    audit.problems.extend(stray_markdown_warnings(settings))
    # A duplicate is blamed on the new or changed file, not the published one it copied.
    recorded, changed = recorded_urls(settings), changed_files(content_path)
    newer = rules.Newness(settings, recorded, changed)
    audit.problems.extend(rules.check_unique_slugs(posts, settings, newer))
    audit.problems.extend(rules.check_unique(posts, lambda s: s.get("Id"), "Id", "id", newer))
    page_newer = rules.Newness(settings, recorded, changed, "PAGE_URL")
    audit.problems.extend(rules.check_unique_slugs(pages, settings, page_newer))
    audit.problems.extend(rules.check_series_numbering(posts, audit.catalog, newer))
    audit.problems.extend(audit_tags(audit, posts))
    site_root = Path(content_path).parent
    unique = {replace(p, path=site_relative(p.path, site_root)) for p in audit.problems}
    audit.problems = sorted(unique, key=lambda problem: problem.sort_key)
    return audit


def missing_id_warnings(posts, pelican_settings):
    """A warning for each post that is no draft and has no `Id`: its feed id then comes
    from its file name, and renaming the file would show it to subscribers again. The
    fix is the `Id:` line that keeps today's feed id."""
    namespace = syndication_settings(pelican_settings)["SYNDICATION_GUID_NAMESPACE"]
    content_path = pelican_settings["PATH"]
    warnings = []
    for source in posts:
        if source.has("Id") or source.get("Status").lower() == "draft" or source.header_problems:
            continue
        guid = post_guid(None, os.path.relpath(source.path, content_path), namespace)
        warnings.append(
            Problem(
                str(source.path),
                1,
                "Id",
                "missing; its feed id comes from the file name and changes if the file is renamed or moved",
                f"add 'Id: {guid.uuid}' to keep it for good",
                WARNING,
            )
        )
    return warnings


def stray_markdown_warnings(settings):
    """A warning for each Markdown file under content/ outside every folder the site
    reads (content/newpost.md): Pelican would skip it without a word."""
    read = [
        *settings["ARTICLE_PATHS"],
        *settings["PAGE_PATHS"],
        *settings["STATIC_PATHS"],
        *(settings[f"EDITORIAL_{kind}_PATH"] for kind in ("AUTHORS", "PARTNERS", "SERIES")),
    ]
    return [
        Problem(
            str(path),
            None,
            "file",
            "is outside the folders the site reads, so it is not published",
            "move a post into content/posts/ (a draft too, with 'Status: draft') and a page into content/pages/",
            WARNING,
        )
        for path in stray_markdown(settings["PATH"], read)
    ]
