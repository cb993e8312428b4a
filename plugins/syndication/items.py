"""What a feed says about one post, computed once per post and shared by every feed and
every format (RSS, Atom, JSON Feed).

Parsing and sanitising a post's HTML is the expensive part of writing feeds, so an
`Item` is built at most once per post and build, and only for posts some feed carries.
Every field is text except `html`, the sanitised content: each format escapes the text
fields its own way when it writes them.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from blogcore.urls import absolute_url
from markupsafe import Markup

from .guid import post_guid
from .html import feed_html

# Fixed, not the mimetypes module: that one reads the machine's /etc/mime.types, and two
# machines must write byte-identical feeds.
IMAGE_TYPES = MappingProxyType(
    {
        ".avif": "image/avif",
        ".gif": "image/gif",
        ".jpeg": "image/jpeg",
        ".jpg": "image/jpeg",
        ".png": "image/png",
        ".svg": "image/svg+xml",
        ".webp": "image/webp",
    }
)
FALLBACK_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class Enclosure:
    """The featured image as the file importers may fetch: the RSS enclosure and the Atom
    `link rel="enclosure"`, both written from this one value.

    It is the largest JPEG (or PNG) rendition the images plugin made of a photo, which
    WordPress and other importers sideload (raster_enclosure), or, for an SVG, the file the
    post names (image_enclosure). `media:content` and JSON Feed's `image` are written from
    it too; width and height are known for a rendition only."""

    url: str
    length: int
    type: str
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class Category:
    """A `<category>`: the name, and the URL of its page as the domain."""

    name: str
    domain: str


@dataclass(frozen=True)
class Author:
    """One author of a post: the name (text) and the absolute URL of their page."""

    name: str
    url: str


@dataclass(frozen=True)
class Item:
    """Everything an item of one post carries, in any feed format."""

    title: str  # text
    link: str
    guid: object  # guid.Guid: the item's id in every format
    summary: str  # text, a whole sentence or more: RSS-to-email tools send it alone
    html: str
    removed: tuple  # what the sanitiser took out, for the build log
    authors: tuple  # Author, in the post's order; never empty
    categories: tuple  # the category, then the tags; one per distinct name
    published: object
    updated: object  # None unless the post changed after publication
    enclosure: Enclosure | None
    canonical: str  # where the post was first published: Canonical, else its link
    thumbnail: Enclosure | None = None  # the smallest rendition: media:thumbnail
    image_credit: str = ""  # text: media:credit
    banner: str = ""  # the social card's URL: JSON Feed's banner_image

    @property
    def byline(self):
        """Every author's name in one value ("Maya Okafor and Will Thomson"), for the formats
        and readers that show a single author field."""
        return names_in_words([author.name for author in self.authors])

    @property
    def first_published_elsewhere(self):
        """True when the post's original is another site's page (a `Canonical:` header)."""
        return self.canonical != self.link


def image_type(path):
    """The MIME type of an image file, from its extension."""
    return IMAGE_TYPES.get(Path(path).suffix.lower(), FALLBACK_TYPE)


def image_enclosure(image, site_url, content_path):
    """The enclosure of a featured image, or None when its size cannot be known.

    The length is the size of the file under content/, which Pelican copies byte for byte.
    A remote image (an https URL) has no enclosure: its size would need a download.
    """
    if image is None or urlsplit(image.path).scheme:
        return None
    source = Path(content_path) / image.path
    try:
        length = source.stat().st_size
    except OSError:
        return None
    return Enclosure(url=absolute_url(site_url, image.path), length=length, type=image_type(image.path))


def raster_enclosure(rendition, site_url):
    """The Enclosure of a rendition (blogcore.images.Rendition): its real size in bytes."""
    if rendition is None:
        return None
    return Enclosure(
        absolute_url(site_url, rendition.path), rendition.length, rendition.type, rendition.width, rendition.height
    )


def featured_enclosure(article, site_url, content_path):
    """The enclosure of a post's featured image: its raster rendition when there is one."""
    raster = getattr(article, "feed_image", None)
    if raster is not None:
        return raster_enclosure(raster, site_url)
    return image_enclosure(getattr(article, "image", None), site_url, content_path)


def figure_html(image, site_url, raster=None):
    """The featured image and its credit, as the post page shows them above the body."""
    if image is None:
        return Markup("")
    caption = Markup("")
    if image.credit:
        credit = (
            Markup('<a href="{}" rel="nofollow">{}</a>').format(image.credit_url, image.credit)
            if image.credit_url
            else Markup.escape(image.credit)
        )
        caption = Markup("<figcaption>Image courtesy of {}.</figcaption>").format(credit)
    if raster is not None:  # the rendition importers fetch, with its size: no layout shift
        return Markup('<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>').format(
            absolute_url(site_url, raster.path), raster.width, raster.height, image.alt, caption
        )
    return Markup('<figure><img src="{}" alt="{}">{}</figure>').format(
        absolute_url(site_url, image.path), image.alt, caption
    )


def item_html(article, site_url):
    """The post as a feed shows it: featured image, body, then the guest credit."""
    image, raster = getattr(article, "image", None), getattr(article, "feed_image", None)
    parts = [figure_html(image, site_url, raster), Markup(article.content)]
    credit = getattr(article, "credit", None)
    if credit:
        parts.append(Markup('<p class="guest-credit">{}</p>').format(credit))
    return Markup("\n").join(parts)


def categories(article):
    """The post's category, then its tags, each distinct name once: a tag named like the
    category would otherwise show twice ("Internships|Internships") in every reader."""
    entries = []
    category = getattr(article, "category", None)
    if category is not None:
        entries.append((category.name, category.url))
    entries.extend((tag.name, tag.url) for tag in getattr(article, "tags", None) or [])
    seen, distinct = set(), []
    for name, url in entries:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            distinct.append((name, url))
    return distinct


def names_in_words(names, text=str):
    """'A', 'A and B', 'A, B and C': every name in one English phrase. `text` is str, or
    Markup for names that are HTML already (its join escapes anything that is not)."""
    names = list(names)
    if len(names) < 2:
        return text("").join(names)
    return text(", ").join(names[:-1]) + text(" and ") + names[-1]


def post_authors(article, site_url, fallback):
    """The post's authors with their pages; `fallback` (an Author, the site) when it names
    none, since Atom and JSON Feed readers need someone to show."""
    authors = tuple(
        Author(getattr(author, "profile", author).name, absolute_url(site_url, author.url))
        for author in getattr(article, "authors", None) or []
    )
    return authors or (fallback,)


# The end of a sentence inside a summary: . ! or ? (maybe closing a quote or bracket), then a space.
_SENTENCE_END = re.compile(r"""[.!?]["'\u201d\u2019)\]]?(?=\s)""")


def standalone_summary(article, suffix):
    """The post's summary as text that reads on its own, in a reader's list or an email.

    An editor's `Summary:` is used as written. Pelican's automatic summary is the body's
    first words cut mid-sentence and ended with `suffix` ("…"); it is cut back to its last
    whole sentence, when it holds one.
    """
    text = getattr(article, "meta_description", "") or Markup(article.summary).striptags()
    if "summary" in article.metadata or not suffix or not text.endswith(suffix):
        return text
    ends = list(_SENTENCE_END.finditer(text))
    return text[: ends[-1].end()] if ends else text


def plain_datetime(value):
    """`value` as a plain datetime: Pelican's SafeDatetime formats dates many times slower."""
    return datetime.combine(value.date(), value.timetz())


def updated_time(article):
    """The update time when the post changed after publication, else None."""
    modified = getattr(article, "modified", None)
    return plain_datetime(modified) if modified is not None and modified != article.date else None


def build_item(article, site_url, content_path, guid_namespace, site_name="", summary_suffix="…"):
    """Make the Item of a published `article` (`site_name` stands in for missing authors;
    `summary_suffix` is Pelican's SUMMARY_END_SUFFIX)."""
    link = absolute_url(site_url, article.url)
    cleaned = feed_html(item_html(article, site_url), link)
    return Item(
        # The title is text: written as it is, and escaped once, by feedgen, for XML.
        title=article.title,
        link=link,
        guid=post_guid(article.metadata.get("id"), article.relative_source_path, guid_namespace),
        summary=standalone_summary(article, summary_suffix),
        html=cleaned.html,
        removed=cleaned.removed,
        authors=post_authors(article, site_url, Author(site_name, absolute_url(site_url, ""))),
        categories=tuple(Category(name, absolute_url(site_url, url)) for name, url in categories(article)),
        published=plain_datetime(article.date),
        updated=updated_time(article),
        enclosure=featured_enclosure(article, site_url, content_path),
        canonical=getattr(article, "canonical", None) or link,
        thumbnail=raster_enclosure(getattr(article, "feed_thumbnail", None), site_url),
        image_credit=image.credit if (image := getattr(article, "image", None)) is not None else "",
        banner=absolute_url(site_url, card.path) if (card := getattr(article, "social_card", None)) else "",
    )


def byline_html(item):
    """'By <a>Maya Okafor</a> and <a>Will Thomson</a>', each name linked to its page."""
    links = [Markup('<a href="{}">{}</a>').format(author.url, author.name) for author in item.authors]
    return Markup('<p class="syndication-byline">By {}</p>').format(names_in_words(links, Markup))


def syndication_footer(item, site_name):
    """What partners must keep: every author's name (beside the guest credit that ends the
    post), and where the post was first published on our site.

    A post first published elsewhere (a `Canonical:` header) names that original too.
    """
    footer = byline_html(item)
    footer += Markup('\n<p class="syndication-source">Originally published on {}: <a href="{}">{}</a></p>').format(
        site_name, item.link, item.link
    )
    if item.first_published_elsewhere:
        footer += Markup('\n<p class="syndication-canonical">First published at <a href="{}">{}</a></p>').format(
            item.canonical, item.canonical
        )
    return str(footer)
