"""Author, partner and series profiles, read from their folders under content/ into the
typed profiles of blogcore.catalog."""

import html
import re
from pathlib import Path

from blogcore.catalog import (
    SYNDICATE_ALL,
    SYNDICATE_NONE,
    AuthorProfile,
    PartnerProfile,
    ProfileLink,
    SeriesProfile,
)
from blogcore.markdown_guard import NAME as GUARD_EXTENSION
from blogcore.markdown_guard import findings_of
from blogcore.source import UnreadableSource, read_source
from markdown import Markdown
from markupsafe import Markup


def markdown_renderer(settings, who="profiles"):
    """Return a Markdown converter configured like Pelican's reader, whose sanitiser
    applies the guest list to everything (profiles are not trusted); its messages name
    the content `who`."""
    config = settings.get("MARKDOWN", {})
    extension_configs = dict(config.get("extension_configs", {}))
    guard = {**extension_configs.get(GUARD_EXTENSION, {}), "trust": "guest", "who": who}
    extension_configs[GUARD_EXTENSION] = guard
    return Markdown(
        extensions=list(extension_configs),
        extension_configs=extension_configs,
        output_format=config.get("output_format", "html5"),
    )


def render_markdown(renderer, text):
    """Render `text` with `renderer` and return it marked safe for templates: the
    renderer's sanitiser has cleaned it (what it removed: `removed_by_renderer`)."""
    renderer.reset()
    return Markup(renderer.convert(text.strip()))


def removed_by_renderer(renderer):
    """The Findings of what the sanitiser removed in the renderer's last conversion."""
    return findings_of(getattr(renderer, "Meta", {}))


_TAG = re.compile(r"<[^>]+>")
# A sentence ends at . ! or ? followed by a space and a capital letter or an opening quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")
SHORT_BIO_CHARACTERS = 160


def short_bio(bio, limit=SHORT_BIO_CHARACTERS):
    """The first sentence of a bio (HTML) as plain text, cut at a word with an ellipsis
    when longer than `limit` characters: the line a compact author box shows."""
    text = " ".join(html.unescape(_TAG.sub(" ", bio or "")).split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def parse_links(value):
    """Parse `Label https://url, Label2 https://url2` into ProfileLinks (bad entries kept raw)."""
    links = []
    for entry in value.split(","):
        entry = entry.strip()
        if not entry:
            continue
        label, _, url = entry.rpartition(" ")
        links.append(ProfileLink(label=label.strip() or url, url=url.strip()))
    return links


def parse_syndicate(value):
    """Parse a partner's `Syndicate` field: all, none, or a list of category names."""
    lowered = value.strip().casefold()
    if lowered in ("", SYNDICATE_NONE, "no"):
        return SYNDICATE_NONE
    if lowered in (SYNDICATE_ALL, "yes"):
        return SYNDICATE_ALL
    return tuple(name.strip() for name in value.split(",") if name.strip())


def profile_sources(content_path, folder):
    """Yield (path, Source or UnreadableSource) for every Markdown profile in `folder`."""
    directory = Path(content_path) / folder
    if not directory.is_dir():
        return
    for path in sorted(directory.glob("*.md")):
        try:
            yield path, read_source(path)
        except UnreadableSource as error:
            yield path, error


def build_author(source, renderer, settings):
    """Make an AuthorProfile from a profile Source."""
    author_id = source.path.stem
    bio = render_markdown(renderer, source.body)
    return AuthorProfile(
        id=author_id,
        name=source.get("name") or author_id,
        role=source.get("role"),
        affiliation_id=source.get("affiliation"),
        avatar=source.get("avatar"),
        links=parse_links(source.get("links")),
        bio=bio,
        source_path=source.path,
        page_url=settings["AUTHOR_URL"].format(slug=author_id),
        short_bio=short_bio(bio),
    )


def build_partner(source, renderer, settings):
    """Make a PartnerProfile from a profile Source."""
    partner_id = source.path.stem
    return PartnerProfile(
        id=partner_id,
        name=source.get("name") or partner_id,
        url=source.get("url"),
        rel=" ".join(source.get("rel").replace(",", " ").split()).lower() or settings["EDITORIAL_DEFAULT_REL"],
        logo=source.get("logo"),
        credit_line=source.get("credit") or settings["EDITORIAL_CREDIT_LINE"],
        syndicate=parse_syndicate(source.get("syndicate")),
        description=render_markdown(renderer, source.body),
        source_path=source.path,
        page_url=settings["EDITORIAL_PARTNER_URL"].format(slug=partner_id),
    )


def build_series(source, renderer, settings):
    """Make a SeriesProfile from a profile Source."""
    series_id = source.path.stem
    return SeriesProfile(
        id=series_id,
        name=source.get("name") or series_id,
        image=source.get("image"),
        description=render_markdown(renderer, source.body),
        source_path=source.path,
        page_url=settings["EDITORIAL_SERIES_URL"].format(slug=series_id),
    )
