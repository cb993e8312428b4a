"""No dead ends in the published-URL record: a page that is gone gets one line to write,
`retired` (410 Gone: a "This post was removed" page and 410 host rules) or `-> /path/`
(a redirect), and the error names that line. End to end in a copy of the repository:
publish a new post, retitle it, and the old URL must be kept by an alias."""

import pytest
from redirects.record import published_urls, read_record, update_record
from support import (
    ROOT,
    TEST_SITEURL,
    build_site,
    copy_repository,
    minimal_files,
    overrides_for,
    post,
    run_make,
    soup,
    write_site,
)

from tools.build import check

RECORD = "published-urls.txt"
GONE = "/2014/02/old-post/"


@pytest.fixture
def site(tmp_path):
    """A site built and recorded with two posts, one of them (/2014/02/old-post/) tagged
    Retiring alone; returns its content folder."""
    files = minimal_files()
    files["posts/old-post.md"] = post("Old Post", Date="2014-02-12 09:00", Tags="Retiring")
    content = write_site(tmp_path, files)
    output = tmp_path / "first"
    build_site(content, output)
    update_record(content / RECORD, published_urls(output))
    return content


def errors(content):
    """The errors `make check` reports for the site at `content`."""
    audit = check(ROOT / "pelicanconf.py", overrides_for(content, CACHE_PATH=str(content.parent / "cache")))
    return [str(problem) for problem in audit.errors]


def line_of(content, url):
    return next(number for number, recorded in read_record(content / RECORD) if recorded == url)


def mark(content, url, words):
    """Write `words` after `url` on its record line, as an editor would."""
    record = content / RECORD
    text = record.read_text(encoding="utf-8")
    assert f"\n{url}\n" in text
    record.write_text(text.replace(f"\n{url}\n", f"\n{url} {words}\n"), encoding="utf-8")


def expected_gone(content, url):
    line = line_of(content, url)
    fix = (
        f"write '{url} retired' on line {line} of content/published-urls.txt, "
        f"or give the post that replaces it Aliases: {url}"
    )
    return f"content/published-urls.txt:{line}: URL: {url} is no longer published; {fix}"


def expected_tag(content, url="/tag/retiring/"):
    line = line_of(content, url)
    return (
        f"content/published-urls.txt:{line}: URL: {url} is no longer published: no post is listed there; "
        f"write '{url} retired' on line {line} of content/published-urls.txt, "
        f"or redirect it to the tags index: '{url} -> /tags/'"
    )


def feed_errors(problems):
    return [p for p in problems if "/feeds/" not in p]


def test_a_deleted_post_names_the_line_to_write(site):
    (site / "posts/old-post.md").unlink()
    assert feed_errors(errors(site)) == [expected_gone(site, GONE), expected_tag(site)]


def test_a_post_set_back_to_draft_is_named_and_not_told_to_alias_itself(site):
    (site / "posts/old-post.md").write_text(
        post("Old Post", Date="2014-02-12 09:00", Tags="Retiring", Status="draft"), encoding="utf-8"
    )
    line = line_of(site, GONE)
    assert feed_errors(errors(site)) == [
        f"content/published-urls.txt:{line}: URL: {GONE} is no longer published: content/posts/old-post.md is a "
        f"draft now; publish it again, or take it down: write '{GONE} retired' on line {line} of "
        "content/published-urls.txt",
        expected_tag(site),
    ]


def test_the_tag_feeds_of_a_removed_tag_say_retired_too(site):
    (site / "posts/old-post.md").unlink()
    feeds = [p for p in errors(site) if "/feeds/tag/retiring" in p]
    assert feeds and all("write '/feeds/tag/retiring." in p and " retired' on line " in p for p in feeds)


def retire_everything_of_the_old_post(site):
    (site / "posts/old-post.md").unlink()
    mark(site, GONE, "retired")
    mark(site, "/tag/retiring/", "-> /tags/")
    record = site / RECORD
    lines = [
        f"{line} retired" if line.startswith("/feeds/tag/retiring.") else line
        for line in record.read_text(encoding="utf-8").splitlines()
    ]
    record.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_one_line_each_retires_the_post_and_redirects_its_tag(site):
    retire_everything_of_the_old_post(site)
    assert errors(site) == []


@pytest.fixture
def retired(site, tmp_path):
    """The output of `site` with its old post retired and its tag redirected."""
    retire_everything_of_the_old_post(site)
    output = tmp_path / "retired"
    build_site(site, output)
    return output


def test_a_retired_url_gets_a_removed_page(retired):
    page = soup(retired / "2014/02/old-post/index.html")
    assert page.h1.get_text() == "This post was removed"
    assert page.title.get_text() == "This post was removed"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("a")["href"] == f"{TEST_SITEURL}/"
    assert page.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is not None


def test_hosts_that_can_answer_410_are_told_to(retired):
    netlify = (retired / "_redirects").read_text(encoding="utf-8").splitlines()
    nginx = (retired / "redirects.nginx.conf").read_text(encoding="utf-8").splitlines()
    assert "/2014/02/old-post/ /2014/02/old-post/index.html 410!" in netlify
    assert "location = /2014/02/old-post/ { error_page 410 /2014/02/old-post/index.html; return 410; }" in nginx


def test_a_redirected_line_gets_a_redirect_page_and_301s(retired):
    page = soup(retired / "tag/retiring/index.html")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={TEST_SITEURL}/tags/"
    assert "/tag/retiring/ /tags/ 301" in (retired / "_redirects").read_text(encoding="utf-8").splitlines()
    nginx = (retired / "redirects.nginx.conf").read_text(encoding="utf-8").splitlines()
    assert "location = /tag/retiring/ { return 301 /tags/; }" in nginx


def test_a_redirect_to_a_page_the_site_does_not_publish_is_an_error(site):
    (site / "posts/old-post.md").unlink()
    mark(site, GONE, "-> /2014/02/nowhere/")
    line = line_of(site, GONE)
    assert (
        f"content/published-urls.txt:{line}: URL: {GONE} redirects to /2014/02/nowhere/, which the site does "
        "not publish; write an address the site publishes after '->', such as /"
    ) in errors(site)


def test_a_feed_cannot_be_redirected(site):
    mark(site, "/feeds/all.rss.xml", "-> /feeds/other.rss.xml")
    line = line_of(site, "/feeds/all.rss.xml")
    assert errors(site) == [
        f"content/published-urls.txt:{line}: URL: the feed /feeds/all.rss.xml cannot be redirected; "
        "write '/feeds/all.rss.xml retired' on this line (feed readers do not follow a redirect page)"
    ]


def test_a_page_that_redirects_to_itself_is_an_error(site):
    mark(site, "/archives/", "-> /archives/")
    line = line_of(site, "/archives/")
    assert errors(site) == [
        f"content/published-urls.txt:{line}: URL: /archives/ redirects to itself; "
        "write the page it should lead to after '->'"
    ]


def test_a_retired_post_published_again_is_told_to_drop_retired(site):
    mark(site, GONE, "retired")
    line = line_of(site, GONE)
    assert errors(site) == [
        f"content/published-urls.txt:{line}: URL: {GONE} is published again: "
        "content/posts/old-post.md writes it; delete 'retired' after it"
    ]


# --- End to end, in a copy of the repository: publish, retitle, alias -----------------------

NEW = "/2014/06/what-to-do-when-the-recruiter-goes-quiet/"


def test_publish_records_a_new_post_and_a_retitle_needs_its_alias(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    source = repo / "content/posts/recruiter-goes-quiet.md"
    fields = {"Date": "2014-06-02 09:00", "Authors": "maya-okafor", "Tags": "Recruiters", "Category": "Job Offers"}
    source.write_text(post("What to Do When the Recruiter Goes Quiet", **fields), encoding="utf-8")

    published = run_make(repo, "publish")
    assert published.returncode == 0, published.stderr
    assert NEW in [url for _, url in read_record(repo / "content/published-urls.txt")]

    # Retitled: the slug, and so the address, changes.
    source.write_text(post("When the Recruiter Goes Quiet", **fields), encoding="utf-8")
    checked = run_make(repo, "check")
    assert checked.returncode != 0
    line = next(n for n, url in read_record(repo / "content/published-urls.txt") if url == NEW)
    assert (
        f"content/published-urls.txt:{line}: URL: {NEW} is no longer published; if "
        f"content/posts/recruiter-goes-quiet.md is that post, give it Aliases: {NEW} (or Slug: "
        f"{NEW.strip('/').split('/')[-1]} to keep it there); else write '{NEW} retired' on line "
        f"{line} of content/published-urls.txt"
    ) in checked.stdout

    source.write_text(post("When the Recruiter Goes Quiet", Aliases=NEW, **fields), encoding="utf-8")
    rebuilt = run_make(repo, "publish")
    assert rebuilt.returncode == 0, rebuilt.stderr
    redirect = soup(repo / "output" / NEW.strip("/") / "index.html")
    target = "https://blog.youtern.example/2014/06/when-the-recruiter-goes-quiet/"
    assert redirect.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
    assert f"{NEW} /2014/06/when-the-recruiter-goes-quiet/ 301" in (repo / "output/_redirects").read_text(
        encoding="utf-8"
    )
