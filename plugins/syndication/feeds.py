"""The Generator that writes every feed in each format (RSS and Atom with feedgen, JSON
Feed with json), and the /syndication/ page.

Feeds are byte-identical for the same content: entries are appended in the planned
(newest-first) order, and every date, lastBuildDate and Atom's updated included, comes
from the posts; feedgen's defaults (the clock, prepending) are never left in place.
"""

import logging
from datetime import UTC, datetime
from pathlib import Path

from blogcore.output import replace_bytes, write_bytes
from blogcore.problems import site_relative
from blogcore.refresh import tags_given_or_taken
from pelican.generators import Generator

from .entries import make_entry, render_atom, render_rss
from .guid import feed_id
from .items import build_item, syndication_footer
from .jsonfeed import render_json
from .plan import newest_first
from .workers import build_items

logger = logging.getLogger(__name__)

CONTEXT_KEY = "SYNDICATION"
# The lastBuildDate of a site with no published post at all: fixed, so still deterministic.
EMPTY_SITE_DATE = datetime(2000, 1, 1, tzinfo=UTC)


class Items:
    """The Item of every post some feed carries, built once per build, and the log of
    what each needed fixing."""

    def __init__(self, articles, settings):
        site_url = settings["SITEURL"].rstrip("/")
        site_name, suffix = settings["SITENAME"], settings.get("SUMMARY_END_SUFFIX", "…")

        def build(article):
            return build_item(
                article, site_url, settings["PATH"], settings["SYNDICATION_GUID_NAMESPACE"], site_name, suffix
            )

        self._build = build
        self._items = build_items(articles, build, settings["SYNDICATION_WORKERS"], settings["SYNDICATION_MIN_BATCH"])
        for article in articles:
            self._report(article, self._items[article.source_path])

    def build_again(self, article):
        """Build the Item of `article` again (its body changed)."""
        self._items[article.source_path] = item = self._build(article)
        self._report(article, item)

    def get(self, article):
        """The Item of `article` (built now for a post no feed carried when the others
        were built: a tag change in the dev server may bring one into a tag's feed)."""
        item = self._items.get(article.source_path)
        if item is None:
            self.build_again(article)
            item = self._items[article.source_path]
        return item

    @staticmethod
    def _report(article, item):
        path = site_relative(article.source_path, Path(article.settings["PATH"]).parent)  # as the audit names it
        for removal in item.removed:
            logger.warning("%s: body: %s is left out of its feed items, which partner sites show", path, removal)


def short_site_name(settings):
    """The site's short name for attribution lines ("YouTern")."""
    return settings.get("EDITORIAL_SITE_NAME") or settings["SITENAME"]


def newest_time(items):
    """The latest publication or update time among `items`, or None."""
    times = [item.updated or item.published for item in items]
    return max(times) if times else None


class EntryCache:
    """Each post's content and entry, once for reader feeds and once (with the partners'
    footer) for partner feeds."""

    def __init__(self, items, site_name):
        self._items = items
        self._site_name = site_name
        self._entries = {}

    def html(self, article, syndication):
        """The content of `article` as this kind of feed carries it."""
        item = self._items.get(article)
        return (item.html + "\n" + syndication_footer(item, self._site_name)) if syndication else item.html

    def get(self, article, syndication):
        """The entry of `article`; `syndication` adds the partners' attribution footer."""
        key = (article.source_path, syndication)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = make_entry(self._items.get(article), self.html(article, syndication))
        return entry

    def forget(self, article):
        """Drop the entries of `article` (its Item was built again)."""
        for syndication in (False, True):
            self._entries.pop((article.source_path, syndication), None)


def render(feed, format_name, items, entries, settings, fallback_date):
    """The document (bytes) of `feed` in the format `format_name`."""
    feed_items = [items.get(article) for article in feed.articles]
    last_change = newest_time(feed_items) or fallback_date
    if format_name == "json":
        pairs = [(items.get(article), entries.html(article, feed.is_syndication)) for article in feed.articles]
        return render_json(feed, pairs, settings)
    feed_entries = [entries.get(article, feed.is_syndication) for article in feed.articles]
    if format_name == "atom":
        return render_atom(
            feed, feed_entries, settings, last_change, feed_id(feed.path, settings["SYNDICATION_GUID_NAMESPACE"])
        )
    return render_rss(feed, feed_entries, settings, last_change)


class FeedsGenerator(Generator):
    """Writes every planned feed and the page that lists them for partners."""

    def write_feeds(self, plan, feeds, write=write_bytes):
        """Write every format of each of `feeds` (of `plan`) with the Items built, each
        file with `write(output_path, relative_path, data)`."""
        # An empty feed (a partner with no guest post yet) was last built with the site.
        fallback_date = plan.newest_date or EMPTY_SITE_DATE
        for feed in feeds:
            # Each document is serialised before the next is built: entries' elements move
            # from tree to tree (entries.ReusableEntry).
            for file in feed.files:
                data = render(feed, file.format, self.items, self.entries, plan.settings, fallback_date)
                write(self.output_path, file.path, data)

    def retag_feeds(self, article, old_tags, published):
        """After the tags of `article` changed (blogcore.refresh.retag): its feed links, and
        the posts of the feeds of each tag given or taken, as plan_feeds picks them from
        `published`; those feeds are written with the ones carrying it (write_body_feeds)."""
        plan = self.context.get(CONTEXT_KEY)
        if plan is None:
            return
        article.feeds = self.context["FEEDS_FOR"].for_article(article)
        slugs = tags_given_or_taken(old_tags, getattr(article, "tags", None))
        ordered = [(post, {tag.slug for tag in getattr(post, "tags", None) or []}) for post in newest_first(published)]
        for slug in sorted(slugs):
            feed = plan.directory.tag(slug)
            if feed is not None:
                tagged = [post for post, tags in ordered if slug in tags]
                feed.articles = tagged[: plan.settings["SYNDICATION_ITEM_LIMIT"]]
                self.retagged.append(feed)

    def write_body_feeds(self, article, output_path):
        """The feeds carrying `article`, and those of tags it was given or lost
        (retag_feeds), written again into `output_path` after an edit to its body or tags
        (blogcore.refresh.write_body)."""
        plan = self.context.get(CONTEXT_KEY)
        feeds = [feed for feed in plan.feeds if any(post is article for post in feed.articles)] if plan else []
        feeds += [feed for feed in self.retagged if feed not in feeds]
        self.retagged = []
        if not feeds:
            return
        self.items.build_again(article)
        self.entries.forget(article)
        self.output_path = output_path
        self.write_feeds(plan, feeds, write=replace_bytes)  # the folder is being served

    def generate_output(self, writer):
        """Write the feeds, then /syndication/ through Pelican's writer."""
        plan = self.context.get(CONTEXT_KEY)
        if plan is None:  # the plan receiver did not run: there is nothing to write
            return
        settings = plan.settings
        # Each post once, in the order feeds list them, so the log's order never wavers.
        carried = list({article.source_path: article for feed in plan.feeds for article in feed.articles}.values())
        # Kept for a post's body read again (write_body_feeds).
        self.items = Items(carried, settings)
        self.entries = EntryCache(self.items, short_site_name(settings))
        self.retagged = []  # feeds of tags a post was given or lost since (retag_feeds)
        self.write_feeds(plan, plan.feeds)
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
