"""Each post's feedgen entry, and the RSS 2.0 and Atom 1.0 documents made of entries.

Both formats take every field from the same Item, so a post has the same id, authors,
dates and content in each. Dates come from the posts and entries are appended in the
planned (newest-first) order: feedgen's defaults (the clock, prepending) never stay.
"""

from html import escape

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from . import extensions

GENERATOR_NAME = "Pelican with python-feedgen"
ATOM_NS = extensions.ATOM_NS


class ReusableEntry(FeedEntry):
    """A feed entry rendered to XML once per format, however many feeds carry the post.

    A post sits in five feeds or so (site, category, tags, authors, series), and building
    its XML is most of the time feedgen spends. lxml moves an element that is appended
    to a second tree, so the element serves each feed in turn; every feed is serialised
    before the next one is built.
    """

    def __init__(self):
        super().__init__()
        self._rss_element = None
        self._atom_element = None

    def rss_entry(self, extensions=True):
        """The RSS <item>, built on first use."""
        if self._rss_element is None:
            self._rss_element = super().rss_entry(extensions)
        return self._rss_element

    def atom_entry(self, extensions=True):
        """The Atom <entry>, built on first use."""
        if self._atom_element is None:
            self._atom_element = _with_link_attributes(super().atom_entry(extensions), self.link() or [])
        return self._atom_element


def _with_link_attributes(entry, links):
    # feedgen 1.0 writes an entry's <link> elements with their href only (it reads rel and
    # type back from the element it just made): the alternate, via and enclosure links all
    # became alternates, an error for the validator. Rewrite them from the links' data.
    # Its elements have no namespace: the Atom namespace is the feed's default (xmlns).
    written = entry.findall("link")
    for element, link in zip(written, links, strict=True):
        for name in ("rel", "type", "hreflang", "title", "length"):
            if link.get(name):
                element.set(name, str(link[name]))
    return entry


def make_entry(item, html):
    """The feedgen entry of one post (`html` is its content as this kind of feed shows it)."""
    entry = ReusableEntry()
    entry.load_extension("dc", atom=False, rss=True)
    entry.register_extension(extensions.NAME, extensions.ItemAtomEntryExtension, atom=False, rss=True)
    entry.title(item.title)
    entry.link(href=item.link, rel="alternate", type="text/html")
    if item.first_published_elsewhere:
        entry.link(href=item.canonical, rel="via", type="text/html")
        getattr(entry, extensions.NAME).via(item.canonical)
    entry.guid(item.guid.value, permalink=False)  # also the Atom id
    if item.summary:
        # RSS readers render a description as HTML, so the text is escaped once for HTML
        # (and once more, by lxml, for XML); Atom's summary is plain text.
        entry.description(escape(item.summary, quote=False))
        entry.summary(item.summary)
    entry.content(html, type="html")
    # One dc:creator naming everyone: readers show one (some the first, some the last),
    # and RSS <author> must be an e-mail address the site does not publish.
    entry.dc.dc_creator(item.byline)
    entry.author([{"name": author.name, "uri": author.url} for author in item.authors])
    entry.category([{"term": category.name, "scheme": category.domain} for category in item.categories])
    entry.published(item.published)
    entry.updated(item.updated or item.published)
    if item.updated is not None:
        getattr(entry, extensions.NAME).updated(item.updated)
    if item.enclosure is not None:
        entry.enclosure(item.enclosure.url, str(item.enclosure.length), item.enclosure.type)
        if item.enclosure.width:  # a raster rendition: its size is known
            getattr(entry, extensions.NAME).media(item.enclosure, item.thumbnail, item.image_credit)
    return entry


def _generator(feed, settings, entries, atom):
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    generator.register_extension(
        extensions.NAME,
        extensions.ItemAtomExtension,
        extensions.ItemAtomEntryExtension,
        atom=False,
        rss=True,
    )
    generator.title(feed.title)
    generator.description(feed.description)  # Atom's subtitle
    generator.language(settings["DEFAULT_LANG"])
    generator.generator(GENERATOR_NAME)
    if atom:
        (atom_file,) = [file for file in feed.files if file.format == "atom"]
        generator.link(href=atom_file.url, rel="self", type=atom_file.type)
        generator.link(href=feed.page_url, rel="alternate", type="text/html")
    else:
        # feedgen takes the channel's <link> from the last link added: the page, after self.
        generator.link(href=feed.url, rel="self", type="application/rss+xml")
        generator.link(href=feed.page_url, rel="alternate")
    for entry in entries:
        generator.add_entry(entry, order="append")  # feedgen prepends by default
    return generator


def render_rss(feed, entries, settings, last_build_date):
    """The RSS 2.0 document of `feed` (bytes) with `entries`, newest first."""
    generator = _generator(feed, settings, entries, atom=False)
    generator.lastBuildDate(last_build_date)
    return generator.rss_str(pretty=True)


def render_atom(feed, entries, settings, updated, feed_id):
    """The Atom 1.0 document of `feed` (bytes) with `entries`, newest first; `feed_id` is
    its permanent id (guid.feed_id)."""
    generator = _generator(feed, settings, entries, atom=True)
    generator.id(feed_id)
    generator.updated(updated)
    return generator.atom_str(pretty=True)
