"""One writer per output path (issue 12, items 3 and 8): no post, page, alias or static file
may write where something else of the site writes, every clash is reported before anything
is written, and no path the site writes has a name too long for a disk or a slug that is
empty (plugins/blogcore/outputs.py, plugins/editorial/outputs.py, plugins/editorial/rules.py).
"""

import pytest
from blogcore.problems import ContentProblems
from support import ROOT, build_site, minimal_files, post, write_site

from tools.build import check

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n'
ALL_POSTS_FEED = "the feed 'YouTern Career Advice: all posts'"


def build_problems(tmp_path, files, **overrides):
    """The problem lines a build of `files` raises (it must fail); nothing may be written."""
    output = tmp_path / "output"
    with pytest.raises(ContentProblems) as raised:
        build_site(write_site(tmp_path, files), output, **overrides)
    assert not output.exists()
    return [str(problem) for problem in raised.value.problems]


def with_post(**fields):
    """The minimal site plus content/posts/b.md, a second post with `fields`."""
    files = minimal_files()
    files["posts/b.md"] = post("B Post", **fields)
    return files


def files_of(folder):
    return {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


# --- Save_as onto something the site writes itself ----------------------------------------


@pytest.mark.parametrize(
    ("save_as", "writer"),
    [
        ("index.html", "the site's home page"),
        ("Index.html", "the site's home page"),  # one file on macOS and Windows disks
        ("archives/index.html", "the site's page /archives/"),
        ("404.html", "the site's page /404.html"),
        ("tags/index.html", "the site's page /tags/"),
        ("tag/recruiters/index.html", "the site's page /tag/recruiters/"),
        ("category/job-interviews/index.html", "the site's page /category/job-interviews/"),
        ("author/ada-writer/index.html", "the site's page /author/ada-writer/"),
        ("partners/index.html", "the site's page /partners/"),
        ("partner/acme-hiring/index.html", "the site's page /partner/acme-hiring/"),
        ("series/test-series/index.html", "the site's page /series/test-series/"),
        ("syndication/index.html", "the site's page /syndication/"),
    ],
)
def test_save_as_onto_a_page_the_site_writes_is_an_error(tmp_path, save_as, writer):
    problems = build_problems(tmp_path, with_post(Save_as=save_as))
    assert problems == [
        f"content/posts/b.md:6: Save_as: writes {save_as}, which {writer} writes; delete Save_as or choose another path"
    ]


@pytest.mark.parametrize(
    ("save_as", "writer"),
    [
        ("page/2/index.html", "the site's page /page/2/"),
        ("tag/recruiters/page/2/index.html", "the site's page /tag/recruiters/page/2/"),
    ],
)
def test_save_as_onto_a_pagination_page_is_an_error(tmp_path, save_as, writer):
    # One post a page: the two posts give listings a second page.
    problems = build_problems(tmp_path, with_post(Save_as=save_as), DEFAULT_PAGINATION=1)
    assert problems == [
        f"content/posts/b.md:6: Save_as: writes {save_as}, which {writer} writes; delete Save_as or choose another path"
    ]


def test_save_as_through_a_feed_is_an_error(tmp_path):
    problems = build_problems(tmp_path, with_post(Save_as="feeds/all.rss.xml/index.html"))
    assert problems == [
        "content/posts/b.md:6: Save_as: writes feeds/all.rss.xml/index.html, inside feeds/all.rss.xml, "
        f"which {ALL_POSTS_FEED} writes; delete Save_as or choose another path"
    ]


@pytest.mark.parametrize(
    "save_as",
    [
        "feeds/all.rss.xml",
        "sitemap.xml",
        "robots.txt",
        "_headers",
        "security-headers.nginx.conf",
        "_redirects",
        "favicon.svg",
        "theme/css/site.css",
    ],
)
def test_save_as_that_is_not_a_web_page_is_an_error(tmp_path, save_as):
    problems = build_problems(tmp_path, with_post(Save_as=save_as))
    assert problems == [
        f"content/posts/b.md:6: Save_as: '{save_as}' does not end in .html; "
        "write a web page's path, e.g. 'guides/offers.html'"
    ]


@pytest.mark.parametrize(
    ("save_as", "what"),
    [
        (".htaccess", "a hidden file"),
        (".htaccess.html", "a hidden file"),
        (".well-known/security.html", "in the hidden folder '.well-known'"),
    ],
)
def test_save_as_that_is_a_hidden_file_is_an_error(tmp_path, save_as, what):
    problems = build_problems(tmp_path, with_post(Save_as=save_as))
    assert problems == [
        f"content/posts/b.md:6: Save_as: '{save_as}' is {what}, which hosts read as settings; "
        "save the page as name.html"
    ]


def test_save_as_through_a_static_file_is_an_error(tmp_path):
    files = with_post(Save_as="favicon.svg/index.html")
    files["extra/favicon.svg"] = SVG  # published as /favicon.svg (EXTRA_PATH_METADATA)
    problems = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/b.md:6: Save_as: writes favicon.svg/index.html, inside favicon.svg, which the file "
        "content/extra/favicon.svg writes; delete Save_as or choose another path"
    ]


def test_save_as_through_an_image_is_an_error(tmp_path):
    files = with_post(Save_as="images/pic.svg/index.html")
    files["images/pic.svg"] = SVG
    problems = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/b.md:6: Save_as: writes images/pic.svg/index.html, inside images/pic.svg, which the file "
        "content/images/pic.svg writes; delete Save_as or choose another path"
    ]


def test_a_static_file_placed_on_a_page_the_site_writes_is_an_error(tmp_path):
    files = minimal_files()
    files["extra/favicon.svg"] = SVG
    placed = {"extra/favicon.svg": {"path": "archives/index.html"}}
    problems = build_problems(tmp_path, files, EXTRA_PATH_METADATA=placed)
    assert problems == [
        "content/extra/favicon.svg: file: is copied to archives/index.html, which the site's page /archives/ "
        "writes; rename or move the file, or change its path in EXTRA_PATH_METADATA"
    ]


def test_a_page_with_save_as_onto_the_home_page_is_an_error(tmp_path):
    files = minimal_files()
    files["pages/about.md"] = "Title: About\nSave_as: index.html\n\nWho we are.\n"
    problems = build_problems(tmp_path, files)
    assert problems == [
        "content/pages/about.md:2: Save_as: writes index.html, which the site's home page writes; "
        "delete Save_as or choose another path"
    ]


# --- Two posts, one file -------------------------------------------------------------------


def test_save_as_onto_another_posts_path_is_an_error(tmp_path):
    problems = build_problems(tmp_path, with_post(Save_as="2014/03/a-post/index.html"))
    assert problems == [
        "content/posts/b.md:6: Save_as: writes 2014/03/a-post/index.html, which content/posts/a-post.md writes; "
        "delete Save_as or choose another path"
    ]


def test_the_post_that_chose_the_path_is_blamed_whatever_the_file_order(tmp_path):
    files = minimal_files()
    files["posts/0-first.md"] = post("First", Save_as="2014/03/a-post/index.html")
    problems = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/0-first.md:6: Save_as: writes 2014/03/a-post/index.html, which content/posts/a-post.md "
        "writes; delete Save_as or choose another path"
    ]


def test_two_posts_with_different_slugs_saved_as_one_file_is_an_error(tmp_path):
    files = with_post(Save_as="guides/offers.html")
    files["posts/c.md"] = post("C Post", Save_as="guides/offers.html")
    problems = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/c.md:6: Save_as: writes guides/offers.html, which content/posts/b.md writes; "
        "delete Save_as or choose another path"
    ]


def test_a_post_saved_where_another_post_needs_a_folder_is_an_error(tmp_path):
    # b.md needs 2014/03/a-post.html as a folder; c.md would write it as a file.
    files = with_post(Save_as="2014/03/a-post.html/x.html")
    files["posts/c.md"] = post("C Post", Save_as="2014/03/a-post.html")
    problems = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/c.md:6: Save_as: writes 2014/03/a-post.html, the folder of 2014/03/a-post.html/x.html, "
        "which content/posts/b.md writes; delete Save_as or choose another path"
    ]


def test_every_clash_is_reported_in_one_run(tmp_path):
    files = with_post(Save_as="index.html")
    files["posts/c.md"] = post("C Post", Save_as="archives/index.html")
    problems = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/b.md:6: Save_as: writes index.html, which the site's home page writes; "
        "delete Save_as or choose another path",
        "content/posts/c.md:6: Save_as: writes archives/index.html, which the site's page /archives/ writes; "
        "delete Save_as or choose another path",
    ]


def test_a_save_as_of_its_own_is_written_there(tmp_path):
    output = tmp_path / "output"
    build_site(write_site(tmp_path, with_post(Save_as="guides/offers.html")), output)
    assert "B Post" in (output / "guides/offers.html").read_text(encoding="utf-8")
    assert not (output / "2014/03/b-post").exists()


# --- The last good site stays -------------------------------------------------------------


def test_a_clash_leaves_the_previous_output_untouched(tmp_path):
    content = write_site(tmp_path, minimal_files())
    output = tmp_path / "output"
    build_site(content, output)
    before = files_of(output)
    (content / "posts/b.md").write_text(post("B Post", Save_as="index.html"), encoding="utf-8")
    with pytest.raises(ContentProblems):
        build_site(content, output)
    assert files_of(output) == before
    assert not list(tmp_path.glob(".output-*"))


def test_check_reports_a_clash_without_writing(tmp_path):
    content = write_site(tmp_path, with_post(Save_as="404.html"))
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(content)})
    assert [str(problem) for problem in audit.errors] == [
        "content/posts/b.md:6: Save_as: writes 404.html, which the site's page /404.html writes; "
        "delete Save_as or choose another path"
    ]


# --- Guest posts keep the site's path and template ---------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("Save_as", "guides/offers.html"), ("URL", "guides/offers/"), ("Template", "article")],
)
def test_guest_posts_may_not_choose_their_path_or_template(tmp_path, field, value):
    files = minimal_files()
    files["posts/a-post.md"] = post(Partner="acme-hiring", **{field: value})
    problems = build_problems(tmp_path, files)
    assert problems == [f"content/posts/a-post.md:7: {field}: guest posts may not set {field}; delete the line"]


def test_staff_posts_may_choose_their_template(tmp_path):
    output = tmp_path / "output"
    files = minimal_files()
    files["posts/a-post.md"] = post(Template="article")
    build_site(write_site(tmp_path, files), output)
    assert (output / "2014/03/a-post/index.html").is_file()


# --- Slugs: never empty, never longer than a file name ------------------------------------


@pytest.mark.parametrize("tag", ["???", "🚀", "!!! --- ...", "—"])
def test_a_tag_that_gives_no_slug_is_an_error(tmp_path, tag):
    files = minimal_files()
    files["posts/a-post.md"] = post(Tags=f"Recruiters, {tag}")
    problems = build_problems(tmp_path, files)
    assert problems == [
        f"content/posts/a-post.md:4: Tags: tag '{tag}' gives no slug; use letters or digits (a-z, 0-9) in it"
    ]


def test_a_category_that_gives_no_slug_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Category="???")
    problems = build_problems(tmp_path, files, EDITORIAL_CATEGORIES=[])
    assert problems == [
        "content/posts/a-post.md:3: Category: category '???' gives no slug; use letters or digits (a-z, 0-9) in it"
    ]


def test_a_title_too_long_for_a_file_name_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post("Interviews " * 30)  # slug: 30 x "interviews", 329 bytes
    problems = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/a-post.md:1: Title: makes a file name of 329 bytes, more than the 255 a file name may hold; "
        "add a shorter 'Slug: <words-with-hyphens>'"
    ]


def test_a_long_title_with_a_short_slug_builds(tmp_path):
    output = tmp_path / "output"
    files = minimal_files()
    files["posts/a-post.md"] = post("Interviews " * 30, Slug="interviews")
    build_site(write_site(tmp_path, files), output)
    assert (output / "2014/03/interviews/index.html").is_file()


def test_a_slug_too_long_for_a_file_name_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Slug="-".join(["offer"] * 50))  # 299 bytes
    problems = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/a-post.md:6: Slug: makes a file name of 299 bytes, more than the 255 a file name may hold; "
        "write a shorter Slug"
    ]


def test_a_save_as_name_too_long_for_a_file_name_is_an_error(tmp_path):
    problems = build_problems(tmp_path, with_post(Save_as="guides/" + "o" * 300 + ".html"))
    assert problems == [
        "content/posts/b.md:6: Save_as: makes a file name of 305 bytes, more than the 255 a file name may hold; "
        "choose a shorter path"
    ]


def test_a_tag_too_long_for_its_feeds_file_name_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Tags="x" * 250)  # its page folder fits; feeds/tag/{slug}.rss.xml does not
    problems = build_problems(tmp_path, files)
    assert problems == [
        f"content/posts/a-post.md:4: Tags: tag '{'x' * 40}…' makes a file name of 258 bytes, more than the 255 "
        "a file name may hold; shorten the tag"
    ]


def test_a_profile_name_too_long_for_its_feeds_file_name_is_an_error(tmp_path):
    # A profile's id is its file name: at 250 bytes its page fits, its feeds (id + .rss.xml,
    # .atom.xml, .feed.json) do not: each is reported.
    files = minimal_files()
    author_id = "a" * 250
    files[f"authors/{author_id}.md"] = "Name: Long Name\n\nA bio.\n"
    problems = build_problems(tmp_path, files)
    expected = []
    for ending, label in ((".rss.xml", ""), (".atom.xml", " (Atom)"), (".feed.json", " (JSON Feed)")):
        feed = f"feeds/author/{author_id}{ending}"
        shown = f"{feed[:60]}…{feed[-19:]}"
        expected.append(
            f"{shown}: output: the feed 'YouTern Career Advice: posts by Long Name'{label} writes {shown}, with a "
            f"name of {len(feed) - len('feeds/author/')} bytes, more than the 255 a file name may hold; "
            "shorten the name it is made from"
        )
    assert sorted(problems) == sorted(expected)


# --- Aliases onto files the site writes ---------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "writer"),
    [
        ("/", "the site's home page"),
        ("/archives/", "the site's page /archives/"),
        ("/feeds/all.rss.xml", ALL_POSTS_FEED),
        ("/feeds/tag/recruiters.rss.xml", "the feed 'YouTern Career Advice: posts tagged Recruiters'"),
        ("/_headers", "the security headers file /_headers"),
        ("/sitemap.xml", "the sitemap /sitemap.xml"),
    ],
)
def test_an_alias_onto_a_file_the_site_writes_is_an_error(tmp_path, alias, writer):
    problems = build_problems(tmp_path, with_post(Aliases=alias))
    assert problems == [
        f"content/posts/b.md:6: Aliases: '{alias}' is the URL of {writer}; delete it from Aliases, or move that page"
    ]


def test_an_alias_onto_a_page_saved_elsewhere_is_an_error(tmp_path):
    files = with_post(Save_as="guides/offers.html")
    files["posts/c.md"] = post("C Post", Aliases="/guides/offers.html")
    problems = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/c.md:6: Aliases: '/guides/offers.html' is the URL of content/posts/b.md; "
        "delete it from Aliases, or move that page"
    ]


def test_an_alias_too_long_for_a_file_name_is_an_error(tmp_path):
    alias = "/" + "o" * 300 + "/"
    problems = build_problems(tmp_path, with_post(Aliases=alias))
    file = "o" * 300 + "/index.html"
    shown_alias, shown_file = f"{alias[:60]}…{alias[-19:]}", f"{file[:60]}…{file[-19:]}"
    assert problems == [
        f"content/posts/b.md:6: Aliases: '{shown_alias}' would write {shown_file}, with a name of 300 bytes, "
        "more than the 255 a file name may hold; delete it from Aliases"
    ]


# --- Settings that place two of the site's own pages on one file --------------------------


def test_two_of_the_sites_own_pages_on_one_file_is_an_error(tmp_path):
    problems = build_problems(tmp_path, minimal_files(), SYNDICATION_PAGE_SAVE_AS="archives/index.html")
    assert problems == [
        "archives/index.html: output: is written by two of the site's own pages; "
        "give each its own path in the settings (*_SAVE_AS)"
    ]


# --- The real site -----------------------------------------------------------------------


def test_the_real_site_builds_with_every_page(real_site):
    assert (real_site / "index.html").is_file()
    assert (real_site / "feeds/all.rss.xml").is_file()
    assert (real_site / "favicon.svg").is_file()
