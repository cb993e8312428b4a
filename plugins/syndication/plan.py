"""Which feeds the site has and which posts each carries: decided once per build, before
any page is rendered, so that pages can link the feeds they match (autodiscovery)."""

from collections import defaultdict
from dataclasses import dataclass, field
from types import MappingProxyType

from blogcore.catalog import SYNDICATE_ALL, SYNDICATE_NONE
from blogcore.outputs import site_page
from blogcore.urls import absolute_url

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


@dataclass(eq=False)  # a feed is itself: compared and hashed by identity
class Feed:
    """One RSS feed: where it is written, what it is called and the posts it carries."""

    kind: str  # one of KINDS
    key: str  # category or tag slug, author, partner or series id; "" for the site feed
    title: str
    description: str
    page_url: str  # absolute URL of the HTML page this feed follows
    path: str  # relative to the output folder
    url: str  # absolute URL of the feed itself
    articles: list = field(default_factory=list)  # newest first, at most the item limit

    @property
    def is_syndication(self):
        """True for a partner blog's republishing feed (attribution footer on every item)."""
        return self.kind == "syndication"


class FeedDirectory:
    """Feed lookups for templates: `FEEDS_FOR.category(slug)` returns a Feed or None."""

    def __init__(self, feeds):
        self._feeds = {(feed.kind, feed.key): feed for feed in feeds}

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


@dataclass
class FeedPlan:
    """Every feed of the build, in KINDS order, and the directory templates use."""

    feeds: list
    directory: FeedDirectory
    settings: object  # Pelican's settings overlaid with the SYNDICATION_ ones
    newest_date: object  # latest publication or update time of any published post, or None

    def groups(self):
        """The non-empty kinds of feed with their headings, in KINDS order."""
        groups = []
        for kind in KINDS:
            feeds = [feed for feed in self.feeds if feed.kind == kind]
            if feeds:
                groups.append(
                    FeedGroup(
                        kind=kind,
                        heading=GROUP_HEADINGS[kind],
                        feeds=feeds,
                        show_descriptions=kind in ("all", "syndication"),
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
        "syndication": (f"{site_name}: syndication feed for {{name}}", ""),
    }


class _Planner:
    """Collects feeds of each kind; a kind whose path setting is empty is switched off."""

    def __init__(self, settings, limit):
        self.site_url = settings["SITEURL"].rstrip("/")
        self.settings = settings
        self.limit = limit
        self.wording = _wording(settings["SITENAME"])
        self.feeds = []

    def add(self, kind, key, name, page_url, articles, description=None):
        pattern = self.settings[FEED_PATH_SETTINGS[kind]]
        if not pattern:
            return
        path = pattern.format(slug=key)
        title, default_description = self.wording[kind]
        self.feeds.append(
            Feed(
                kind=kind,
                key=key,
                # replace, not format: a site name may hold braces
                title=title.replace("{name}", name),
                description=description or default_description.replace("{name}", name),
                page_url=absolute_url(self.site_url, page_url),
                path=path,
                url=absolute_url(self.site_url, path),
                articles=articles[: self.limit],
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
    return f"For {partner.name} to republish: {taken} of {site_name}, except posts we keep out of syndication."


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
                settings["SYNDICATION_PAGE_URL"],
                _syndicated_by(partner, ordered),
                description=_syndication_description(partner, settings["SITENAME"]),
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
    # Every profile has a page, so every profile has a feed: readers may follow an author
    # or a series before its first post.
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
    )


def planned_outputs(articles, catalog, settings):
    """(path, what) of every file the plugin writes for a build: each feed `plan_feeds`
    decides for the same arguments, and the /syndication/ page. The build checks them
    against every other writer's files before anything is written."""
    outputs = [(feed.path, f"the feed '{feed.title}'") for feed in plan_feeds(articles, catalog, settings).feeds]
    page = settings["SYNDICATION_PAGE_SAVE_AS"]
    outputs.append((page, site_page(page)))
    return outputs
