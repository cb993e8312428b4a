"""The fast build changes nothing a reader or partner sees.

Related posts from the tag index rank exactly as scoring every pair did; and a site
built with parallel workers and the content cache is byte-identical to the same site
built in one process by Pelican alone.
"""

import random
import shutil
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from editorial.enrich import attach_related, related_score
from fastbuild.writer import ParallelWriter
from pelican.urlwrappers import Category, Tag
from support import ROOT, build_site, minimal_files, post, write_site

from tools.build import load_settings


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
    for article in posts:
        assert [other.title for other in article.related_posts] == [other.title for other in expected[id(article)]]


# --- Byte identity: the same site built by Pelican alone and with the fastbuild plugin ---

BODY = """\
Intro paragraph {number} with *emphasis*, **bold**, `code` and a [link](https://example.org/{number}/).
It mentions HTML and CSS, and points to [an earlier post]({{filename}}post-{previous}.md).[^note]

## Intro

The same heading twice gets two ids.

## Intro

| Column | Weeks |
|--------|------:|
| first  | {number} |

Term
:   Its definition.

A paragraph with attributes.
{{: .note }}

<div markdown="1">Markdown *inside* HTML.</div>

```python
print("fenced code {number}")
```

1. One
2. Two

> A quote.[^second]

[^note]: A footnote in post {number}.
[^second]: Another footnote.
"""


def rich_files(count=30, edited=False):
    """A site with every Markdown feature whose state a reused converter could leak between
    posts (footnotes, abbreviations, heading ids), more posts than one listing page holds,
    guest posts, series parts, images, summaries, a draft and a future post."""
    files = minimal_files()
    del files["posts/a-post.md"]
    files["images/picture.svg"] = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>\n'
    files["pages/about.md"] = "Title: About\n\nAbout *this* site, with a [post]({filename}/posts/post-3.md).\n"
    categories = ["Job Interviews", "Job Offers", "Career Moves"]
    tags = ["Recruiters", "Interviews", "Offers", "Salary", "Feedback"]
    for number in range(count):
        fields = {
            "Date": f"2014-{number % 12 + 1:02d}-{number % 27 + 1:02d} 09:{number:02d}",
            "Category": categories[number % 3],
            "Tags": ", ".join(tags[number % 5 : number % 5 + 1 + number % 3]),
            "Id": f"00000000-0000-4000-8000-{number:012d}",
        }
        if number % 2:
            fields["Summary"] = f"A *formatted* summary of post {number} with [a link](https://example.org/)."
        if number % 5 == 1:
            fields["Partner"] = "acme-hiring"
        if number % 7 == 2:
            fields["Image"], fields["Image_alt"] = "images/picture.svg", "A picture"
        if number in (4, 9, 14):
            fields["Series"], fields["Series_index"] = "test-series", str((4, 9, 14).index(number) + 1)
        if number == count - 1:
            fields["Status"] = "draft"
        if number == count - 2:
            fields["Date"] = "2999-01-01 09:00"  # held back until then
        body = BODY.format(number=number, previous=(number - 1) % count)
        if number == 5:  # abbreviations defined here must not leak into later posts
            body += "\n*[HTML]: Hyper Text Markup Language\n*[CSS]: Cascading Style Sheets\n"
        if edited and number == 7:
            fields["Tags"] = "Salary, Negotiation"
            body += "\nA paragraph added by an edit.\n"
        files[f"posts/post-{number}.md"] = post(f"Post number {number}", body=body, **fields)
    return files


@pytest.fixture(scope="module")
def theme_copy(tmp_path_factory):
    """The repository's theme, copied: another test changing theme/ cannot touch both builds."""
    folder = tmp_path_factory.mktemp("theme") / "theme"
    shutil.copytree(ROOT / "theme", folder)
    return folder


def plain_plugins():
    """The site's plugins as pelicanconf.py lists them: a build without fastbuild."""
    return list(load_settings(ROOT / "pelicanconf.py")["PLUGINS"])


def files_of(output):
    """{relative path: bytes} of every file under `output`."""
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("*") if path.is_file()}


def assert_same_files(expected, actual):
    expected_files, actual_files = files_of(expected), files_of(actual)
    assert sorted(actual_files) == sorted(expected_files)
    different = [name for name in expected_files if expected_files[name] != actual_files[name]]
    assert different == []


def fast(tmp_path, **overrides):
    """Overrides for fastbuild: two workers from the first file or page, a cache in tmp_path."""
    return {
        "FASTBUILD_WORKERS": 2,
        "FASTBUILD_MIN_BATCH": 1,
        "FASTBUILD_CACHE": True,
        "FASTBUILD_CACHE_PATH": str(tmp_path / "cache"),
        **overrides,
    }


def test_parallel_and_cached_builds_write_the_same_bytes_as_pelican_alone(tmp_path, theme_copy):
    content = write_site(tmp_path / "site", rich_files())
    build_site(content, tmp_path / "plain", PLUGINS=plain_plugins(), THEME=str(theme_copy))
    pelican = build_site(content, tmp_path / "fast", THEME=str(theme_copy), **fast(tmp_path))
    assert "fastbuild" in pelican.settings["PLUGINS"]
    assert isinstance(pelican._get_writer(), ParallelWriter)
    assert_same_files(tmp_path / "plain", tmp_path / "fast")
    # Every post converted in the first build comes from the cache in the second.
    assert (tmp_path / "cache" / "ArticlesGenerator.pickle").is_file()
    build_site(content, tmp_path / "cached", THEME=str(theme_copy), **fast(tmp_path))
    assert_same_files(tmp_path / "plain", tmp_path / "cached")
    # One process, no batch: the plugin's other half (indexed taxonomies) alone.
    build_site(content, tmp_path / "one", THEME=str(theme_copy), FASTBUILD_WORKERS=1)
    assert_same_files(tmp_path / "plain", tmp_path / "one")


def test_rebuild_after_an_edit_matches_a_fresh_build_of_the_edited_site(tmp_path, theme_copy):
    content = write_site(tmp_path / "site", rich_files())
    build_site(content, tmp_path / "before", THEME=str(theme_copy), **fast(tmp_path))
    write_site(tmp_path / "site", rich_files(edited=True))
    build_site(content, tmp_path / "plain", PLUGINS=plain_plugins(), THEME=str(theme_copy))
    build_site(content, tmp_path / "after", THEME=str(theme_copy), **fast(tmp_path))
    assert_same_files(tmp_path / "plain", tmp_path / "after")
    assert (
        b"A paragraph added by an edit." in next((tmp_path / "after").glob("*/*/post-number-7/index.html")).read_bytes()
    )


def test_the_real_site_is_the_same_built_both_ways(tmp_path, theme_copy):
    build_site(ROOT / "content", tmp_path / "plain", PLUGINS=plain_plugins(), THEME=str(theme_copy))
    build_site(ROOT / "content", tmp_path / "fast", THEME=str(theme_copy), **fast(tmp_path))
    assert_same_files(tmp_path / "plain", tmp_path / "fast")
