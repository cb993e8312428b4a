"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written with json from the same Items
as RSS and Atom: the same ids, authors, dates and content.

Every value is a JSON string built by json.dumps, so text needs no escaping of our own;
`content_html` is the sanitised content, the one HTML field. Keys keep one order and the
document ends with a newline, so a build writes the same bytes every time.
"""

import json

VERSION = "https://jsonfeed.org/version/1.1"


def _time(value):
    return value.isoformat(timespec="seconds")


def json_item(item, html):
    """The JSON Feed item of one post (`html` is its content as this kind of feed shows it)."""
    entry = {
        "id": item.guid.value,  # the RSS guid and the Atom id
        "url": item.link,
    }
    if item.first_published_elsewhere:
        # JSON Feed's field for a page elsewhere the item stands for: the original.
        entry["external_url"] = item.canonical
    entry["title"] = item.title
    entry["content_html"] = html
    # No `summary`: JSON Feed's is plain text, but a summary may quote markup as text
    # ("<script>"), and a reader that shows it as HTML would run it; content_html is the
    # sanitised HTML, and the RSS description and Atom summary carry the summary.
    if item.enclosure is not None and item.enclosure.width:
        entry["image"] = item.enclosure.url  # the raster rendition, as in the RSS enclosure
    if item.banner:
        entry["banner_image"] = item.banner  # the 1200x630 social card
    entry["date_published"] = _time(item.published)
    if item.updated is not None:
        entry["date_modified"] = _time(item.updated)
    entry["authors"] = [{"name": author.name, "url": author.url} for author in item.authors]
    if item.categories:
        entry["tags"] = [category.name for category in item.categories]
    return entry


def render_json(feed, items, settings):
    """The JSON Feed document of `feed` (bytes); `items` are (Item, html) pairs, newest first."""
    (json_file,) = [file for file in feed.files if file.format == "json"]
    document = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": json_file.url,
        "description": feed.description,
        "language": settings["DEFAULT_LANG"],
        "items": [json_item(item, html) for item, html in items],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
