"""Search (issue 17 item 1): the /search/ page, what the posts give Pagefind, and the
index `make html` writes: all posts, their filters, the same bytes for the same pages.
The browser side (typing, results, keyboard) is in test_browser.py."""

import gzip
import json

import pytest
from support import ROOT, TEST_SITEURL, build_site, files_under, minimal_files, post, run_build_cli, soup, write_site

from tools import search_index
from tools.search_index import SearchIndexFailed, make_deterministic


@pytest.fixture(scope="module")
def indexed_site(tmp_path_factory):
    """The real content built with its search index, as make html builds it."""
    output = tmp_path_factory.mktemp("search-site") / "output"
    build_site(ROOT / "content", output, search=True)
    return output


def test_search_page_form_works_without_javascript(real_site):
    page = soup(real_site / "search/index.html")
    form = page.select_one("main form[role=search]")
    assert (form["action"], form["method"]) == (f"{TEST_SITEURL}/search/", "get")
    assert page.select_one("label[for=search-q]").get_text() == "Search posts"
    assert form.select_one("#search-q")["name"] == "q"
    categories = [option["value"] for option in form.select("select[name=category] option")]
    authors = [option["value"] for option in form.select("select[name=author] option")]
    assert categories == ["", "Career Moves", "Internships", "Job Interviews", "Job Offers"]
    assert authors == ["", "Daniel Reyes", "Maya Okafor", "Will Thomson"]
    # Results are announced: a polite live status line, and a labelled list.
    assert page.select_one("#search-status")["role"] == "status"
    assert page.select_one("#search-results")["aria-label"] == "Search results"
    assert page.noscript is not None
    # No header search box on the search page itself: one search landmark.
    assert len(page.select("form[role=search]")) == 1


def test_search_page_links_categories_tags_and_archives(real_site):
    browse = soup(real_site / "search/index.html").select_one(".browse")
    hrefs = {a["href"] for a in browse.select("a")}
    assert f"{TEST_SITEURL}/category/job-interviews/" in hrefs
    assert f"{TEST_SITEURL}/tag/passive-candidates/" in hrefs
    assert f"{TEST_SITEURL}/archives/" in hrefs


def test_only_posts_are_indexed_with_their_category_and_authors_as_filters(real_site):
    part4 = soup(real_site / "2014/04/resigning-well-and-answering-the-counter-offer/index.html")
    body = part4.select_one("[data-pagefind-body]")
    assert body.name == "article" and body.h1.get_text() == "Resigning Well and Answering the Counter-Offer"
    assert [a.get_text() for a in body.select("[data-pagefind-filter=category]")] == ["Career Moves"]
    assert [a.get_text() for a in body.select("[data-pagefind-filter=author]")] == ["Maya Okafor", "Daniel Reyes"]
    # Tags and the series name are in the indexed text; the boxes that list other posts are not.
    assert "Negotiation" in body.select_one(".entry-meta").get_text()
    for box in body.select(".series-nav, .related, .post-neighbours, .author-box"):
        assert box.has_attr("data-pagefind-ignore"), box["class"]
    for listing in ("index.html", "search/index.html", "author/maya-okafor/index.html", "about/index.html"):
        assert soup(real_site / listing).select_one("[data-pagefind-body]") is None, listing


def test_the_index_holds_every_post_with_its_filters(indexed_site):
    entry = json.loads((indexed_site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 5
    filters = {}
    for path in (indexed_site / "pagefind/filter").iterdir():
        name, values = search_index._read(path)
        filters[name] = [value for value, _pages in values]
    assert filters == {
        "author": ["Daniel Reyes", "Maya Okafor", "Will Thomson"],
        "category": ["Career Moves", "Internships", "Job Interviews", "Job Offers"],
    }


def test_the_same_pages_give_the_same_index_bytes(indexed_site, tmp_path):
    again = tmp_path / "again"
    build_site(ROOT / "content", again, search=True)
    first, second = files_under(indexed_site / "pagefind"), files_under(again / "pagefind")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_a_build_without_search_writes_no_index(real_site):
    assert not (real_site / "pagefind").exists()


def test_the_command_line_build_indexes_the_site(tmp_path):
    """make html's path: `python -m tools.build` indexes before the swap."""
    content = write_site(tmp_path, {**minimal_files(), "posts/b.md": post("Another", Date="2014-03-06 09:00")})
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa: F403\n"
        f"PATH = {str(content)!r}\nSITEURL = {TEST_SITEURL!r}\nCACHE_PATH = {str(tmp_path / 'cache')!r}\n",
        encoding="utf-8",
    )
    result = run_build_cli("--settings", str(settings), "--output", str(tmp_path / "output"))
    assert result.returncode == 0, result.stderr
    entry = json.loads((tmp_path / "output/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 2


def test_pagefind_reads_the_shapes_of_the_post_pages():
    paths = ["2014/03/a/index.html", "2015/11/b/index.html", "odd name[1].html", "feeds/all.xml", "top.html"]
    assert search_index.post_pages_glob(paths) == "{*.html,*/*/*/index.html,top.html}"
    assert search_index.post_pages_glob(["2014/03/a/index.html"]) == "*/*/*/index.html"
    assert search_index.post_pages_glob([]) == search_index.EVERY_PAGE


def test_posts_saved_at_other_depths_are_all_indexed(tmp_path):
    """The glob comes from where this build saved its posts, not from the default layout:
    a post whose path has a slash inside a date field, and one saved where it says."""
    files = {
        **minimal_files(),
        "posts/b.md": post("Deeper Still", Date="2014-03-06 09:00"),
        "posts/c.md": post("Saved Elsewhere", Date="2014-03-07 09:00", Save_as="elsewhere.html"),
    }
    output = tmp_path / "output"
    save_as = "{date:%Y/%m/%d}/{slug}.html"
    build_site(write_site(tmp_path, files), output, search=True, ARTICLE_SAVE_AS=save_as)
    entry = json.loads((output / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 3
    urls = set()
    for fragment in (output / "pagefind/fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())[len(search_index.SIGNATURE) :]
        urls.add(json.loads(data)["url"])
    assert urls == {"/2014/03/05/a-post.html", "/2014/03/06/deeper-still.html", "/elsewhere.html"}


def test_an_index_in_an_unknown_format_fails_instead_of_shipping(tmp_path, indexed_site):
    bundle = tmp_path / "pagefind"
    bundle.mkdir()
    (bundle / "filter").mkdir()
    entry = json.loads((indexed_site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    meta = bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    # A CBOR map (major type 5), which no Pagefind 1.5 file holds.
    meta.write_bytes(gzip.compress(search_index.SIGNATURE + b"\xa1\x01\x02"))
    with pytest.raises(SearchIndexFailed, match="unsupported CBOR major type 5"):
        make_deterministic(bundle)


def test_cbor_round_trip_is_exact():
    value = ["1.5.2", [["en_1", 943], ["en_2", 65536]], [], ["title", "image_alt"], [b"\x00\xff", 2**40]]
    encoded = search_index._encode(value)
    assert search_index._decode(encoded, 0) == (value, len(encoded))
