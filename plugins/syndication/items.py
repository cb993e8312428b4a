"""What a feed says about one post, computed once per post and shared by every feed.

Parsing and sanitising a post's HTML is the expensive part of writing feeds, so an
`Item` is built at most once per post and build, and only for posts some feed carries.
"""

from dataclasses import dataclass
from datetime import datetime
from html import escape
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
    """The featured image as an RSS enclosure."""

    url: str
    length: int
    type: str


@dataclass(frozen=True)
class Category:
    """A `<category>`: the name, and the URL of its page as the domain."""

    name: str
    domain: str


@dataclass(frozen=True)
class Item:
    """Everything an RSS item of one post carries."""

    title: str
    link: str
    guid: object  # guid.Guid
    summary: str  # HTML (escaped text): readers render an RSS description as HTML
    html: str
    removed: tuple  # what the sanitiser took out, for the build log
    creators: tuple
    categories: tuple
    published: object
    updated: object  # None unless the post changed after publication
    enclosure: Enclosure | None
    canonical: str


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


def figure_html(image, site_url):
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
    return Markup('<figure><img src="{}" alt="{}">{}</figure>').format(
        absolute_url(site_url, image.path), image.alt, caption
    )


def item_html(article, site_url):
    """The post as a feed shows it: featured image, body, then the guest credit."""
    parts = [figure_html(getattr(article, "image", None), site_url), Markup(article.content)]
    credit = getattr(article, "credit", None)
    if credit:
        parts.append(Markup('<p class="guest-credit">{}</p>').format(credit))
    return Markup("\n").join(parts)


def categories(article):
    """The post's category, then its tags."""
    entries = []
    category = getattr(article, "category", None)
    if category is not None:
        entries.append((category.name, category.url))
    entries.extend((tag.name, tag.url) for tag in getattr(article, "tags", None) or [])
    return entries


def plain_datetime(value):
    """`value` as a plain datetime: Pelican's SafeDatetime formats dates many times slower."""
    return datetime.combine(value.date(), value.timetz())


def updated_time(article):
    """The update time when the post changed after publication, else None."""
    modified = getattr(article, "modified", None)
    return plain_datetime(modified) if modified is not None and modified != article.date else None


def build_item(article, site_url, content_path, guid_namespace):
    """Make the Item of a published `article`."""
    link = absolute_url(site_url, article.url)
    cleaned = feed_html(item_html(article, site_url), link)
    return Item(
        # The title is text: written as it is, and escaped once, by feedgen, for XML.
        title=article.title,
        link=link,
        guid=post_guid(article.metadata.get("id"), article.relative_source_path, guid_namespace),
        summary=escape(getattr(article, "meta_description", "") or Markup(article.summary).striptags(), quote=False),
        html=cleaned.html,
        removed=cleaned.removed,
        creators=tuple(getattr(author, "profile", author).name for author in article.authors),
        categories=tuple(Category(name, absolute_url(site_url, url)) for name, url in categories(article)),
        published=plain_datetime(article.date),
        updated=updated_time(article),
        enclosure=image_enclosure(getattr(article, "image", None), site_url, content_path),
        canonical=getattr(article, "canonical", None) or link,
    )


def syndication_footer(item, site_name):
    """The attribution partners must keep: where the post was first published on our site.

    A post first published elsewhere (a `Canonical:` header) names that original too.
    """
    footer = Markup('<p class="syndication-source">Originally published on {}: <a href="{}">{}</a></p>').format(
        site_name, item.link, item.link
    )
    if item.canonical != item.link:
        footer += Markup('\n<p class="syndication-canonical">First published at <a href="{}">{}</a></p>').format(
            item.canonical, item.canonical
        )
    return str(footer)
