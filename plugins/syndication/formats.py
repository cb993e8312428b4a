"""The three formats every feed is written in, and where each file of a feed goes.

RSS 2.0 is the feed partners and most readers already follow; Atom 1.0 and JSON Feed 1.1
carry the same items with the same ids, for readers and importers that prefer them (Atom
gives each author their own element; JSON Feed is what many newer readers read first).
A feed's RSS path is its setting (settings.FEED_PATH_SETTINGS); the other two are told
from it, so one setting moves all three:

    feeds/all.rss.xml -> feeds/all.atom.xml, feeds/all.feed.json
    feeds/all.xml     -> feeds/all.atom.xml, feeds/all.feed.json
"""

from dataclasses import dataclass
from types import MappingProxyType

from blogcore.urls import absolute_url

FORMATS = ("rss", "atom", "json")
MEDIA_TYPES = MappingProxyType(
    {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
)
# How readers and the /syndication/ page name each format.
LABELS = MappingProxyType({"rss": "RSS", "atom": "Atom", "json": "JSON Feed"})
# What replaces the RSS path's ending; blogcore.feedfiles knows both as feed files.
_ENDINGS = MappingProxyType({"atom": ".atom.xml", "json": ".feed.json"})


@dataclass(frozen=True)
class FeedFile:
    """One file of a feed: its format, path (relative to the output folder), URL and the
    title its autodiscovery link gives it."""

    format: str  # one of FORMATS
    path: str
    url: str
    title: str  # the feed's title, with the format's name after it except for RSS

    @property
    def type(self):
        """The file's media type, as autodiscovery links and the /syndication/ page give it."""
        return MEDIA_TYPES[self.format]

    @property
    def label(self):
        """The format's name for people: RSS, Atom, JSON Feed."""
        return LABELS[self.format]


def format_path(rss_path, format_name):
    """Where the `format_name` file of the feed whose RSS file is `rss_path` goes."""
    if format_name == "rss":
        return rss_path
    stem = rss_path.removesuffix(".xml").removesuffix(".rss")
    return stem + _ENDINGS[format_name]


def feed_files(rss_path, site_url, title):
    """The FeedFile of each format for the feed called `title` whose RSS file is `rss_path`,
    in FORMATS order. Readers offering a page's feeds list them by title: the RSS one keeps
    the feed's title, the others say their format, so the three can be told apart."""
    files = []
    for format_name in FORMATS:
        path = format_path(rss_path, format_name)
        shown = title if format_name == "rss" else f"{title} ({LABELS[format_name]})"
        files.append(FeedFile(format_name, path, absolute_url(site_url, path), shown))
    return tuple(files)
