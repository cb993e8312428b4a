"""Every file the build will write, gathered before any is written: two writers of one
path stop the build with a problem naming both (DESIGN.md "Trust": no two sources may
write one output path).

Pelican's writer would let the later writer win without a word (a post with
`Save_as: index.html` replaces the home page), skip the later one (a post saved over a
feed is lost) or fail half way with a traceback (two posts, one file). At
`all_generators_finalized` every generator has read its content and none has written
anything yet, so the whole plan can be asked for and checked:

- Pelican's own generators (posts, pages, listings with their page/N/ pages, static and
  theme files) are described here, from the same attributes and settings they write from;
- any other generator with a `planned_outputs()` method is asked: it returns
  `blogcore.outputs.PlannedOutput`s, or (path, what) pairs for the site's own files, and
  may raise ContentProblems for mistakes it finds while planning;
- the syndication plugin's feeds come from its plan (syndication/plan.py).

The clash itself is found by blogcore/outputs.py; this module says who is to blame.
"""

import os
from collections import ChainMap
from functools import partial
from itertools import chain
from pathlib import Path

from blogcore.outputs import (
    CONTENT,
    OVERRIDE,
    STATIC,
    Clash,
    PlannedOutput,
    as_output,
    find_clashes,
    long_names,
    shorten,
    site_page,
)
from blogcore.problems import ContentProblems, Problem, site_relative
from blogcore.source import Source, UnreadableSource, read_source
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator, TemplatePagesGenerator
from pelican.paginator import Paginator
from syndication.feeds import FeedsGenerator
from syndication.plan import planned_outputs as planned_feed_outputs
from syndication.settings import syndication_settings

# What to change when a post or page lands on a taken path, by the field that placed it.
FIXES = {
    "Save_as": "delete Save_as or choose another path",
    "Slug": "choose another Slug",
    "Title": "add 'Slug: <another-slug>'",
}


class Described:
    """Text made when it is first shown: `template` filled with `describe(*args)`. A large
    site plans tens of thousands of files; only a clash's two are ever described."""

    __slots__ = ("args", "describe", "template")

    def __init__(self, template, describe, *args):
        self.template, self.describe, self.args = template, describe, args

    def __str__(self):
        return self.template.format(self.describe(*self.args))


def site_plan(generators, audit):
    """(outputs, problems): the PlannedOutput of every file the build will write, and
    every problem a writer found while planning."""
    outputs, problems = [], []
    for generator in generators:
        try:
            outputs.extend(as_output(item) for item in planned_outputs(generator, audit))
        except ContentProblems as found:
            problems.extend(found.problems)
    return outputs, problems


def output_path_problems(outputs):
    """The problems naming both writers of every output path that two of `outputs` want,
    and every name too long for a disk."""
    return [_problem(clash) for clash in find_clashes(outputs)] + [_problem(found) for found in long_names(outputs)]


def planned_outputs(generator, audit):
    """What `generator` will write, as PlannedOutputs or (path, what) pairs."""
    if hasattr(generator, "planned_outputs"):
        return generator.planned_outputs()
    if isinstance(generator, ArticlesGenerator):
        return article_outputs(generator, audit)
    if isinstance(generator, PagesGenerator):
        return page_outputs(generator, audit)
    if isinstance(generator, StaticGenerator):
        return static_outputs(generator)
    if isinstance(generator, TemplatePagesGenerator):
        return [(dest, site_page(dest)) for dest in generator.settings["TEMPLATE_PAGES"].values() if dest]
    if isinstance(generator, FeedsGenerator):
        # The feeds generator plans at the same signal; its plan's rules are asked directly.
        settings = ChainMap(syndication_settings(generator.settings), audit.settings)
        return planned_feed_outputs(generator.context.get("articles", []), audit.catalog, settings)
    return []


def _problem(found):
    # `found` is a blogcore Clash (two writers, one path) or LongName (a name no disk holds).
    output = found.claimant if isinstance(found, Clash) else found.output
    if output.blame is not None:
        return output.blame(found)
    # The site's own writers: only the settings, or a profile's file name, can cause it.
    if isinstance(found, Clash) and str(found.holder.writer) == str(output.writer):
        # Described by their path, the two are alike: say what they are instead.
        message, fix = "is written by two of the site's own pages", "give each its own path in the settings (*_SAVE_AS)"
    elif isinstance(found, Clash):
        message = f"is written by both {found.holder.writer} and {output.writer}"
        fix = "give each its own path in the settings (*_SAVE_AS)"
    else:
        message = f"{output.writer} writes {found.describe()}"
        fix = "shorten the name it is made from"
    return Problem(shorten(output.path), None, "output", message, fix)


def _site_root(settings):
    return Path(settings["PATH"]).parent


def content_outputs(contents, audit):
    """The PlannedOutput of each post or page that is written (save_as not empty): ranked
    below listings and static files, and below its own pattern when its header chose the
    path (Save_as)."""
    site_root = _site_root(audit.settings)
    outputs = []
    for content in contents:
        save_as = content.save_as  # Pelican works it out afresh on every access: once here
        if save_as:
            outputs.append(_content_output(content, save_as, site_root, audit))
    return outputs


def _content_output(content, save_as, site_root, audit):
    explicit = "save_as" in content.metadata
    return PlannedOutput(
        save_as,
        Described("{}", site_relative, content.source_path, site_root),
        OVERRIDE if explicit else CONTENT,
        partial(_content_blame, content, audit),
        content.source_path,
    )


def source_of(content, audit):
    """The Source of a post or page: the audit keeps posts' by real path; a page is read
    again (only ever for one with a problem)."""
    source = audit.posts.get(os.path.realpath(content.source_path))
    if source is not None:
        return source
    try:
        return read_source(content.source_path)
    except (OSError, UnreadableSource):
        return Source(Path(content.source_path))


def _content_blame(content, audit, clash):
    source = source_of(content, audit)
    # The field that placed the file: Save_as, else the slug, written or made from the Title.
    field = "Save_as" if source.get("Save_as") else "Slug" if source.get("Slug") else "Title"
    return Problem(
        site_relative(content.source_path, _site_root(audit.settings)),
        source.line(field),
        field,
        f"writes {clash.describe()}",
        FIXES[field],
    )


def _static_blame(static, site_root, clash):
    return Problem(
        site_relative(static.source_path, site_root),
        None,
        "file",
        f"is copied to {clash.describe()}",
        "rename or move the file, or change its path in EXTRA_PATH_METADATA",
    )


def listing_files(save_as, url, template_name, articles, settings):
    """The files Pelican's writer writes for one listing: `save_as` and, when the template
    is paginated, its page/N/ pages, as Pelican's own Paginator names them."""
    if not save_as:
        return []
    if template_name not in settings["PAGINATED_TEMPLATES"]:
        return [save_as]
    per_page = settings["PAGINATED_TEMPLATES"][template_name] or settings["DEFAULT_PAGINATION"]
    paginator = Paginator(save_as, url, articles, settings, per_page)
    return [paginator.page(number).save_as for number in paginator.page_range]


def article_contents(generator):
    """Every post of an ArticlesGenerator: published, hidden and drafts, with translations."""
    return chain(
        generator.translations,
        generator.articles,
        generator.hidden_translations,
        generator.hidden_articles,
        generator.drafts_translations,
        generator.drafts,
    )


def page_contents(generator):
    """Every page of a PagesGenerator: published, hidden and drafts, with translations."""
    return chain(
        generator.translations,
        generator.pages,
        generator.hidden_translations,
        generator.hidden_pages,
        generator.draft_translations,
        generator.draft_pages,
    )


def article_outputs(generator, audit):
    """Posts (drafts too, when DRAFT_SAVE_AS writes them), the direct templates, period
    archives and tag, category and author pages, as ArticlesGenerator.generate_output
    writes them."""
    settings = generator.settings
    outputs = content_outputs(article_contents(generator), audit)
    listings = []
    for template in settings["DIRECT_TEMPLATES"]:
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        url = settings.get(f"{template.upper()}_URL", f"{template}.html")
        listings.append((save_as, url, template, generator.articles))
    for periods in generator.period_archives.values():
        listings.extend((p["save_as"], p["url"], "period_archives", p["articles"]) for p in periods)
    listings.extend((tag.save_as, tag.url, "tag", posts) for tag, posts in generator.tags.items())
    listings.extend((category.save_as, category.url, "category", posts) for category, posts in generator.categories)
    listings.extend((author.save_as, author.url, "author", posts) for author, posts in generator.authors)
    for listing in listings:
        outputs.extend((path, site_page(path)) for path in listing_files(*listing, settings))
    return outputs


def page_outputs(generator, audit):
    """Every page PagesGenerator.generate_output writes."""
    return content_outputs(page_contents(generator), audit)


def theme_static_files(settings):
    """The output paths of the theme's static files, as StaticGenerator copies them."""
    theme, target = Path(settings["THEME"]), settings["THEME_STATIC_DIR"]
    files = []
    for name in settings["THEME_STATIC_PATHS"]:
        source = theme / name
        if source.is_file():
            files.append(f"{target}/{source.name}")
        elif source.is_dir():
            files.extend(f"{target}/{p.relative_to(source).as_posix()}" for p in source.rglob("*") if p.is_file())
    return files


def static_outputs(generator):
    """The theme's static files and every file copied from content/."""
    site_root = _site_root(generator.settings)
    outputs = [(path, f"the theme's file /{path}") for path in theme_static_files(generator.settings)]
    for static in generator.context.get("staticfiles", []):
        outputs.append(
            PlannedOutput(
                static.save_as,
                Described("the file {}", site_relative, static.source_path, site_root),
                STATIC,
                partial(_static_blame, static, site_root),
                static.source_path,
            )
        )
    return outputs
