"""The fast build changes nothing a reader or partner sees.

Related posts from the tag index rank exactly as scoring every pair did; and a site
built with parallel workers and the content cache is byte-identical to the same site
built by Pelican alone (`python -m pelican` in a fresh process, so no receiver or
replaced function of an earlier build in this process can reach the reference).
"""

import logging
import os
import random
import shutil
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from editorial.enrich import attach_related, plain_text, word_count
from fastbuild.cache import ContentCache, Converted, fingerprint
from fastbuild.settings import FastbuildSettingsError, fastbuild_settings
from fastbuild.taxonomy import IdentityIndexedList, index_taxonomies
from fastbuild.writer import PageJob, ParallelWriter, render_in_workers
from jinja2.exceptions import UndefinedError
from pelican.urlwrappers import Category, Tag
from pelican.writers import FileOverwriteFailedError
from support import (
    ROOT,
    assert_same_folders,
    build_site,
    build_with_pelican_alone,
    cached_fast_overrides,
    minimal_files,
    post,
    write_site,
)

from tools.build import load_settings


def related_score(article, other):
    """The definition of related posts: shared tags count twice, a shared category once."""
    tags = {tag.slug for tag in getattr(article, "tags", [])}
    shared = len(tags & {tag.slug for tag in getattr(other, "tags", [])})
    return 2 * shared + (article.category == other.category)


def related_by_every_pair(articles, limit):
    """The original definition: score every other post, stable sort by (score, date)."""
    related = {}
    for article in articles:
        scored = [(related_score(article, other), other.date, other) for other in articles if other is not article]
        scored = [entry for entry in scored if entry[0] > 0]
        scored.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
        related[id(article)] = [other for _, _, other in scored[:limit]]
    return related


def random_posts(seed, count, tags, categories, most_tags=4):
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
            source_path=f"posts/{number}.md",
            category=rng.choice(category_pool),
            date=start + timedelta(days=rng.randrange(count // 3 + 1)),
        )
        if rng.random() < 0.9:  # some posts have no Tags at all
            # A tag object of its own with a shared slug, as Pelican makes one per post.
            post.tags = [Tag(tag.name, settings) for tag in rng.sample(tag_pool, rng.randint(0, most_tags))]
        posts.append(post)
    return posts


@pytest.mark.parametrize(
    ("seed", "count", "tags", "categories", "limit", "most_tags"),
    [
        (1, 60, 8, 3, 3, 4),
        (2, 200, 20, 5, 3, 4),
        (3, 150, 4, 2, 5, 4),  # few tags: many posts tie on the same count
        (4, 80, 40, 6, 3, 4),  # many tags: many posts share none and fill up from their category
        (5, 40, 6, 3, 0, 4),
        (6, 40, 6, 3, 100, 4),  # more than there are
        (7, 40, 6, 3, -2, 4),  # a negative limit slices the full ranking, as [:limit] did
        (8, 120, 14, 3, 4, 12),  # posts with more tags than are worth intersecting: counted
    ],
)
def test_related_posts_rank_exactly_as_scoring_every_pair(seed, count, tags, categories, limit, most_tags):
    posts = random_posts(seed, count, tags, categories, most_tags)
    expected = related_by_every_pair(posts, limit)
    attach_related(posts, limit)
    for article in posts:
        assert [other.title for other in article.related_posts] == [other.title for other in expected[id(article)]]


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Two  words</p>\n<p>and\tthree\xa0more&nbsp;here &amp; there</p>",
        "".join(chr(code) for code in range(0x3100)),  # every whitespace character split() knows
        "",
        None,
    ],
)
def test_word_count_is_the_plain_text_word_count(markup):
    assert word_count(markup) == len(plain_text(markup).split())


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
        # Each post links the one before; the first the second (the last posts are drafts).
        body = BODY.format(number=number, previous=number - 1 if number else 1)
        if number % 4 == 0:  # the automatic summary (50 words) ends before the first link
            body = " ".join(f"word{n}" for n in range(60)) + "\n\n" + body
        if number == 10:  # shorter than a summary: the summary is the whole post
            body = "Short and *plain*, no links at all."
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


def test_parallel_and_cached_builds_write_the_same_bytes_as_pelican_alone(tmp_path, theme_copy, caplog):
    content = write_site(tmp_path / "site", rich_files())
    build_with_pelican_alone(content, tmp_path / "plain", THEME=str(theme_copy))
    caplog.set_level(logging.DEBUG, logger="fastbuild")
    pelican = build_site(content, tmp_path / "fast", THEME=str(theme_copy), **cached_fast_overrides(tmp_path))
    assert "fastbuild" in pelican.settings["PLUGINS"]
    # The build's scope has disconnected fastbuild's writer by now: its log says it rendered.
    assert any(record.getMessage().endswith(" pages in 2 processes") for record in caplog.records)
    assert_same_folders(tmp_path / "plain", tmp_path / "fast")
    # Every post converted in the first build comes from the cache in the second, with its
    # audit results and the related posts of every post.
    assert (tmp_path / "cache" / "ArticlesGenerator.pickle").is_file()
    assert {path.name for path in (tmp_path / "editorial-cache").iterdir()} == {"audit.pickle", "related.pickle"}
    build_site(content, tmp_path / "cached", THEME=str(theme_copy), **cached_fast_overrides(tmp_path))
    assert_same_folders(tmp_path / "plain", tmp_path / "cached")
    # One process, no batch: the plugin's other half (indexed taxonomies) alone.
    build_site(content, tmp_path / "one", THEME=str(theme_copy), FASTBUILD_WORKERS=1)
    assert_same_folders(tmp_path / "plain", tmp_path / "one")


def test_rebuild_after_an_edit_matches_a_fresh_build_of_the_edited_site(tmp_path, theme_copy):
    content = write_site(tmp_path / "site", rich_files())
    build_site(content, tmp_path / "before", THEME=str(theme_copy), **cached_fast_overrides(tmp_path))
    write_site(tmp_path / "site", rich_files(edited=True))
    build_with_pelican_alone(content, tmp_path / "plain", THEME=str(theme_copy))
    build_site(content, tmp_path / "after", THEME=str(theme_copy), **cached_fast_overrides(tmp_path))
    assert_same_folders(tmp_path / "plain", tmp_path / "after")
    assert (
        b"A paragraph added by an edit." in next((tmp_path / "after").glob("*/*/post-number-7/index.html")).read_bytes()
    )


def test_the_real_site_is_the_same_built_both_ways(tmp_path, theme_copy):
    build_with_pelican_alone(ROOT / "content", tmp_path / "plain", THEME=str(theme_copy))
    build_site(ROOT / "content", tmp_path / "fast", THEME=str(theme_copy), **cached_fast_overrides(tmp_path))
    assert_same_folders(tmp_path / "plain", tmp_path / "fast")


# --- The parts: indexed lists, the cache, the writer's workers, settings ---


class Post:
    """Compares by identity, as Pelican's Content does."""


def test_indexed_list_answers_in_as_a_list_does():
    posts = [Post() for _ in range(5)]
    indexed = IdentityIndexedList(posts[:3])
    assert [post in indexed for post in posts] == [True, True, True, False, False]
    indexed.append(posts[3])
    indexed.remove(posts[0])
    indexed[0] = posts[4]
    assert [post in indexed for post in posts] == [False, False, True, True, True]
    assert indexed == [posts[4], posts[2], posts[3]] and isinstance(indexed, list)


def test_indexed_list_compares_values_that_define_equality():
    tags = IdentityIndexedList([Tag("Salary", {}), "plain"])
    assert Tag("Salary", {}) in tags  # a Tag equals another with its slug: no identity shortcut
    assert "plain" in tags and "other" not in tags


def test_taxonomy_lists_are_indexed_in_the_generator_and_the_context():
    post = Post()
    generator = SimpleNamespace(
        tags={"tag": [post]}, categories=[("category", [post])], authors=[("author", [post])], context={}
    )
    categories = generator.categories
    index_taxonomies(generator)
    assert isinstance(generator.tags["tag"], IdentityIndexedList)
    assert isinstance(generator.categories[0][1], IdentityIndexedList)
    assert generator.categories is categories  # the context shares this very list
    assert isinstance(generator.authors[0][1], IdentityIndexedList)
    assert generator.context["tags"] == [("tag", [post])]
    assert generator.context["tags"][0][1] is generator.tags["tag"]


def test_content_cache_round_trip_and_damage(tmp_path):
    cache = ContentCache(tmp_path, "Articles", key="one").load()
    cache.put("abc", Converted(html="<p>x</p>", meta={"title": ["T"]}, formatted={}))
    cache.save()
    again = ContentCache(tmp_path, "Articles", key="one").load()
    assert again.get("abc") == Converted(html="<p>x</p>", meta={"title": ["T"]}, formatted={})
    assert ContentCache(tmp_path, "Articles", key="other settings").load().get("abc") is None
    (tmp_path / "Articles.pickle").write_bytes(b"not a pickle")
    assert ContentCache(tmp_path, "Articles", key="one").load().get("abc") is None
    assert [path.name for path in tmp_path.iterdir()] == ["Articles.pickle"]  # no temporary file left


def test_a_cache_key_changes_with_the_markdown_settings():
    config = {"extensions": ["markdown.extensions.extra"], "output_format": "html5"}
    assert fingerprint(config, ["summary"]) == fingerprint(dict(config), ["summary"])
    assert fingerprint(config, ["summary"]) != fingerprint({**config, "output_format": "xhtml"}, ["summary"])
    assert fingerprint(config, ["summary"]) != fingerprint(config, ["summary", "description"])


class FakeTemplate:
    """Renders `text` from the page context, and can log, fail or kill its worker."""

    def __init__(self, action=None):
        self.action = action

    def render(self, context):
        number = context["number"]
        logging.getLogger("tests.fastbuild").warning("rendering page %d", number)
        if self.action == "fail" and number == 3:
            raise ValueError(f"page {number} cannot be rendered")
        if self.action == "die" and number == 3:
            os._exit(3)
        return f"page {number}\n"


def jobs_for(tmp_path, template, count=6):
    context = {"localsiteurl": ""}
    return [
        PageJob(template, context, context, {"number": n, "localsiteurl": ""}, str(tmp_path / f"p{n}" / "index.html"))
        for n in range(count)
    ]


def test_workers_write_every_page_and_their_log_records_reach_the_build(tmp_path, caplog):
    render_in_workers(jobs_for(tmp_path, FakeTemplate()), 2)
    assert [(tmp_path / f"p{n}" / "index.html").read_text() for n in range(6)] == [f"page {n}\n" for n in range(6)]
    assert sorted(record.getMessage() for record in caplog.records) == [f"rendering page {n}" for n in range(6)]


def test_an_error_in_a_worker_is_raised_in_the_build(tmp_path):
    with pytest.raises(ValueError, match="page 3 cannot be rendered"):
        render_in_workers(jobs_for(tmp_path, FakeTemplate("fail")), 2)


def test_a_worker_that_dies_fails_the_build(tmp_path):
    with pytest.raises(RuntimeError, match="exit code 3"):
        render_in_workers(jobs_for(tmp_path, FakeTemplate("die")), 2)


def test_a_page_written_twice_fails_as_in_pelican_and_an_override_wins(tmp_path):
    settings = {"PAGINATED_TEMPLATES": {}, "FASTBUILD_WORKERS": 2, "FASTBUILD_MIN_BATCH": 1}
    writer = ParallelWriter(str(tmp_path), settings=settings)
    writer.write_file("a/index.html", FakeTemplate(), {"localsiteurl": ""}, number=1)
    with pytest.raises(FileOverwriteFailedError):
        writer.write_file("a/index.html", FakeTemplate(), {"localsiteurl": ""}, number=2)
    writer.write_file("a/index.html", FakeTemplate(), {"localsiteurl": ""}, override_output=True, number=3)
    writer.flush()
    assert (tmp_path / "a" / "index.html").read_text() == "page 3\n"


def test_a_template_error_fails_the_build_and_keeps_the_last_output(tmp_path, theme_copy):
    theme = tmp_path / "theme"
    shutil.copytree(theme_copy, theme)
    article = theme / "templates" / "article.html"
    article.write_text(
        article.read_text().replace("{% block content %}", "{% block content %}{{ article.broken.attribute }}", 1)
    )
    content = write_site(tmp_path / "site", rich_files(12))
    output = tmp_path / "out"
    output.mkdir()
    (output / "kept.html").write_text("the last good site")
    with pytest.raises(UndefinedError):
        build_site(content, output, THEME=str(theme), **cached_fast_overrides(tmp_path))
    assert [path.name for path in output.iterdir()] == ["kept.html"]


def test_settings_mistakes_are_all_named():
    with pytest.raises(FastbuildSettingsError) as error:
        fastbuild_settings({"FASTBUILD_WORKERS": 0, "FASTBUILD_MIN_BATCH": "many", "FASTBUILD_CACHE": "yes"})
    assert str(error.value).splitlines() == [
        "Setting 'FASTBUILD_WORKERS': expected a whole number from 1, or None, got 0",
        "Setting 'FASTBUILD_MIN_BATCH': expected a whole number from 1, got 'many'",
        "Setting 'FASTBUILD_CACHE': expected True or False, got 'yes'",
    ]


def translation_sites(seed):
    """Two copies of one random list of posts and translations (Pelican sorts and mutates)."""
    rng = random.Random(seed)
    specs = [
        (
            number,
            rng.choice(["alpha", "beta", "gamma", "delta"]),
            rng.choice(["en", "en", "fr", "de"]),
            rng.choice([None, "true", "false"]),
        )
        for number in range(rng.randint(0, 14))
    ]

    def make(folder):
        return [
            SimpleNamespace(
                number=number,
                slug=slug,
                lang=lang,
                in_default_lang=lang == "en",
                metadata={} if translation is None else {"translation": translation},
                source_path=f"{folder}/{number}.md",
            )
            for number, slug, lang, translation in specs
        ]

    # Different folders: Pelican's log filter drops a warning it has already shown.
    return make(f"expected-{seed}"), make(f"ours-{seed}")


@pytest.mark.parametrize("seed", range(40))
def test_translations_are_sorted_out_as_pelican_does(seed, caplog):
    from fastbuild.translations import process_translations
    from pelican.utils import process_translations as pelican_process_translations

    def numbers(items):
        return [item.number for item in items]

    expected_site, our_site = translation_sites(seed)
    expected = pelican_process_translations(expected_site, "slug")
    expected_warnings = [record.getMessage().replace("expected-", "ours-") for record in caplog.records]
    caplog.clear()
    ours = process_translations(our_site, "slug")
    assert [numbers(part) for part in ours] == [numbers(part) for part in expected]
    assert numbers(our_site) == numbers(expected_site)  # sorted in place, the same way
    assert [numbers(item.translations) for item in our_site] == [numbers(i.translations) for i in expected_site]
    assert [record.getMessage() for record in caplog.records] == expected_warnings


@pytest.mark.parametrize(
    "text",
    ["2014-02-12", "2014-02-12 10:20", "2014-02-12T10:20:30", "1999-12-31 23:59", "2024-02-29", "2000-01-01T00:00"],
)
def test_iso_dates_read_as_pelican_reads_them(text):
    from fastbuild.reader import iso_date
    from pelican.utils import SafeDatetime, get_date

    assert iso_date(text) == get_date(text) and type(iso_date(text)) is SafeDatetime


@pytest.mark.parametrize(
    "text", ["2014-02-30", "2014-2-12", "12/02/2014", "2014-02-12 10:20+02:00", "2014-02-12  10:20"]
)
def test_other_dates_are_left_to_pelican(text):
    from fastbuild.reader import iso_date

    assert iso_date(text) is None


def test_posts_share_one_object_per_tag_category_and_author():
    from fastbuild.reader import BatchMarkdownReader
    from pelican.readers import MarkdownReader

    settings = load_settings(ROOT / "pelicanconf.py")
    ours, pelicans = BatchMarkdownReader(settings), MarkdownReader(settings)
    first = ours.process_metadata("tags", "Salary, Negotiation")
    second = ours.process_metadata("tags", "Negotiation, Offers")
    assert first[1] is second[0]  # the same Negotiation tag
    assert first == pelicans.process_metadata("tags", "Salary, Negotiation")
    assert ours.process_metadata("category", "Job Offers") is ours.process_metadata("category", "Job Offers")
    assert ours.process_metadata("date", "2014-02-12_10:20") == pelicans.process_metadata("date", "2014-02-12_10:20")
    assert ours.process_metadata("slug", "kept") == "kept"


def test_related_posts_come_from_the_cache_only_while_their_inputs_are_unchanged(tmp_path, monkeypatch):
    import editorial.enrich

    posts = random_posts(9, 80, 10, 3)
    attach_related(posts, 3, tmp_path)
    first = {post.title: [other.title for other in post.related_posts] for post in posts}
    again = random_posts(9, 80, 10, 3)
    for article in again:
        article.content = "an edited text changes no ranking"
    with monkeypatch.context() as patch:
        patch.setattr(editorial.enrich, "rank_related", lambda *args: pytest.fail("ranked again, not from the cache"))
        attach_related(again, 3, tmp_path)
    assert {post.title: [other.title for other in post.related_posts] for post in again} == first
    moved = random_posts(9, 80, 10, 3)
    moved[5].date = moved[5].date.replace(year=2030)  # now the newest: it ranks first on ties
    attach_related(moved, 3, tmp_path)
    expected = related_by_every_pair(moved, 3)
    assert [[other.title for other in post.related_posts] for post in moved] == [
        [other.title for other in expected[id(post)]] for post in moved
    ]
