"""The Generator that writes every feed with feedgen, and the /syndication/ page.

Feeds are byte-identical for the same content: entries are appended in the planned
(newest-first) order, and every date, lastBuildDate included, comes from the posts;
feedgen's defaults (the clock, prepending) are never left in place.
"""

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from blogcore.output import write_bytes
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from pelican.generators import Generator

from . import extensions
from .items import build_item, syndication_footer
from .workers import build_items

logger = logging.getLogger(__name__)

CONTEXT_KEY = "SYNDICATION"
GENERATOR_NAME = "Pelican with python-feedgen"
# The lastBuildDate of a site with no published post at all: fixed, so still deterministic.
EMPTY_SITE_DATE = datetime(2000, 1, 1, tzinfo=UTC)


class Items:
    """The Item of every post some feed carries, built once per build, and the log of
    what each needed fixing."""

    def __init__(self, articles, settings):
        site_url = settings["SITEURL"].rstrip("/")

        def build(article):
            return build_item(article, site_url, settings["PATH"], settings["SYNDICATION_GUID_NAMESPACE"])

        self._items = build_items(articles, build, settings["SYNDICATION_WORKERS"], settings["SYNDICATION_MIN_BATCH"])
        for article in articles:
            self._report(article, self._items[article.source_path])

    def get(self, article):
        """The Item of `article`."""
        return self._items[article.source_path]

    @staticmethod
    def _report(article, item):
        path = display_path(article.source_path)
        for removal in item.removed:
            logger.warning("%s: removed %s from its feed content (not safe on partner sites)", path, removal)
        if item.guid.from_fallback:
            logger.warning(
                "%s: Id: missing; its feed GUID comes from the file name and changes if the file is "
                "renamed or moved; add 'Id: %s' to keep it for good",
                path,
                item.guid.uuid,
            )


def display_path(path):
    """`path` relative to the working directory when below it, as build messages name files."""
    relative = os.path.relpath(path)
    return Path(path).as_posix() if relative.startswith("..") else Path(relative).as_posix()


def short_site_name(settings):
    """The site's short name for attribution lines ("YouTern")."""
    return settings.get("EDITORIAL_SITE_NAME") or settings["SITENAME"]


def newest_time(items):
    """The latest publication or update time among `items`, or None."""
    times = [item.updated or item.published for item in items]
    return max(times) if times else None


class ReusableEntry(FeedEntry):
    """A feed entry rendered to XML once, however many feeds carry the post.

    A post sits in five feeds or so (site, category, tags, authors, series), and building
    its XML is most of the time feedgen spends. lxml moves an element that is appended
    to a second tree, so the element serves each feed in turn; every feed is serialised
    before the next one is built.
    """

    def __init__(self):
        super().__init__()
        self._rss_element = None

    def rss_entry(self, extensions=True):
        """The RSS <item>, built on first use."""
        if self._rss_element is None:
            self._rss_element = super().rss_entry(extensions)
        return self._rss_element


def make_entry(item, html):
    """The feedgen entry of one post (`html` is its content as this kind of feed shows it)."""
    entry = ReusableEntry()
    entry.load_extension("dc", atom=False, rss=True)
    entry.register_extension(extensions.NAME, extensions.ItemUpdatedEntryExtension, atom=False, rss=True)
    entry.title(item.title)
    entry.link(href=item.link)
    entry.guid(item.guid.value, permalink=False)
    if item.summary:
        entry.description(item.summary)
    entry.content(html)
    entry.dc.dc_creator(list(item.creators))
    entry.category([{"term": category.name, "scheme": category.domain} for category in item.categories])
    entry.pubDate(item.published)
    if item.updated is not None:
        getattr(entry, extensions.NAME).updated(item.updated)
    if item.enclosure is not None:
        entry.enclosure(item.enclosure.url, str(item.enclosure.length), item.enclosure.type)
    return entry


class EntryCache:
    """Each post's entry, once for reader feeds and once (with the footer) for partner feeds."""

    def __init__(self, items, site_name):
        self._items = items
        self._site_name = site_name
        self._entries = {}

    def get(self, article, syndication):
        """The entry of `article`; `syndication` adds the partners' attribution footer."""
        key = (article.source_path, syndication)
        entry = self._entries.get(key)
        if entry is None:
            item = self._items.get(article)
            html = (item.html + "\n" + syndication_footer(item, self._site_name)) if syndication else item.html
            entry = self._entries[key] = make_entry(item, html)
        return entry


def render_rss(feed, entries, settings, last_build_date):
    """The RSS 2.0 document of `feed` (bytes) with `entries`, newest first."""
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    generator.register_extension(
        extensions.NAME,
        extensions.ItemUpdatedExtension,
        extensions.ItemUpdatedEntryExtension,
        atom=False,
        rss=True,
    )
    generator.title(feed.title)
    # feedgen takes the channel's <link> from the last link added: the page, after self.
    generator.link(href=feed.url, rel="self", type="application/rss+xml")
    generator.link(href=feed.page_url, rel="alternate")
    generator.description(feed.description)
    generator.language(settings["DEFAULT_LANG"])
    generator.generator(GENERATOR_NAME)
    generator.lastBuildDate(last_build_date)
    for entry in entries:
        generator.add_entry(entry, order="append")  # feedgen prepends by default
    return generator.rss_str(pretty=True)


class FeedsGenerator(Generator):
    """Writes every planned feed and the page that lists them for partners."""

    def generate_output(self, writer):
        """Write the feeds, then /syndication/ through Pelican's writer."""
        plan = self.context.get(CONTEXT_KEY)
        if plan is None:  # the plan receiver did not run: there is nothing to write
            return
        settings = plan.settings
        # Each post once, in the order feeds list them, so the log's order never wavers.
        carried = list({article.source_path: article for feed in plan.feeds for article in feed.articles}.values())
        items = Items(carried, settings)
        entries = EntryCache(items, short_site_name(settings))
        # An empty feed (a partner with no guest post yet) was last built with the site.
        fallback_date = plan.newest_date or EMPTY_SITE_DATE
        for feed in plan.feeds:
            feed_items = [items.get(article) for article in feed.articles]
            feed_entries = [entries.get(article, feed.is_syndication) for article in feed.articles]
            last_build_date = newest_time(feed_items) or fallback_date
            write_bytes(self.output_path, feed.path, render_rss(feed, feed_entries, settings, last_build_date))
        writer.write_file(
            settings["SYNDICATION_PAGE_SAVE_AS"],
            self.get_template("syndication"),
            self.context,
            feed_groups=plan.groups(),
            site_name=short_site_name(settings),
            page_name="syndication",
            page_url=settings["SYNDICATION_PAGE_URL"],
            url=settings["SYNDICATION_PAGE_URL"],
        )
