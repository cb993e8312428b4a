"""The two builds the benchmark compares, on the same corpus: ours and vanilla Pelican.

Each is a small settings file written into the corpus folder, so every relative path
(Pelican's CACHE_PATH among them) stays inside that temporary folder.
"""

import sys
from pathlib import Path

from benchmarks.corpus import CATEGORIES

ROOT = Path(__file__).resolve().parent.parent

# Our pipeline: the project's real settings, plugins and theme, pointed at the corpus.
OURS = """\
# The project's pelicanconf.py pointed at a benchmark corpus.
import sys

sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: E402, F403

PATH = {content!r}
THEME = {theme!r}
EDITORIAL_CATEGORIES = {categories!r}
# Set here, so Pelican resolves it against this file: the content cache stays inside the
# corpus folder (left to its default, it would follow the working directory).
CACHE_PATH = "cache"
"""

# Vanilla Pelican 4.12: no plugins, its default theme, its own RSS feeds for the whole
# site, each category, tag and author, 10 posts per index page. Feeds carry the 20 newest
# posts, as ours do (SYNDICATION_ITEM_LIMIT), so both build the same amount of feed.
# Our profile folders mean nothing to it: only posts, pages and images are read.
VANILLA = """\
# Vanilla Pelican on a benchmark corpus.
SITENAME = "YouTern Career Advice"
SITEURL = ""
PATH = {content!r}
TIMEZONE = "America/Los_Angeles"
DEFAULT_LANG = "en"
PLUGINS = []  # not None: that would load every namespace plugin installed
CACHE_PATH = "vanilla-cache"  # relative to this file, so inside the corpus folder
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
DEFAULT_PAGINATION = 10
FEED_MAX_ITEMS = 20
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_RSS = "feeds/category/{{slug}}.rss.xml"
TAG_FEED_RSS = "feeds/tag/{{slug}}.rss.xml"
AUTHOR_FEED_RSS = "feeds/author/{{slug}}.rss.xml"
"""

# Vanilla with its content cache on: what a Pelican user does for fast rebuilds.
VANILLA_CACHED = """\
# Vanilla Pelican with its content cache on.
import sys

sys.path.insert(0, {folder!r})
from vanillaconf import *  # noqa: E402, F403

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
"""


def write_settings(corpus):
    """Write ourconf.py, vanillaconf.py and vanillacachedconf.py beside the corpus content;
    return their paths as a dict keyed 'ours', 'vanilla', 'vanilla_cached'."""
    folder = Path(corpus.root)
    files = {
        "ours": (
            folder / "ourconf.py",
            OURS.format(
                root=str(ROOT),
                content=str(corpus.content),
                theme=str(ROOT / "theme"),
                categories=list(CATEGORIES),
            ),
        ),
        "vanilla": (folder / "vanillaconf.py", VANILLA.format(content=str(corpus.content))),
        "vanilla_cached": (folder / "vanillacachedconf.py", VANILLA_CACHED.format(folder=str(folder))),
    }
    for path, text in files.values():
        path.write_text(text, encoding="utf-8")
    return {name: path for name, (path, _) in files.items()}


def ours_command(settings_file, output):
    """Our build, exactly as `make html` runs it."""
    return [sys.executable, "-m", "tools.build", "--settings", str(settings_file), "--output", str(output)]


def vanilla_command(settings_file, output):
    """Vanilla Pelican's own command line."""
    return [sys.executable, "-m", "pelican", "--settings", str(settings_file), "--output", str(output), "--quiet"]
