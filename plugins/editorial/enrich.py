"""Attach what post pages display, computed once all posts are read: series position,
related posts, neighbours, reading time, the guest credit and structured data."""

import html
import math
import re
from dataclasses import dataclass

from markupsafe import Markup

from . import jsonld

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass
class SeriesPosition:
    """Where a published post sits in its series (drafts are not counted)."""

    series: object
    number: int
    total: int
    parts: list
    previous: object
    next: object


def plain_text(markup):
    """Text of an HTML fragment, whitespace collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", markup or ""))).strip()


def credit_line(partner, settings):
    """The guest credit with the partner's name linked under its rel policy."""
    if partner is None:
        return None
    link = Markup('<a href="{}" rel="{}">{}</a>').format(partner.url, partner.rel, partner.name)
    before, _, after = partner.credit_line.partition("{partner}")
    site = settings["EDITORIAL_SITE_NAME"]
    return Markup("{}{}{}").format(before.replace("{site}", site), link, after.replace("{site}", site))


def reading_minutes(word_count, words_per_minute):
    """Whole minutes to read `word_count` words, at least one."""
    return max(1, math.ceil(word_count / words_per_minute))


def attach_basics(article, settings):
    """Per-post values that need no other post."""
    article.word_count = len(plain_text(article.content).split())
    article.reading_time = reading_minutes(article.word_count, settings["EDITORIAL_WORDS_PER_MINUTE"])
    article.meta_description = plain_text(article.summary)
    article.credit = credit_line(getattr(article, "partner", None), settings)
    article.partner = getattr(article, "partner", None)
    article.image = getattr(article, "image", None)
    article.series = getattr(article, "series", None)
    article.series_position = None
    article.related_posts = []
    article.newer = article.older = None


def attach_series(articles, catalog):
    """Number each series' published parts 1..M by Series_index; drafts stay out."""
    for series in catalog.series.values():
        parts = sorted(
            (article for article in articles if article.series is series),
            key=lambda article: (article.series_index, article.date),
        )
        series.parts = parts
        for number, article in enumerate(parts, start=1):
            article.series_position = SeriesPosition(
                series=series,
                number=number,
                total=len(parts),
                parts=parts,
                previous=parts[number - 2] if number > 1 else None,
                next=parts[number] if number < len(parts) else None,
            )


def related_score(article, other):
    """Shared tags count twice, a shared category once."""
    tags = {tag.slug for tag in getattr(article, "tags", [])}
    shared = len(tags & {tag.slug for tag in getattr(other, "tags", [])})
    return 2 * shared + (article.category == other.category)


def attach_related(articles, limit):
    """Up to `limit` published posts sharing tags or category, best first, newest on ties."""
    for article in articles:
        scored = [(related_score(article, other), other.date, other) for other in articles if other is not article]
        scored = [entry for entry in scored if entry[0] > 0]
        scored.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
        article.related_posts = [other for _, _, other in scored[:limit]]


def attach_neighbours(articles):
    """Chronological previous/next among published posts."""
    by_date = sorted(articles, key=lambda article: (article.date, article.slug))
    for position, article in enumerate(by_date):
        article.older = by_date[position - 1] if position > 0 else None
        article.newer = by_date[position + 1] if position + 1 < len(by_date) else None


def enrich_articles(published, unpublished, catalog, settings):
    """Attach every display value to posts; only published posts count for series and related."""
    for article in published + unpublished:
        attach_basics(article, settings)
    attach_series(published, catalog)
    attach_related(published, settings["EDITORIAL_RELATED_POSTS"])
    attach_neighbours(published)
    for article in published + unpublished:
        article.jsonld = jsonld.blog_posting(article, settings)


def author_posts(catalog, published):
    """Map each author id to their published posts, newest first."""
    posts = {author_id: [] for author_id in catalog.authors}
    for article in published:
        for author in article.authors:
            posts[author.profile.id].append(article)
    return posts


def partner_posts(catalog, published):
    """Map each partner id to the published guest posts credited to them, newest first."""
    posts = {partner_id: [] for partner_id in catalog.partners}
    for article in published:
        if article.partner is not None:
            posts[article.partner.id].append(article)
    return posts
