"""The syndication plugin's settings: every one prefixed `SYNDICATION_`, declared once with
its default and its check (blogcore.config)."""

import uuid
from types import MappingProxyType

from blogcore import errors
from blogcore.config import Option, OptionError, Schema, text, whole_number
from blogcore.workers import usable_cpus

# Where each kind of feed is written, relative to the output folder; `{slug}` is the
# category or tag slug, or the author, partner or series id. These paths are public
# (partners subscribe to them): change one only together with a redirect.
FEED_PATH_SETTINGS = MappingProxyType(
    {
        "all": "SYNDICATION_ALL_RSS",
        "category": "SYNDICATION_CATEGORY_RSS",
        "tag": "SYNDICATION_TAG_RSS",
        "author": "SYNDICATION_AUTHOR_RSS",
        "partner": "SYNDICATION_PARTNER_RSS",
        "series": "SYNDICATION_SERIES_RSS",
        "syndication": "SYNDICATION_PARTNER_BLOG_RSS",
    }
)


def _uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        raise OptionError(f"expected a UUID, got {value!r}") from None
    return value


OPTIONS = {
    "SYNDICATION_ALL_RSS": Option("feeds/all.rss.xml"),
    "SYNDICATION_CATEGORY_RSS": Option("feeds/category/{slug}.rss.xml"),
    "SYNDICATION_TAG_RSS": Option("feeds/tag/{slug}.rss.xml"),
    "SYNDICATION_AUTHOR_RSS": Option("feeds/author/{slug}.rss.xml"),
    "SYNDICATION_PARTNER_RSS": Option("feeds/partner/{slug}.rss.xml"),
    "SYNDICATION_SERIES_RSS": Option("feeds/series/{slug}.rss.xml"),
    # One feed per partner blog, carrying exactly the posts that partner takes.
    "SYNDICATION_PARTNER_BLOG_RSS": Option("feeds/syndication/{slug}.rss.xml"),
    # Newest items per feed; readers and partners only ever need the recent ones.
    "SYNDICATION_ITEM_LIMIT": whole_number(20),
    # The page for partners listing every feed and the republishing terms.
    "SYNDICATION_PAGE_URL": text("syndication/", allow_empty=False),
    "SYNDICATION_PAGE_SAVE_AS": text("syndication/index.html", allow_empty=False),
    # Processes that build feed items on a large site; None uses every CPU this process
    # may run on, 1 keeps the work in the build process.
    "SYNDICATION_WORKERS": whole_number(None, when_none=usable_cpus),
    # Below this many posts in feeds, items are built in the build process: starting
    # workers would cost more than it saves.
    "SYNDICATION_MIN_BATCH": whole_number(64),
    # Name-based GUIDs (posts without a UUID Id) are derived in this namespace. It is a
    # constant, not SITEURL, so development and production builds give the same GUIDs.
    # Never change it: every such GUID would change with it.
    "SYNDICATION_GUID_NAMESPACE": Option("0b21f4b1-e5ef-464b-a43d-c97a85e75fa0", _uuid),
}


class SettingsError(errors.SettingsError):
    """One or more SYNDICATION_ settings are wrong; the message lists every one."""


def _check_paths(merged, settings):
    for kind, name in FEED_PATH_SETTINGS.items():
        value = merged[name]
        if value in (None, ""):
            continue  # the kind of feed is switched off
        if not isinstance(value, str) or not value.endswith(".xml"):
            yield f"Setting '{name}': expected a path ending in .xml, got {value!r}"
        elif kind != "all" and "{slug}" not in value:
            yield f"Setting '{name}': must contain {{slug}}, got {value!r}"
        elif value.startswith("/") or ".." in value.split("/"):
            yield f"Setting '{name}': must be relative to the output folder, got {value!r}"


SCHEMA = Schema("SYNDICATION_", OPTIONS, error=SettingsError, checks=(_check_paths,))
DEFAULTS = MappingProxyType(SCHEMA.defaults)


def syndication_settings(settings):
    """Return the SYNDICATION_ settings with defaults filled in, checked once.

    Raises SettingsError naming every wrong or unknown setting, not just the first.
    """
    return SCHEMA.load(settings)
