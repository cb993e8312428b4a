"""Which feeds the site has and which posts each carries: decided once per build, before
any page is rendered, so that pages can link the feeds they match (autodiscovery).

A partner's feed with no post (a guest partner before its first guest post, a partner
blog whose categories have none yet) is neither written nor linked: most partners never
write a guest post, and an importer pointed at an empty feed reports an error. The
/syndication/ page names those partners and says why. Every author and series profile
keeps its feed, empty or not: readers may follow a new author or series before its first
post, from the profile's page. Category and tag feeds are never empty.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from types import MappingProxyType

from blogcore.catalog import SYNDICATE_ALL, SYNDICATE_NONE
from blogcore.outputs import site_page
from blogcore.urls import absolute_url

from .formats import feed_files
from .items import names_in_words
from .settings import FEED_PATH_SETTINGS

# Kinds of feed in the order the /syndication/ page lists them.
KINDS = ("all", "syndication", "category", "tag", "author", "partner", "series")
GROUP_HEADINGS = MappingProxyType(
    {
        "all": "Every post",
        "syndication": "Partner blog feeds",
        "category": "Categories",
        "tag": "Tags",
        "author": "Authors",
        "partner": "Guest partners",
        "series": "Series",
    }
)


# The kinds of feed left out when they have no post, and why, as the /syndication/ page says it.
EMPTY_REASONS = MappingProxyType(
    {
        "syndication": "none of the posts they take is published yet",
        "partner": "no guest post of theirs is published yet",
    }
)


@dataclass(eq=False)  # a feed is itself: compared and hashed by identity
class Feed:
    """One feed: where its files are written, what it is called and the posts it carries."""

    kind: str  # one of KINDS
    key: str  # category or tag slug, author, partner or series id; "" for the site feed
    title: str  # the channel's title, as readers show it
    description: str
    page_url: str  # absolute URL of the HTML page this feed follows
    path: str  # of the RSS file, relative to the output folder
    url: str  # absolute URL of the RSS file
    articles: list = field(default_factory=list)  # newest first, at most the item limit
    files: tuple = ()  # formats.FeedFile of each format, RSS first
    label: str = ""  # how the /syndication/ page lists it, when not by its title

    @property
    def name(self):
        """How the feed is listed for people: its label, else its title."""
        return self.label or self.title

    @property
    def is_syndication(self):
        """True for a partner blog's republishing feed (attribution footer on every item)."""
        return self.kind == "syndication"


@dataclass(frozen=True, eq=False)
class FeedLink:
    """A feed as a page shows it (its autodiscovery links, name and address): a Feed
    without the posts it carries. Templates get these, so what a page is made from is a
    feed's name and files, not the newest posts in it: an edit of one of those posts then
    leaves the pages that only link the feed as they were (plugins/fastbuild/incremental.py)."""

    kind: str
    key: str
    title: str
    description: str
    page_url: str
    path: str
    url: str
    files: tuple
    label: str

    @classmethod
    def of(cls, feed):
        """The FeedLink of `feed`."""
        return cls(feed.kind, feed.key, feed.title, feed.description, feed.page_url, feed.path, feed.url,
                   feed.files, feed.label)  # fmt: skip

    name = Feed.name
    is_syndication = Feed.is_syndication


class FeedDirectory:
    """Feed lookups: `FEEDS_FOR.category(slug)` returns a Feed (a FeedLink in templates) or None."""

    def __init__(self, feeds):
        self._feeds = {(feed.kind, feed.key): feed for feed in feeds}

    def links(self):
        """The same lookups answering with each feed's FeedLink, for templates."""
        return FeedDirectory(FeedLink.of(feed) for feed in self._feeds.values())

    def _get(self, kind, key):
        return self._feeds.get((kind, key))

    def site(self):
        """The feed of every post."""
        return self._get("all", "")

    def category(self, slug):
        """The feed of a category, by slug."""
        return self._get("category", slug)

    def tag(self, slug):
        """The feed of a tag, by slug."""
        return self._get("tag", slug)

    def author(self, slug):
        """The feed of an author, by profile id (the author's slug)."""
        return self._get("author", slug)

    def partner(self, partner_id):
        """The feed of a partner's guest posts, by partner id."""
        return self._get("partner", partner_id)

    def series(self, series_id):
        """The feed of a series, by series id."""
        return self._get("series", series_id)

    def syndication(self, partner_id):
        """The republishing feed of a partner blog, by partner id."""
        return self._get("syndication", partner_id)

    def for_article(self, article):
        """The feeds a post belongs to, for its page's autodiscovery links.

        Its category, tags, authors and series, in that order, each once.
        """
        feeds = [self.category(article.category.slug)]
        feeds += [self.tag(tag.slug) for tag in getattr(article, "tags", None) or []]
        feeds += [self.author(author.slug) for author in article.authors]
        series = getattr(article, "series", None)
        if series is not None:
            feeds.append(self.series(series.id))
        return [feed for feed in dict.fromkeys(feeds) if feed is not None]


@dataclass(frozen=True)
class FeedGroup:
    """Feeds of one kind under a heading, as the /syndication/ page lists them."""

    kind: str
    heading: str
    feeds: list
    # Site-wide and partner feeds are few and each needs a word on what it carries.
    show_descriptions: bool
    # Names of this kind with no feed because they have no post yet, and why.
    without_feed: tuple = ()
    reason: str = ""

    @property
    def without_feed_names(self):
        """The names without a feed in one phrase ("A, B and C")."""
        return names_in_words(self.without_feed)


@dataclass
class FeedPlan:
    """Every feed of the build, in KINDS order, and the directory templates use."""

    feeds: list
    directory: FeedDirectory
    settings: object  # Pelican's settings overlaid with the SYNDICATION_ ones
    newest_date: object  # latest publication or update time of any published post, or None
    empty: tuple = ()  # (kind, name) of each feed left out for having no post

    def groups(self):
        """The kinds of feed with feeds or names left without one, in KINDS order."""
        groups = []
        for kind in KINDS:
            feeds = [feed for feed in self.feeds if feed.kind == kind]
            without = tuple(name for empty_kind, name in self.empty if empty_kind == kind)
            if feeds or without:
                groups.append(
                    FeedGroup(
                        kind=kind,
                        heading=GROUP_HEADINGS[kind],
                        feeds=feeds,
                        show_descriptions=kind in ("all", "syndication"),
                        without_feed=without,
                        reason=EMPTY_REASONS.get(kind, ""),
                    )
                )
        return groups


def last_change(article):
    """When a post last changed: its Modified time, or its Date."""
    return getattr(article, "modified", None) or article.date


def newest_first(articles):
    """Published posts, newest first; ties broken by source path so order never wavers."""
    return sorted(articles, key=lambda article: (article.date, article.source_path), reverse=True)


def _wording(site_name):
    # (title, description) of each kind; {name} is the category, tag, author, partner or series.
    return {
        "all": (f"{site_name}: all posts", f"Every post on {site_name}, newest first."),
        "category": (f"{site_name}: {{name}}", f"Posts in the category {{name}} on {site_name}."),
        "tag": (f"{site_name}: posts tagged {{name}}", f"Posts tagged {{name}} on {site_name}."),
        "author": (f"{site_name}: posts by {{name}}", f"Posts by {{name}} on {site_name}."),
        "partner": (f"{site_name}: guest posts from {{name}}", f"Guest posts from {{name}} on {site_name}."),
        "series": (f"{site_name}: {{name}} (series)", f"The parts of the series {{name}} on {site_name}."),
        # A partner's importer shows the channel as the source of every post it republishes:
        # the blog's own name, linking its home page (see plan_feeds).
        "syndication": (site_name, ""),
    }


def _syndication_label(site_name, partner_name):
    # How /syndication/ lists a partner blog's feed, whose channel title is the site's name.
    return f"{site_name}: syndication feed for {partner_name}"


class _Planner:
    """Collects feeds of each kind; a kind whose path setting is empty is switched off."""

    def __init__(self, settings, limit):
        self.site_url = settings["SITEURL"].rstrip("/")
        self.settings = settings
        self.limit = limit
        self.wording = _wording(settings["SITENAME"])
        self.feeds = []
        self.empty = []

    def add(self, kind, key, name, page_url, articles, description=None, label=""):
        pattern = self.settings[FEED_PATH_SETTINGS[kind]]
        if not pattern:
            return
        if not articles and kind in EMPTY_REASONS:
            self.empty.append((kind, name))
            return
        path = pattern.format(slug=key)
        title, default_description = self.wording[kind]
        # replace, not format: a site name may hold braces
        title = title.replace("{name}", name)
        self.feeds.append(
            Feed(
                kind=kind,
                key=key,
                title=title,
                description=description or default_description.replace("{name}", name),
                page_url=absolute_url(self.site_url, page_url),
                path=path,
                url=absolute_url(self.site_url, path),
                articles=articles[: self.limit],
                files=feed_files(path, self.site_url, label or title),
                label=label,
            )
        )


def _syndicated_by(partner, ordered):
    # Syndicate: no keeps a post out of every partner's feed, whatever the partner takes.
    return [
        article for article in ordered if getattr(article, "syndicate", True) and partner.takes(article.category.name)
    ]


def _syndication_description(partner, site_name):
    if partner.syndicate == SYNDICATE_ALL:
        taken = "every post"
    else:
        taken = "posts in " + " and ".join(", ".join(partner.syndicate).rsplit(", ", 1))
    return (
        f"{site_name}, for {partner.name} to republish: {taken}, except posts we keep out of syndication. "
        "Item links are the original posts."
    )


def plan_feeds(articles, catalog, settings):
    """Decide every feed of the build.

    `articles` are the published posts (never drafts, hidden or future posts), `catalog`
    the editorial profiles (authors, partners, series by id) and `settings` Pelican's
    settings overlaid with the checked SYNDICATION_ ones.
    """
    ordered = newest_first(articles)
    planner = _Planner(settings, settings["SYNDICATION_ITEM_LIMIT"])
    planner.add("all", "", settings["SITENAME"], "", ordered)

    for partner in sorted(catalog.partners.values(), key=lambda profile: profile.id):
        if partner.syndicate != SYNDICATE_NONE:
            planner.add(
                "syndication",
                partner.id,
                partner.name,
                "",  # the home page: importers show the channel link as the posts' source
                _syndicated_by(partner, ordered),
                description=_syndication_description(partner, settings["SITENAME"]),
                label=_syndication_label(settings["SITENAME"], partner.name),
            )

    by_category, by_tag = defaultdict(list), defaultdict(list)
    by_author, by_partner, by_series = defaultdict(list), defaultdict(list), defaultdict(list)
    for article in ordered:
        by_category[article.category].append(article)
        for tag in getattr(article, "tags", None) or []:
            by_tag[tag].append(article)
        for author in article.authors:
            by_author[author.slug].append(article)
        if getattr(article, "partner", None) is not None:
            by_partner[article.partner.id].append(article)
        if getattr(article, "series", None) is not None:
            by_series[article.series.id].append(article)

    for category in sorted(by_category, key=lambda category: category.slug):
        planner.add("category", category.slug, category.name, category.url, by_category[category])
    for tag in sorted(by_tag, key=lambda tag: tag.slug):
        planner.add("tag", tag.slug, tag.name, tag.url, by_tag[tag])
    # Every author and series profile has a page, so it has a feed: readers may follow an
    # author or a series before its first post. A guest partner's feed waits for its first.
    for profile in sorted(catalog.authors.values(), key=lambda profile: profile.id):
        planner.add("author", profile.id, profile.name, profile.page_url, by_author[profile.id])
    for partner in sorted(catalog.partners.values(), key=lambda profile: profile.id):
        planner.add("partner", partner.id, partner.name, partner.page_url, by_partner[partner.id])
    for series in sorted(catalog.series.values(), key=lambda profile: profile.id):
        planner.add("series", series.id, series.name, series.page_url, by_series[series.id])

    return FeedPlan(
        feeds=planner.feeds,
        directory=FeedDirectory(planner.feeds),
        settings=settings,
        newest_date=max((last_change(article) for article in ordered), default=None),
        empty=tuple(planner.empty),
    )


def planned_outputs(articles, catalog, settings):
    """(path, what) of every file the plugin writes for a build: each feed `plan_feeds`
    decides for the same arguments, and the /syndication/ page. The build checks them
    against every other writer's files before anything is written."""
    outputs = [
        (file.path, f"the feed '{feed.name}'" + ("" if file.format == "rss" else f" ({file.label})"))
        for feed in plan_feeds(articles, catalog, settings).feeds
        for file in feed.files
    ]
    page = settings["SYNDICATION_PAGE_SAVE_AS"]
    outputs.append((page, site_page(page)))
    return outputs
