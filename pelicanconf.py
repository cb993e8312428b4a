"""Development settings for YouTern's career-advice blog.

`publishconf.py` extends these for production. Every URL here is part of the
product contract in DESIGN.md: change one only together with an alias.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Our plugins are plain packages under plugins/; the build tools live beside them.
sys.path.insert(0, str(ROOT / "plugins"))

AUTHOR = "YouTern"
SITENAME = "YouTern Career Advice"
SITE_TAGLINE = "Straight talk on internships, interviews and the first steps of a career."
SITEURL = "http://127.0.0.1:8000"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "America/Los_Angeles"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"
# English month names on every machine: the same commit builds the same bytes.
LOCALE = ["C.UTF-8", "C"]

ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
# Profiles are read by the editorial plugin, never as articles, pages or static files.
ARTICLE_EXCLUDES = ["authors", "partners", "series", "pages", "images", "extra"]
PAGE_EXCLUDES = ["authors", "partners", "series", "posts", "images", "extra"]
STATIC_EXCLUDES = ["authors", "partners", "series", "posts", "pages"]
EXTRA_PATH_METADATA = {
    "extra/favicon.svg": {"path": "favicon.svg"},
}

PLUGIN_PATHS = [str(ROOT / "plugins")]
# sitemap_xml last: it lists what the others wrote.
PLUGINS = ["editorial", "redirects", "images", "syndication", "security_headers", "sitemap_xml"]

# Pretty, WordPress-compatible URLs (DESIGN.md "URLs").
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
INDEX_SAVE_AS = "index.html"
# Drafts are never written; `make preview` (tools/build.py --preview) writes them, marked.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
# One language: no per-language duplicates to write.
ARTICLE_LANG_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
# Future-dated posts become drafts until their date.
WITH_FUTURE_DATES = False
SLUGIFY_SOURCE = "title"

DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "search", "404"]
# The search page (theme/templates/search.html); tools/build.py indexes the built site with
# Pagefind into pagefind/ (README "Search").
SEARCH_URL = "search/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None}
TEMPLATE_PAGES = {}

# Pelican's own feeds are replaced by the syndication plugin (feedgen).
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# Staff posts may embed iframes only from these hosts; guest posts may embed nothing.
EDITORIAL_IFRAME_HOSTS = ["www.youtube-nocookie.com", "player.vimeo.com"]

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
        # Every conversion's HTML goes through the allow-list sanitiser (guest posts get the
        # narrow list, staff posts iframes from EDITORIAL_IFRAME_HOSTS), within a time budget.
        # The editorial plugin refuses to build without it.
        "blogcore.markdown_guard": {"iframe_hosts": EDITORIAL_IFRAME_HOSTS, "seconds": 10},
    },
    "output_format": "html5",
}

# Every template escapes what it prints; HTML is marked safe only where it was sanitised.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True}

MENUITEMS = (
    ("Series", "series/"),
    ("Authors", "authors/"),
    ("Partners", "partners/"),
    ("Archives", "archives/"),
)

# Editorial plugin: the categories the site defines (DESIGN.md "Content model").
EDITORIAL_CATEGORIES = [
    "Job Interviews",
    "Job Offers",
    "Career Moves",
    "Internships",
    "Networking",
    "Resumes",
]
