"""Read every post, page and profile and run every content rule: the whole site in one pass.

This is pure reading and checking, with no rendering, so `make check` can call it
directly and the build can call it before Pelican reads a single post.
"""

from collections import ChainMap
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import rules
from .problems import Problem, site_relative
from .profiles import (
    Catalog,
    build_author,
    build_partner,
    build_series,
    markdown_renderer,
    profile_sources,
)
from .settings import editorial_settings
from .source import UnreadableSource, read_source

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")


@dataclass
class SiteAudit:
    """What the audit read (profiles and post sources) and every problem it found."""

    catalog: Catalog
    settings: ChainMap
    posts: dict = field(default_factory=dict)  # absolute source path -> Source
    problems: list = field(default_factory=list)

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


def content_files(content_path, folders, excluded, markdown_only=True):
    """Yield (path, problem) for every file Pelican would read under `folders`.

    Files Pelican would skip (hidden or editor backups) are ignored; anything
    else that is not Markdown, or that leads outside content/, is a problem.
    """
    root = Path(content_path).resolve()
    for folder in folders:
        base = Path(content_path) / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(content_path).as_posix()
            if any(relative == ex or relative.startswith(ex + "/") for ex in excluded):
                continue
            if path.name.startswith(".") or path.name.endswith("~") or path.is_dir():
                continue
            if not path.resolve().is_relative_to(root):
                yield (
                    path,
                    Problem(
                        str(path),
                        None,
                        "file",
                        "is a link to a file outside content/",
                        "copy the file into content/ instead",
                    ),
                )
            elif markdown_only and path.suffix.lower() not in MARKDOWN_SUFFIXES:
                yield (
                    path,
                    Problem(
                        str(path), None, "file", f"'{path.suffix}' files are not posts", "write posts as Markdown (.md)"
                    ),
                )
            else:
                yield path, None


def _read(path, problems, max_bytes):
    try:
        size = path.stat().st_size
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
            return None
        return read_source(path)
    except UnreadableSource as error:
        problems.append(Problem(str(path), error.line, "file", error.reason))
    except OSError as error:
        problems.append(Problem(str(path), None, "file", f"cannot be read ({error.strerror})"))
    return None


def _read_profiles(audit, kind, build, check):
    renderer = markdown_renderer(audit.settings)
    folder = audit.settings[f"EDITORIAL_{kind.upper()}_PATH"]
    profiles = {}
    for path, source in profile_sources(audit.settings["PATH"], folder):
        if isinstance(source, UnreadableSource):
            audit.problems.append(Problem(str(path), source.line, "file", source.reason))
            continue
        audit.problems.extend(check(source))
        profiles[path.stem] = build(source, renderer, audit.settings)
    return profiles


def _read_all(audit, kind):
    """Yield the Source of every post (kind "ARTICLE") or page ("PAGE"), recording problems."""
    settings = audit.settings
    for path, problem in content_files(settings["PATH"], settings[f"{kind}_PATHS"], settings[f"{kind}_EXCLUDES"]):
        if problem:
            audit.problems.append(problem)
            continue
        source = _read(path, audit.problems, settings["EDITORIAL_MAX_POST_BYTES"])
        if source is not None:
            yield source


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

    for source in _read_all(audit, "ARTICLE"):
        audit.posts[str(source.path.resolve())] = source
        audit.problems.extend(rules.check_post(source, audit.catalog, settings, content_path))
    pages = list(_read_all(audit, "PAGE"))
    for source in pages:
        audit.problems.extend(rules.check_page(source, settings))

    # Static files are copied as they are: a symlink must not smuggle in files from elsewhere.
    static = content_files(content_path, settings["STATIC_PATHS"], settings["STATIC_EXCLUDES"], markdown_only=False)
    audit.problems.extend(problem for _, problem in static if problem)

    posts = list(audit.posts.values())
    audit.problems.extend(rules.check_unique_slugs(posts, settings))
    audit.problems.extend(rules.check_unique(posts, lambda s: s.get("Id"), "Id", "id"))
    audit.problems.extend(rules.check_unique_slugs(pages, settings))
    audit.problems.extend(rules.check_series_numbering(posts, audit.catalog))
    site_root = Path(content_path).parent
    unique = {replace(p, path=site_relative(p.path, site_root)) for p in audit.problems}
    audit.problems = sorted(unique, key=lambda problem: problem.sort_key)
    return audit
