"""The dev server's site in memory shows an edit of posts' bodies as a clean build would
(issue 18 item 3; plugins/fastbuild/live.py).

The site of test_incremental.py, with a photo in one post's body, is built as `make
devserver` builds it (tools.devserver.Site: a LiveSite and the caches of `make html`),
then edited step by step through Site.update, as the dev server does after each save.
Body edits (words, a link to another post, the photo shown again) must be refreshed in
memory, without a build; a body the build would refuse (a script, a link to no post)
must be refused with the report a build gives and nothing written; any other edit (a title) must
build the site again. After every step each file is compared with a clean build of the
edited site by Pelican alone, in a fresh process. Hypothesis draws the sequences
(derandomised, no example database); one fixed sequence makes every kind of edit in turn.
"""

import shutil
from pathlib import Path

import feedparser
import pytest
from blogcore.problems import ContentProblems
from blogcore.refresh import NotRefreshable
from edited_site import EDIT_SEQUENCES, FEED_ITEMS, POSTS, TAGS, Site, incremental_overrides, write_content
from hypothesis import example, given, settings
from hypothesis import strategies as st
from images_support import photo
from support import ROOT, assert_same_folders, build_site, build_with_pelican_alone, overrides_for, soup

from tools.devserver import Site as DevSite

BODY_KINDS = ("words", "link", "photo")
REFUSED_KINDS = ("script", "missing-link")
# "retag": two of the site's tags; refreshed when no tag gains or loses a page or its last
# post, else built: either way the files must be a clean build's.
KINDS = (*BODY_KINDS, *REFUSED_KINDS, "retag", "title")
PHOTO = "![A chart of offers]({static}/images/chart.jpg)"
REFUSED = {
    "script": "<script>alert(document.cookie)</script>",
    "missing-link": "[gone]({filename}/posts/no-such-post.md)",
}


class EditedSite:
    """The edited site, its dev server Site and its last clean build."""

    def __init__(self, folder, **settings):
        self.folder = folder
        self.theme = folder / "theme"
        shutil.copytree(ROOT / "theme", self.theme)
        self.content = folder / "site" / "content"
        self.site, self.settings = Site(), {"SYNDICATION_ITEM_LIMIT": FEED_ITEMS, **settings}
        for _ in range(POSTS):
            self.site.new_post()
        self.site.series = ["post-2.md", "post-5.md"]
        self.site.posts["post-1.md"]["body"] += f"\n\n{PHOTO}"
        (self.content / "images").mkdir(parents=True)
        (self.content / "images" / "chart.jpg").write_bytes(photo(gps=False))
        write_content(self.content, self.site)
        self.output = folder / "output"
        overrides = overrides_for(self.content, **incremental_overrides(folder, self.theme, self.settings))
        self.dev = DevSite(ROOT / "pelicanconf.py", self.output, overrides)
        assert self.dev.build() is None
        self.clean, self.builds = None, 0
        self.compare()

    def compare(self):
        """Compare the output with a clean build of the content by Pelican alone."""
        self.builds += 1
        clean = self.folder / f"clean-{self.builds}"
        build_with_pelican_alone(self.content, clean, THEME=str(self.theme), **self.settings)
        assert_same_folders(clean, self.output)
        if self.clean is not None:
            shutil.rmtree(self.clean)
        self.clean = clean

    def edit(self, kind, number):
        """Make edit `kind` to a post chosen by `number`; return its path."""
        names = sorted(self.site.posts)
        name = names[number % len(names)]
        fields = self.site.posts[name]
        if kind == "words":
            fields["body"] += f"\n\nA paragraph added by edit {number}, with *emphasis*."
        elif kind == "link":
            fields["body"] += f"\n\nSee also [this post]({{filename}}/posts/{names[(number + 1) % len(names)]})."
        elif kind == "photo":
            fields["body"] += f"\n\nThe chart again (edit {number}):\n\n{PHOTO}"
        elif kind in REFUSED:
            fields["body"] += f"\n\n{REFUSED[kind]}"
        elif kind == "retag":
            fields["Tags"] = f"{TAGS[number % len(TAGS)]}, {TAGS[(number + 2) % len(TAGS)]}"
        elif kind == "title":
            fields["Title"] = f"{fields['Title']} revised {number}"
        write_content(self.content, self.site)
        return self.content / "posts" / name

    def set_tags(self, name, tags):
        """Give the post `name` the tags `tags` (text, as an editor writes them); its path."""
        self.site.posts[name]["Tags"] = tags
        write_content(self.content, self.site)
        return self.content / "posts" / name

    def build_problems(self):
        """The report of a build of the content as it is now, which must fail."""
        with pytest.raises(ContentProblems) as raised:
            build_site(self.content, self.folder / "refused", THEME=str(self.theme), **self.settings)
        return raised.value.report()

    def undo(self, path, kind):
        """Take the refused addition out of the post at `path` again."""
        fields = self.site.posts[path.name]
        fields["body"] = fields["body"].replace(f"\n\n{REFUSED[kind]}", "")
        write_content(self.content, self.site)


def check_edits(folder, edits):
    """Apply `edits` through the dev server's Site, checking each outcome."""
    edited = EditedSite(folder)
    for kind, number in edits:
        live = edited.dev.live
        path = edited.edit(kind, number)
        problems = edited.dev.update([str(path)])
        if kind in REFUSED:
            assert problems == edited.build_problems()  # what `make html` would say
            assert_same_folders(edited.clean, edited.output)  # the last good site, untouched
            edited.undo(path, kind)
            problems = edited.dev.update([str(path)])
        assert problems is None
        if kind == "title":
            assert edited.dev.live is not live  # a front matter edit builds the site again
        elif kind != "retag":
            assert edited.dev.live is live  # refreshed in memory, not built
        edited.compare()


@settings(max_examples=2, **EDIT_SEQUENCES)
@given(st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 999)), min_size=1, max_size=3))
@example([(kind, 3 * number + 1) for number, kind in enumerate(KINDS)])
def test_every_refresh_is_a_clean_build(tmp_path_factory, edits):
    check_edits(tmp_path_factory.mktemp("live"), edits)


def test_a_body_edit_renders_only_the_pages_showing_the_post(tmp_path):
    # Guards the test above against passing because every page is rendered: an edit of
    # the oldest post's body renders its page and the few pages showing it, not the site.
    edited = EditedSite(tmp_path)
    path = edited.edit("words", 0)
    result = edited.dev.live.refresh([str(path)])
    pages = {str(page) for page in Path(edited.output).rglob("*.html")}
    assert path.name == "post-0.md"
    assert any("post-number-0/" in written for written in result.written)
    assert len(result.written) < len(pages) / 2
    # Of the home page's three pages only the one listing the post (a listing's other
    # pages hold it in their paginator, by identity only).
    home = [written for written in result.written if written == "index.html" or written.startswith("page/")]
    assert len(home) == 1, home


@pytest.mark.parametrize("saved", ["pelicanconf", "profile", "new post"])
def test_a_save_of_anything_but_a_post_body_is_not_refreshed(tmp_path, saved):
    edited = EditedSite(tmp_path)
    if saved == "pelicanconf":
        path = ROOT / "pelicanconf.py"
    elif saved == "profile":
        path = edited.content / "authors" / "ada-writer.md"
    else:
        path = edited.content / "posts" / "brand-new.md"
        path.write_text("Title: Brand new\n\nNot yet in the site.\n", encoding="utf-8")
    with pytest.raises(NotRefreshable):
        edited.dev.live.refresh([str(path)])


def test_a_refused_body_stays_refused_until_it_is_fixed(tmp_path):
    # The dev server remembers every save since the site on screen was made: a save of
    # another post does not hide the problem of the first, and the fix shows both edits.
    edited = EditedSite(tmp_path)
    bad = edited.edit("script", 3)
    assert bad.name in edited.dev.update([str(bad)])
    other = edited.edit("words", 4)
    assert bad.name in edited.dev.update([str(other)])
    assert_same_folders(edited.clean, edited.output)
    edited.undo(bad, "script")
    assert edited.dev.update([str(bad)]) is None
    edited.compare()


def test_an_editors_temporary_file_is_not_a_change(tmp_path):
    # sed -i and some editors write a temporary file beside the post and rename it over.
    edited = EditedSite(tmp_path)
    live = edited.dev.live
    path = edited.edit("words", 5)
    assert edited.dev.update([str(path), str(path.with_name("sedX1b2c3"))]) is None
    assert edited.dev.live is live
    edited.compare()


def test_a_body_no_longer_showing_the_only_use_of_a_photo_builds(tmp_path):
    # Found by trying: a clean build makes renditions only of images some body shows, so
    # the photo's renditions must go with its last use; only a build removes files.
    edited = EditedSite(tmp_path)
    live = edited.dev.live
    fields = edited.site.posts["post-1.md"]
    fields["body"] = fields["body"].replace(f"\n\n{PHOTO}", "")
    write_content(edited.content, edited.site)
    assert edited.dev.update([str(edited.content / "posts" / "post-1.md")]) is None
    assert edited.dev.live is not live
    edited.compare()


def _listed(output, tag_slug):
    # The post pages a tag's listing links (every page of it), and its RSS feed's links.
    pages = sorted((Path(output) / "tag" / tag_slug).rglob("index.html"))
    links = {a["href"].rstrip("/").rsplit("/", 1)[-1] for page in pages for a in soup(page).select("main h2 a")}
    feed = feedparser.parse((Path(output) / "feeds" / "tag" / f"{tag_slug}.rss.xml").read_bytes())
    return links, {entry.link.rstrip("/").rsplit("/", 1)[-1] for entry in feed.entries}


def test_a_tag_change_among_the_sites_tags_is_refreshed(tmp_path):
    # The newest post (the one an editor is writing) swaps a tag for another the site has:
    # shown without a build, its old tag's page and feed without it, the new one's with it,
    # and every file a clean build's; only the pages showing the post or a tag it was
    # given or lost are rendered.
    edited = EditedSite(tmp_path)
    live = edited.dev.live
    name = f"post-{POSTS - 1}.md"
    assert edited.site.posts[name]["Tags"] == "Networking"
    assert "post-number-23" in _listed(edited.output, "networking")[0]
    path = edited.set_tags(name, "Recruiters, Salary")
    result = live.refresh([str(path)])
    assert not result.errors
    assert edited.dev.live is live
    pages, items = _listed(edited.output, "recruiters")
    assert "post-number-23" in pages and "post-number-23" in items
    pages, items = _listed(edited.output, "networking")
    assert "post-number-23" not in pages and "post-number-23" not in items
    article = soup(next(Path(edited.output).glob("*/*/post-number-23/index.html")))
    assert [meta["content"] for meta in article.select('meta[property="article:tag"]')] == ["Recruiters", "Salary"]
    assert len(result.written) < len(list(Path(edited.output).rglob("*.html"))) / 2
    assert not any(written.startswith("tag/offers/") for written in result.written)
    edited.compare()


@pytest.mark.parametrize(
    "tags, reason",
    [
        ("Networking, Mentoring", "new to the site"),  # a tag no other post has
        ("Networking, offers", "spelt"),  # a site's tag spelt otherwise: the build warns
        ("Networking, Offers", None),  # a tag the site has, spelt its way: refreshed
    ],
)
def test_a_tag_change_the_site_does_not_have_builds(tmp_path, tags, reason):
    edited = EditedSite(tmp_path)
    live = edited.dev.live
    path = edited.set_tags(f"post-{POSTS - 1}.md", tags)
    if reason is None:
        assert not live.refresh([str(path)]).errors
    else:
        with pytest.raises(NotRefreshable, match=reason):
            live.refresh([str(path)])
        assert edited.dev.update([str(path)]) is None
    edited.compare()


def test_a_tag_losing_its_last_post_builds(tmp_path):
    edited = EditedSite(tmp_path)
    users = [name for name, fields in edited.site.posts.items() if "Salary" in fields["Tags"]]
    for name in users[1:]:
        edited.site.posts[name]["Tags"] = edited.site.posts[name]["Tags"].replace("Salary", "Offers")
    write_content(edited.content, edited.site)
    assert edited.dev.build() is None
    path = edited.set_tags(users[0], "Offers")
    with pytest.raises(NotRefreshable, match="left with no post"):
        edited.dev.live.refresh([str(path)])
    assert edited.dev.update([str(path)]) is None
    edited.compare()


def test_a_tag_gaining_and_losing_a_page_is_refreshed(tmp_path):
    # Two posts a page, and a tag with an even number of posts: given to one post more, it
    # gets a page more; taken again, its last page goes (from the folder and the sitemap).
    # Both refreshed, each as a clean build.
    edited = EditedSite(tmp_path, DEFAULT_PAGINATION=2)
    users = {tag: [name for name, fields in edited.site.posts.items() if tag in fields["Tags"]] for tag in TAGS}
    given = next(tag for tag in TAGS if users[tag] and len(users[tag]) % 2 == 0)
    name = next(name for name in sorted(edited.site.posts) if name not in users[given])
    before = edited.site.posts[name]["Tags"]

    def tag_pages():
        return len(list((Path(edited.output) / "tag" / given.lower()).rglob("index.html")))

    pages = tag_pages()
    live = edited.dev.live
    for tags, expected in ((f"{before}, {given}", pages + 1), (before, pages)):
        path = edited.set_tags(name, tags)
        assert not live.refresh([str(path)]).errors
        assert edited.dev.live is live
        assert tag_pages() == expected
        edited.compare()
