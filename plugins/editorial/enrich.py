"""Attach what post pages display, computed once all posts are read: series position,
related posts, neighbours, reading time, the guest credit and structured data."""

import hashlib
import heapq
import html
import itertools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from blogcore import cachefile
from markupsafe import Markup

from . import jsonld
from .auditcache import cache_folder

# A tag, up to the '>' that ends it: a quoted attribute value may hold a '>' of its own.
_ATTRIBUTES = r"""(?:[^"'>]|"[^"]*"|'[^']*')*"""
_TAG = re.compile(rf"<{_ATTRIBUTES}>")
# Tags inside a line of text: taken out without a space, so "read <a>part one</a>." keeps
# its full stop next to the link's words. Every other tag ends a word.
_INLINE_TAG = re.compile(
    rf"</?(?:a|abbr|b|cite|code|del|em|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|time|u)(?:\s{_ATTRIBUTES})?>",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
# Beyond this many tags a post's related posts are counted rather than intersected.
MAX_TAGS_FOR_INTERSECTIONS = 6


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
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", markup or "")))).strip()


def word_count(markup):
    """Words in an HTML fragment: len(plain_text(markup).split()), without collapsing the
    whitespace first (split() ignores runs of it: the same words, one regex pass fewer)."""
    return len(html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", markup or ""))).split())


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


def attach_text_values(article, settings):
    """The word count and reading time of a post's body."""
    # The HTML as converted: linking {filename} references only changes attribute values,
    # which are not words, and working them out here would repeat what rendering does.
    article.word_count = word_count(article._content)
    article.reading_time = reading_minutes(article.word_count, settings["EDITORIAL_WORDS_PER_MINUTE"])


def attach_jsonld(article, settings):
    """The post's structured data, made when its page is rendered."""
    article.jsonld = jsonld.Deferred(jsonld.blog_posting, article, settings)


def attach_basics(article, settings):
    """Per-post values that need no other post."""
    attach_text_values(article, settings)
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


def _sharing(tag_posts, count):
    """The posts found in at least `count` of the sets `tag_posts` (one set per tag)."""
    if count == 1:
        return set().union(*tag_posts)
    posts = set()
    for sets in itertools.combinations(tag_posts, count):
        posts |= set.intersection(*sets)
    return posts


def _levels(tag_posts):
    """(count, posts in at least `count` of the sets) from the most shared tags down.

    Set intersections run in C; counting every post of every tag one by one costs more.
    A post with very many tags has too many combinations: count those instead.
    """
    if len(tag_posts) <= MAX_TAGS_FOR_INTERSECTIONS:
        for count in range(len(tag_posts), 0, -1):
            yield count, _sharing(tag_posts, count)
        return
    shared = Counter()
    for posts in tag_posts:
        shared.update(posts)
    at_least = set()
    for count in range(max(shared.values(), default=0), 0, -1):
        at_least |= {post for post, shared_count in shared.items() if shared_count == count}
        yield count, set(at_least)


def related_inputs_key(articles, limit):
    """A digest of everything `rank_related` reads: each post's tags, category and date,
    in order, and the limit. An edit that changes none of them (a post's text, say)
    leaves every post's related posts as they were."""
    hasher = hashlib.blake2b(repr(limit).encode(), digest_size=20)
    for article in articles:
        tags = sorted(tag.slug for tag in getattr(article, "tags", []))
        hasher.update(repr((article.source_path, tags, article.category.slug, article.date.isoformat())).encode())
    return hasher.hexdigest()


def attach_related(articles, limit, cache_folder=None):
    """Attach each post's related posts (`rank_related`), reusing the previous build's
    ranking from `cache_folder` when none of its inputs changed."""
    key = ranked = None
    if cache_folder is not None:
        key = related_inputs_key(articles, limit)
        ranked = cachefile.load(cache_folder / "related.pickle", key)
    if ranked is None:
        ranked = rank_related(articles, limit)
        if cache_folder is not None:
            cachefile.save(cache_folder / "related.pickle", key, ranked)
    for article, others in zip(articles, ranked, strict=True):
        article.related_posts = [articles[other] for other in others]


def rank_related(articles, limit):
    """For each post, the positions in `articles` of up to `limit` published posts sharing
    tags or category, best first, newest on ties (RelatedRanking)."""
    ranking = RelatedRanking(articles)
    return [ranking.rank(index, limit) for index in range(len(articles))]


class RelatedRanking:
    """Ranks the related posts of any of `articles` (published posts, in the site's order).

    The ranking scores every other post 2 x shared tags + 1 for the same category, sorted
    by (score, date), highest first, ties kept in the order of `articles`. Scoring every
    pair grew with the square of the posts (minutes at 10,000 posts), so the posts sharing
    tags are found from an index of posts per tag instead: as 2 x shared tags + same
    category, the score orders posts by shared tags first, then category, so the best come
    from the posts sharing the most tags down, and a post sharing no tag only fills up
    from its category. One post can be ranked alone (the dev server's tag change).
    """

    def __init__(self, articles):
        self.tag_slugs = [{tag.slug for tag in getattr(article, "tags", [])} for article in articles]
        # Category == compares slugs; comparing the slugs directly is the same test, faster.
        self.category_slugs = [article.category.slug for article in articles]
        self.dates = [article.date for article in articles]
        self.by_tag, self.by_category = defaultdict(set), defaultdict(list)
        for index, slugs in enumerate(self.tag_slugs):
            for slug in slugs:
                self.by_tag[slug].add(index)
            self.by_category[self.category_slugs[index]].append(index)  # in `articles` order

    def rank(self, index, limit):
        """The positions of up to `limit` posts related to the post at `index`, best
        first; a negative limit slices the full ranking."""
        category_slugs, dates = self.category_slugs, self.dates
        wanted = len(self.dates) if limit < 0 else limit
        category = category_slugs[index]
        tag_posts = [self.by_tag[slug] for slug in self.tag_slugs[index]]
        ranked, placed = [], {index}  # `placed`: the post itself and those ranked higher
        for _, at_least in _levels(tag_posts):
            if len(ranked) >= wanted:
                break
            level = sorted(at_least - placed)  # exactly this many shared tags, in `articles` order
            placed |= at_least
            # nlargest is sorted(..., reverse=True)[:n]: stable, so ties stay in `articles` order.
            ranked += heapq.nlargest(
                wanted - len(ranked), level, key=lambda other: (category_slugs[other] == category, dates[other])
            )
        if len(ranked) < wanted:  # score 1: same category, no shared tag
            sharing = set().union(*tag_posts)
            level = [other for other in self.by_category[category] if other != index and other not in sharing]
            ranked += heapq.nlargest(wanted - len(ranked), level, key=dates.__getitem__)
        return ranked[: limit if limit < 0 else None]

    def sharing_tags(self, slugs):
        """The positions of the posts having any of the tags `slugs`."""
        return set().union(*(self.by_tag.get(slug, ()) for slug in slugs))


def series_parts_shown(article):
    """The posts a post's series box lists (its series' parts, itself included), or
    just the post itself when it is in no series."""
    position = article.series_position
    return position.parts if position is not None else [article]


def longest_series(articles):
    """The number of parts of the longest series among `articles` (0 when none)."""
    return max((article.series_position.total for article in articles if article.series_position), default=0)


def drop_series_parts_from_related(articles, limit):
    """Related posts never repeat the series box: the parts of the post's own series go,
    and the next best fill the list up to `limit` (the ranking was asked for `limit`
    plus the longest series' parts, enough for any post)."""
    for article in articles:
        article.related_posts = _without_series_parts(article, article.related_posts, limit)


def _without_series_parts(article, posts, limit):
    shown = {id(part) for part in series_parts_shown(article)}
    return [other for other in posts if id(other) not in shown][:limit]


def rank_related_again(published, retagged, tag_slugs, settings):
    """After the tags `tag_slugs` were given to or taken from the posts `retagged` (the dev
    server's tag change): rank again the related posts of those posts and of every post of
    `published` having one of the tags, as enrich_articles ranks them (no other post's
    scores changed); return the posts whose related posts changed."""
    limit = settings["EDITORIAL_RELATED_POSTS"]
    wanted = limit + longest_series(published)
    ranking = RelatedRanking(published)
    retagged = {id(post) for post in retagged}
    indices = ranking.sharing_tags(tag_slugs)
    indices.update(index for index, post in enumerate(published) if id(post) in retagged)
    changed = []
    for index in sorted(indices):
        article = published[index]
        related = _without_series_parts(article, [published[other] for other in ranking.rank(index, wanted)], limit)
        if [id(post) for post in related] != [id(post) for post in article.related_posts]:
            article.related_posts = related
            changed.append(article)
    return changed


def attach_neighbours(articles):
    """Chronological previous/next among published posts."""
    by_date = sorted(articles, key=lambda article: (article.date, article.slug))
    for position, article in enumerate(by_date):
        article.older = by_date[position - 1] if position > 0 else None
        article.newer = by_date[position + 1] if position + 1 < len(by_date) else None


def drop_neighbours_repeating_series_steps(articles):
    """A post page links each post once: where "Next part" (or "Previous part") already
    names the chronological next (or previous) post, the post link is dropped."""
    for article in articles:
        position = article.series_position
        if position is None:
            continue
        if article.newer is not None and article.newer is position.next:
            article.newer = None
        if article.older is not None and article.older is position.previous:
            article.older = None


def enrich_articles(published, unpublished, catalog, settings):
    """Attach every display value to posts; only published posts count for series and related."""
    for article in published + unpublished:
        attach_basics(article, settings)
    attach_series(published, catalog)
    limit = settings["EDITORIAL_RELATED_POSTS"]
    attach_related(published, limit + longest_series(published), cache_folder(settings))
    drop_series_parts_from_related(published, limit)
    attach_neighbours(published)
    drop_neighbours_repeating_series_steps(published)
    for article in published + unpublished:
        attach_jsonld(article, settings)


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


def attach_descriptions(contents):
    """The plain-text description (meta description, JSON-LD, feed summary) of each post.

    Only once every generator has read its content: reading a post's summary makes
    Pelican fill in its {static} and {filename} links, and remember the result, so before
    the pages and static files are known those links would stay unfilled for good.
    """
    for content in contents:
        content.meta_description = plain_text(content.summary)
