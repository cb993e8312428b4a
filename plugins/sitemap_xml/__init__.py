"""sitemap.xml and robots.txt, byte-identical for the same content.

Why not the official pelican-sitemap plugin: it stamps listing pages with the wall
clock (`datetime.now()`) as lastmod, so two builds of one commit differ, and it keeps
its queue in a module-level object. This one keeps its queue in the build's context,
gives lastmod only where the content knows it, and never lists drafts or the 404 page.
"""

import os
from xml.sax.saxutils import escape

from blogcore import refresh
from blogcore.output import replace_bytes, write_text
from blogcore.refresh import generator_of
from pelican import signals
from pelican.generators import Generator

QUEUE_KEY = "SITEMAP_WRITTEN_PAGES"
EXCLUDED_FILES = ("404.html",)
SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"


def _lastmod(content):
    date = getattr(content, "modified", None) or getattr(content, "date", None)
    return date.isoformat() if date else None


class SitemapGenerator(Generator):
    """Writes sitemap.xml from every HTML page written before it, and robots.txt."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.context[QUEUE_KEY] = {}

    def planned_outputs(self):
        """(path, what) of the files generate_output writes, for the build's check that no
        two writers share a path."""
        return [(SITEMAP_FILE, f"the sitemap /{SITEMAP_FILE}"), (ROBOTS_FILE, f"the site's /{ROBOTS_FILE}")]

    def sitemap_text(self):
        """sitemap.xml of every page recorded."""
        site_url = self.settings["SITEURL"].rstrip("/")
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        for url, lastmod in sorted(self.context[QUEUE_KEY].items()):
            entry = f"<url><loc>{escape(site_url + '/' + url)}</loc>"
            if lastmod:
                entry += f"<lastmod>{lastmod}</lastmod>"
            lines.append(entry + "</url>")
        lines.append("</urlset>")
        return "\n".join(lines) + "\n"

    def generate_output(self, writer):
        """Write sitemap.xml and robots.txt into the output folder."""
        site_url = self.settings["SITEURL"].rstrip("/")
        write_text(self.output_path, SITEMAP_FILE, self.sitemap_text())
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {site_url}/{SITEMAP_FILE}\n"
        write_text(self.output_path, ROBOTS_FILE, robots)

    def pages_moved(self, added, removed, output_path):
        """The listing pages a dev server refresh added or removed (blogcore.refresh):
        listed or no longer, and sitemap.xml written again into `output_path`."""
        written = self.context[QUEUE_KEY]
        for relative in removed:
            written.pop(_url_of(relative), None)
        for relative in added:
            if relative.endswith(".html") and relative not in EXCLUDED_FILES:
                written[_url_of(relative)] = None  # a listing: no content gives it a date
        replace_bytes(output_path, SITEMAP_FILE, self.sitemap_text().encode("utf-8"))


def _url_of(relative):
    return relative.replace(os.sep, "/").removesuffix("index.html")


def record_page(path, context):
    """Remember each published HTML page Pelican writes (drafts and the 404 page excluded)."""
    written = context.get(QUEUE_KEY)
    if written is None or not path.endswith(".html"):
        return
    content = context.get("article") or context.get("page")
    if content is not None and getattr(content, "status", "published") != "published":
        return
    # Pages are written inside OUTPUT_PATH: cutting the prefix off is relpath, cheaper.
    relative = os.path.abspath(path)[len(os.path.abspath(context["OUTPUT_PATH"])) + 1 :].replace(os.sep, "/")
    if relative in EXCLUDED_FILES:
        return
    written[_url_of(relative)] = _lastmod(content) if content is not None else None


def sitemap_generator(pelican):
    """Add the sitemap generator (it runs after every page-writing generator)."""
    return SitemapGenerator


def pages_moved(live_site, added, removed, generators, output_path):
    """blogcore.refresh.pages_moved: the sitemap of the dev server's refreshed site."""
    sitemap = generator_of(generators, SitemapGenerator)
    if sitemap is not None:
        sitemap.pages_moved(added, removed, output_path)


def register():
    """Connect the plugin's receivers."""
    signals.get_generators.connect(sitemap_generator)
    signals.content_written.connect(record_page)
    refresh.pages_moved.connect(pages_moved)
