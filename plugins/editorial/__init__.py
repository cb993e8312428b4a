"""Editorial plugin: author and partner profiles, guest-post credit, series, taxonomy and
permalink metadata, and the validation that guarantees DESIGN.md's content model.

Data flows one way: audit (read and check everything) -> normalise each post's metadata
-> attach display values -> render editorial pages.
"""

import logging
import os
from functools import partial

from blogcore import refresh
from blogcore.catalog import EditorialState, publish_state
from blogcore.problems import ContentProblems
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from . import jsonld, livebody
from .audit import audit_site
from .bodies import record_removals
from .bodylinks import body_link_problems, site_files, taxonomy_urls
from .enrich import attach_descriptions, author_posts, enrich_articles, partner_posts
from .holdback import held_back
from .metadata import normalise_post_metadata
from .outputs import article_contents, output_path_problems, page_contents, site_plan, source_of
from .pages import CONTEXT_KEY, EditorialPagesGenerator

logger = logging.getLogger(__name__)


def audit_content(generator):
    """Check the whole site before Pelican reads a post; stop the build on any error."""
    audit = audit_site(generator.settings)
    for warning in audit.warnings:
        logger.warning("%s", warning)
    if audit.errors:
        raise ContentProblems(audit.errors)
    generator.context[CONTEXT_KEY] = audit
    # What the other plugins may read of it (blogcore.catalog.editorial_state).
    publish_state(generator.context, EditorialState(audit.catalog, audit.settings))


def normalise_post(generator, metadata):
    """Resolve a post's authors, partner, series, tags and image to profile-backed objects."""
    audit = generator.context[CONTEXT_KEY]
    normalise_post_metadata(metadata, audit.catalog, audit.settings, audit.tag_spellings)


def attach_display_values(generator):
    """Once every post is read, attach what pages show and expose the profiles to templates."""
    audit = generator.context[CONTEXT_KEY]
    catalog, settings = audit.catalog, audit.settings
    published = list(generator.articles)
    unpublished = list(generator.drafts) + list(generator.hidden_articles)
    enrich_articles(published, unpublished, catalog, settings)
    for draft in generator.drafts:  # a preview page says why it is not published yet
        draft.held_back = held_back(draft)
    audit.author_posts = author_posts(catalog, published)
    audit.partner_posts = partner_posts(catalog, published)
    for profile in catalog.authors.values():
        profile.jsonld = jsonld.profile_page(profile, settings)
        profile.post_count = len(audit.author_posts[profile.id])
    for partner in catalog.partners.values():
        partner.post_count = len(audit.partner_posts[partner.id])
    for series in catalog.series.values():
        series.jsonld = jsonld.series_page(series, settings)
    # The header's category menu: the categories without their posts (see category_nav.html).
    generator.context["category_menu"] = [category for category, _ in generator.categories]
    generator.context["author_profiles"] = sorted(catalog.authors.values(), key=lambda p: p.name.casefold())
    generator.context["partner_profiles"] = sorted(catalog.partners.values(), key=lambda p: p.name.casefold())
    generator.context["series_profiles"] = sorted(catalog.series.values(), key=lambda p: p.name.casefold())


def note_sanitised(content):
    """content_object_init: keep what the sanitiser removed from a post's or page's body
    as problems, raised with the others before anything is written."""
    audit = getattr(content, "_context", {}).get(CONTEXT_KEY)
    if audit is not None:
        record_removals(content, audit)


def drop_missing_static_links(generator):
    """page_generator_finalized (the last generator before StaticGenerator): forget the
    `{static}` links of bodies that name no file. Pelican would make a file for each, which
    the one-writer-per-path check would see clash with the real one of another case, and
    warn that it has no modification stamp; the link itself is reported with the others."""
    links = generator.context.get("static_links")
    if links:
        root = generator.settings["PATH"]
        links.difference_update({link for link in links if not os.path.isfile(os.path.join(root, link))})


def stop_on_build_problems(generators):
    """all_generators_finalized: every generator has read its content and nothing is
    written yet: stop here with every problem only the build could find (what the
    sanitiser removed from bodies, two writers of one output path, links in bodies that
    lead nowhere), all in one report."""
    audit = generators[0].context.get(CONTEXT_KEY) if generators else None
    if audit is None:  # the audit did not run: there is no content to blame
        return
    outputs, problems = site_plan(generators, audit)
    problems += audit.build_problems + output_path_problems(outputs)
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    site = site_files(outputs, generators[0].context, audit.settings, taxonomy_urls(articles))
    problems += body_link_problems(written_contents(generators), site, partial(source_of, audit=audit))
    audit.site_files = site  # for checking one body again (livebody.py)
    if problems:
        raise ContentProblems(problems)
    if articles is not None:
        attach_descriptions([*articles.articles, *articles.drafts, *articles.hidden_articles])


def written_contents(generators):
    """Every post and page the build reads (drafts and hidden ones too), with their
    translations: the same lists the check of output paths plans from."""
    contents = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            contents.extend(article_contents(generator))
        elif isinstance(generator, PagesGenerator):
            contents.extend(page_contents(generator))
    return contents


def editorial_generators(pelican):
    """Add the generator of partner, series and post-less author pages."""
    return EditorialPagesGenerator


def register():
    """Connect the plugin's receivers."""
    signals.article_generator_init.connect(audit_content)
    signals.article_generator_context.connect(normalise_post)
    signals.article_generator_finalized.connect(attach_display_values)
    signals.content_object_init.connect(note_sanitised)
    signals.page_generator_finalized.connect(drop_missing_static_links)
    signals.all_generators_finalized.connect(stop_on_build_problems)
    signals.get_generators.connect(editorial_generators)
    refresh.check_body.connect(livebody.check_body)
    refresh.retag.connect(livebody.retag)
    refresh.read_body.connect(livebody.read_body)
    refresh.finalize_body.connect(livebody.finalize_body)
