"""The syndication plugin's settings: every one prefixed `SYNDICATION_`, defaults in one place."""

import uuid
from types import MappingProxyType

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

DEFAULTS = MappingProxyType(
    {
        "SYNDICATION_ALL_RSS": "feeds/all.rss.xml",
        "SYNDICATION_CATEGORY_RSS": "feeds/category/{slug}.rss.xml",
        "SYNDICATION_TAG_RSS": "feeds/tag/{slug}.rss.xml",
        "SYNDICATION_AUTHOR_RSS": "feeds/author/{slug}.rss.xml",
        "SYNDICATION_PARTNER_RSS": "feeds/partner/{slug}.rss.xml",
        "SYNDICATION_SERIES_RSS": "feeds/series/{slug}.rss.xml",
        # One feed per partner blog, carrying exactly the posts that partner takes.
        "SYNDICATION_PARTNER_BLOG_RSS": "feeds/syndication/{slug}.rss.xml",
        # Newest items per feed; readers and partners only ever need the recent ones.
        "SYNDICATION_ITEM_LIMIT": 20,
        # The page for partners listing every feed and the republishing terms.
        "SYNDICATION_PAGE_URL": "syndication/",
        "SYNDICATION_PAGE_SAVE_AS": "syndication/index.html",
        # Processes that build feed items on a large site; None uses every CPU this process
        # may run on, 1 keeps the work in the build process.
        "SYNDICATION_WORKERS": None,
        # Below this many posts in feeds, items are built in the build process: starting
        # workers would cost more than it saves.
        "SYNDICATION_MIN_BATCH": 64,
        # Name-based GUIDs (posts without a UUID Id) are derived in this namespace. It is a
        # constant, not SITEURL, so development and production builds give the same GUIDs.
        # Never change it: every such GUID would change with it.
        "SYNDICATION_GUID_NAMESPACE": "0b21f4b1-e5ef-464b-a43d-c97a85e75fa0",
    }
)


class SettingsError(Exception):
    """One or more SYNDICATION_ settings are wrong; the message lists every one."""


def _check_paths(merged):
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


def syndication_settings(settings):
    """Return the SYNDICATION_ settings with defaults filled in, checked once.

    Raises SettingsError naming every wrong setting, not just the first.
    """
    merged = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    mistakes = list(_check_paths(merged))
    limit = merged["SYNDICATION_ITEM_LIMIT"]
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        mistakes.append(f"Setting 'SYNDICATION_ITEM_LIMIT': expected a positive whole number, got {limit!r}")
    workers = merged["SYNDICATION_WORKERS"]
    if workers is None:
        merged["SYNDICATION_WORKERS"] = usable_cpus()
    elif not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        mistakes.append(f"Setting 'SYNDICATION_WORKERS': expected a whole number from 1, or None, got {workers!r}")
    batch = merged["SYNDICATION_MIN_BATCH"]
    if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
        mistakes.append(f"Setting 'SYNDICATION_MIN_BATCH': expected a whole number from 1, got {batch!r}")
    for name in ("SYNDICATION_PAGE_URL", "SYNDICATION_PAGE_SAVE_AS"):
        if not isinstance(merged[name], str) or not merged[name]:
            mistakes.append(f"Setting '{name}': expected a path, got {merged[name]!r}")
    try:
        uuid.UUID(str(merged["SYNDICATION_GUID_NAMESPACE"]))
    except ValueError:
        mistakes.append(
            f"Setting 'SYNDICATION_GUID_NAMESPACE': expected a UUID, got {merged['SYNDICATION_GUID_NAMESPACE']!r}"
        )
    if mistakes:
        raise SettingsError("\n".join(mistakes))
    return merged
