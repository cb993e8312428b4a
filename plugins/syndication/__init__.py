"""Syndication plugin: RSS 2.0 feeds of the whole site, each category, tag, author,
partner and series, and one republishing feed per partner blog, built with feedgen.

Pelican's own feed writers are switched off in pelicanconf.py. Data flows one way:
plan the feeds once every post is read (so pages can link them) -> write them.

Feeds (paths are settings, see settings.py):
    feeds/all.rss.xml                       every post
    feeds/category/{slug}.rss.xml           one category
    feeds/tag/{slug}.rss.xml                one tag
    feeds/author/{id}.rss.xml               one author
    feeds/partner/{id}.rss.xml              a guest partner's posts
    feeds/series/{id}.rss.xml               one series
    feeds/syndication/{partner}.rss.xml     what a partner blog republishes
and the page /syndication/ listing them with the republishing terms.

Templates get SITE_FEEDS (site-wide feeds), FEEDS_FOR (lookups by kind) and
`article.feeds` (the feeds a post belongs to), each a FeedLink: the feed's .title, .url
and .files, without the posts it carries.
"""

from collections import ChainMap

from blogcore import refresh
from blogcore.catalog import Catalog, editorial_state
from pelican import signals
from pelican.generators import ArticlesGenerator

from .feeds import CONTEXT_KEY, FeedsGenerator
from .plan import plan_feeds
from .settings import syndication_settings


def check_settings(pelican):
    """Check the SYNDICATION_ settings at start-up; raise SettingsError listing every mistake."""
    syndication_settings(pelican.settings)


def _editorial(context, pelican_settings):
    # The editorial plugin's profiles and settings (EDITORIAL_SITE_NAME); without the
    # plugin there are no author, partner or series feeds.
    state = editorial_state(context)
    if state is None:
        return Catalog(), pelican_settings
    return state.catalog, state.settings


def plan_site_feeds(generators):
    """Once every post is read and before any page is rendered, decide the feeds and
    give templates SITE_FEEDS, FEEDS_FOR and each post's `feeds`."""
    articles_generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if articles_generator is None:
        return
    context = articles_generator.context
    catalog, base_settings = _editorial(context, articles_generator.settings)
    settings = ChainMap(syndication_settings(articles_generator.settings), base_settings)
    # Only published posts: drafts, hidden posts and future-dated posts (drafts until
    # their date with WITH_FUTURE_DATES = False) are not in `articles`.
    plan = plan_feeds(articles_generator.articles, catalog, settings)
    context[CONTEXT_KEY] = plan
    # Templates get each feed's name and files (FeedLink), not the posts it carries.
    links = plan.directory.links()
    site_feed = links.site()
    context["SITE_FEEDS"] = [site_feed] if site_feed is not None else []
    context["FEEDS_FOR"] = links
    for article in articles_generator.articles:
        article.feeds = links.for_article(article)


def feeds_generator(pelican):
    """Add the generator that writes the feeds and the /syndication/ page."""
    return FeedsGenerator


def write_body_feeds(post, new, generators, output_path):
    """blogcore.refresh.write_body: the feeds carrying a post, after an edit to its body
    or tags."""
    feeds = refresh.generator_of(generators, FeedsGenerator)
    if feeds is not None:
        feeds.write_body_feeds(post, output_path)


def retag_feeds(post, new, old_tags, generators, output_path):
    """blogcore.refresh.retag: the feeds of the tags a post was given or lost."""
    feeds = refresh.generator_of(generators, FeedsGenerator)
    articles = refresh.generator_of(generators, ArticlesGenerator)
    if feeds is not None and articles is not None:
        feeds.retag_feeds(post, old_tags, articles.articles)
    return []


def register():
    """Connect the plugin's receivers."""
    signals.initialized.connect(check_settings)
    signals.all_generators_finalized.connect(plan_site_feeds)
    signals.get_generators.connect(feeds_generator)
    refresh.retag.connect(retag_feeds)
    refresh.write_body.connect(write_body_feeds)
