"""Search (issue 17 item 1): the /search/ page, what the posts give Pagefind, and the
index `make html` writes: all posts, their filters, the same bytes for the same pages, in
bundles (issue 18: an edit indexes one bundle again). The browser side (typing, results
merged from several bundles, keyboard) is in test_browser.py."""

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest
from blogcore.errors import SettingsError
from support import (
    ROOT,
    TEST_SITEURL,
    assert_same_folders,
    build_site,
    files_under,
    minimal_files,
    post,
    run_build_cli,
    soup,
    write_site,
)

from tools import search_bundles, search_index
from tools.build import build
from tools.search_bundles import BundleCache, bundle_count, plan_bundles
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


def bundles_of(site):
    """The bundle folders pagefind/bundles.json lists, in its order."""
    manifest = json.loads((site / "pagefind/bundles.json").read_text(encoding="utf-8"))
    return [site / "pagefind" / name for name in manifest["bundles"]]


def page_count(bundle):
    """How many pages the Pagefind bundle folder `bundle` indexes (in English)."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return entry["languages"]["en"]["page_count"]


def indexed_urls(bundle):
    """The URL of every page the bundle folder `bundle` indexes, from its fragments."""
    urls = []
    for fragment in (bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())[len(search_index.SIGNATURE) :]
        urls.append(json.loads(data)["url"])
    return sorted(urls)


def test_the_index_holds_every_post_with_its_filters(indexed_site):
    assert bundles_of(indexed_site) == [indexed_site / "pagefind/0"]  # five posts: one bundle
    bundle = indexed_site / "pagefind/0"
    assert page_count(bundle) == 5
    assert (bundle / "pagefind.js").is_file()
    filters = {}
    for path in (bundle / "filter").iterdir():
        name, values = search_index._read(path)
        filters[name] = [value for value, _pages in values]
    assert filters == {
        "author": ["Daniel Reyes", "Maya Okafor", "Will Thomson"],
        "category": ["Career Moves", "Internships", "Job Interviews", "Job Offers"],
    }


def test_the_same_pages_give_the_same_index_bytes(indexed_site, tmp_path):
    again = tmp_path / "again"
    build_site(ROOT / "content", again, search=True)
    assert_same_folders(indexed_site / "pagefind", again / "pagefind")


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
    assert [page_count(bundle) for bundle in bundles_of(tmp_path / "output")] == [2]
    assert (tmp_path / "cache/search").is_dir()  # kept for the next make html


def test_posts_are_split_into_bundles_of_about_the_size_asked():
    assert [bundle_count(pages, 1000) for pages in (0, 1, 1000, 1001, 4000, 10_000)] == [1, 1, 1, 2, 4, 16]
    paths = [f"2014/{month:02}/post-{number}/index.html" for month in range(1, 13) for number in range(250)]
    groups = plan_bundles(paths, 1000)
    assert len(groups) == 4 and sorted(path for group in groups for path in group) == sorted(paths)
    assert all(500 <= len(group) <= 1000 for group in groups), [len(group) for group in groups]
    assert plan_bundles(list(reversed(paths)), 1000) == groups  # the order given does not matter
    # A new post changes one bundle; the others keep their pages.
    grown = plan_bundles([*paths, "2015/01/new-post/index.html"], 1000)
    assert sum(group not in groups for group in grown) == 1
    assert plan_bundles([], 1000) == []


def test_posts_saved_at_other_depths_are_all_indexed(tmp_path):
    """The pages indexed are where this build saved its posts, not the default layout's:
    a post whose path has a slash inside a date field, and one saved where it says."""
    files = {
        **minimal_files(),
        "posts/b.md": post("Deeper Still", Date="2014-03-06 09:00"),
        "posts/c.md": post("Saved Elsewhere", Date="2014-03-07 09:00", Save_as="elsewhere.html"),
    }
    output = tmp_path / "output"
    save_as = "{date:%Y/%m/%d}/{slug}.html"
    build_site(write_site(tmp_path, files), output, search=True, ARTICLE_SAVE_AS=save_as)
    [bundle] = bundles_of(output)
    assert indexed_urls(bundle) == ["/2014/03/05/a-post.html", "/2014/03/06/deeper-still.html", "/elsewhere.html"]


def test_a_large_site_is_indexed_in_bundles_that_together_hold_every_post(tmp_path):
    """Two posts a bundle asked for: the five posts in four bundles (some may be empty and
    are left out), each post in exactly one, each bundle a whole Pagefind index."""
    output = tmp_path / "output"
    build_site(ROOT / "content", output, search=True, SEARCH_POSTS_PER_BUNDLE=2)
    bundles = bundles_of(output)
    assert 2 <= len(bundles) <= 4
    assert sorted(path.name for path in (output / "pagefind").iterdir()) == sorted(
        ["bundles.json", *(bundle.name for bundle in bundles)]
    )
    urls = [url for bundle in bundles for url in indexed_urls(bundle)]
    posts = [f"/{path.parent.relative_to(output).as_posix()}/" for path in output.glob("*/*/*/index.html")]
    assert sorted(urls) == sorted(posts) and len(urls) == 5
    assert sum(page_count(bundle) for bundle in bundles) == 5
    assert all((bundle / "pagefind.js").is_file() and (bundle / "wasm.en.pagefind").is_file() for bundle in bundles)
    # Pagefind's own UIs, which the search page never loads, are not shipped.
    shipped = {path.name for path in (output / "pagefind").rglob("*")}
    assert not [name for name in shipped if name.startswith(("pagefind-ui", "pagefind-component", "pagefind-modular"))]
    assert "pagefind-highlight.js" not in shipped and "pagefind-worker.js" in shipped
    assert not list(output.glob(".search-pages-*"))  # the folders Pagefind read are gone


def test_a_site_without_posts_lists_no_bundle(tmp_path):
    files = {name: text for name, text in minimal_files().items() if not name.startswith("posts/")}
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output, search=True)
    assert bundles_of(output) == []
    assert [path.name for path in (output / "pagefind").iterdir()] == ["bundles.json"]


def test_an_edit_indexes_only_the_bundle_holding_the_post_again(tmp_path, monkeypatch):
    """With the cache on, as make html has it: one Pagefind run for the one changed bundle,
    the others copied from the cache, and the result the same bytes as a cold build's in a
    fresh process."""
    files = {
        **minimal_files(),
        **{f"posts/p{n}.md": post(f"Post {n}", Date=f"2014-03-{n + 6:02} 09:00") for n in range(7)},
    }
    content = write_site(tmp_path, files)
    runs = []
    real_run = search_index.run_pagefind
    monkeypatch.setattr(search_index, "run_pagefind", lambda *args: runs.append(args) or real_run(*args))
    overrides = {"SEARCH_POSTS_PER_BUNDLE": 2, "SEARCH_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}
    output = tmp_path / "output"
    build_site(content, output, search=True, **overrides)
    bundles = len(bundles_of(output))
    assert bundles >= 3 and len(runs) == bundles
    kept = sorted(path.name for path in (tmp_path / "cache/search").iterdir())
    edited = content / "posts/p3.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA sentence about onboarding.\n", encoding="utf-8")
    runs.clear()
    build_site(content, output, search=True, **overrides)
    assert len(runs) == 1
    now_kept = sorted(path.name for path in (tmp_path / "cache/search").iterdir())
    assert len(now_kept) == bundles and len(set(now_kept) - set(kept)) == 1  # the old one is gone
    # The reference: a cold build in a fresh process, with a cache of its own.
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa: F403\n"
        f"PATH = {str(content)!r}\nSITEURL = {TEST_SITEURL!r}\nCACHE_PATH = {str(tmp_path / 'cold-cache')!r}\n"
        "SEARCH_POSTS_PER_BUNDLE = 2\n",
        encoding="utf-8",
    )
    result = run_build_cli("--settings", str(settings), "--output", str(tmp_path / "cold"))
    assert result.returncode == 0, result.stderr
    incremental, cold = files_under(output / "pagefind"), files_under(tmp_path / "cold/pagefind")
    assert sorted(incremental) == sorted(cold)
    assert [name for name in cold if incremental[name] != cold[name]] == []


@pytest.mark.parametrize("value", [0, -5, 2.5, "1000", True])
def test_a_wrong_bundle_size_is_a_settings_error(tmp_path, value):
    output = tmp_path / "output"
    with pytest.raises(SettingsError, match=r"SEARCH_POSTS_PER_BUNDLE must be a whole number of posts, 1 or more"):
        build(
            ROOT / "pelicanconf.py",
            output,
            {"PATH": str(ROOT / "content"), "SEARCH_POSTS_PER_BUNDLE": value},
            search=True,
        )
    assert not output.exists()


def test_an_index_in_an_unknown_format_fails_instead_of_shipping(tmp_path, indexed_site):
    bundle = tmp_path / "pagefind"
    bundle.mkdir()
    (bundle / "filter").mkdir()
    entry = json.loads((indexed_site / "pagefind/0/pagefind-entry.json").read_text(encoding="utf-8"))
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


# --- The kept bundles and what a bundle depends on ---


def kept_bundle(cache, key, files=("pagefind-entry.json", "fragment/a.pf_fragment", "index/b.pf_index")):
    """Put a made-up bundle under `key` in BundleCache `cache`, as put() keeps one."""
    folder = cache.temporary(key)
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name, encoding="utf-8")
    return cache.put(key, folder)


def test_an_interrupted_removal_never_leaves_half_a_bundle_under_its_key(tmp_path, monkeypatch):
    cache = BundleCache(tmp_path / "search")
    kept_bundle(cache, "old")
    kept_bundle(cache, "new")
    real_rmtree = shutil.rmtree

    def interrupted(path, *args, **kwargs):  # deletes one file, then the editor presses Ctrl-C
        next(path for path in sorted(Path(path).rglob("*")) if path.is_file()).unlink()
        raise KeyboardInterrupt

    monkeypatch.setattr(search_bundles.shutil, "rmtree", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.keep_only({"new"})
    assert cache.get("old") is None and not (tmp_path / "search/old").exists()
    assert cache.get("new") is not None
    monkeypatch.setattr(search_bundles.shutil, "rmtree", real_rmtree)
    cache.keep_only({"new"})  # the next build clears what the interrupted one left
    assert sorted(path.name for path in (tmp_path / "search").iterdir()) == ["new"]


def test_a_damaged_folder_under_a_key_is_replaced_by_the_new_bundle(tmp_path):
    cache = BundleCache(tmp_path / "search")
    (tmp_path / "search/k/fragment").mkdir(parents=True)  # an older cache's half bundle
    (tmp_path / "search/k/fragment/x.pf_fragment").write_text("x", encoding="utf-8")
    kept = kept_bundle(cache, "k")
    assert cache.get("k") == kept
    assert sorted(path.name for path in kept.rglob("*") if path.is_file()) == ["a.pf_fragment", "b.pf_index",
                                                                                "pagefind-entry.json"]  # fmt: skip


def test_a_killed_builds_folder_is_emptied_before_pagefind_writes_into_it(tmp_path):
    cache = BundleCache(tmp_path / "search")
    leftover = tmp_path / "search" / f"{search_bundles.PARTIAL}k-{os.getpid()}"
    leftover.mkdir(parents=True)
    (leftover / "stale.pf_fragment").write_text("stale", encoding="utf-8")
    assert cache.temporary("k") == leftover and not leftover.exists()


def test_a_bundle_removed_by_another_build_meanwhile_is_indexed_again(tmp_path, indexed_site):
    """Two builds sharing the cache: the other one removed a bundle after this one looked
    it up. The bundle is indexed again, the same bytes."""
    site = tmp_path / "site"
    shutil.copytree(indexed_site, site, ignore=shutil.ignore_patterns("pagefind"))
    posts = [path.relative_to(site).as_posix() for path in site.glob("*/*/*/index.html")]

    class RemovedMeanwhile(BundleCache):
        """Answers each key's first lookup; by the second, the bundle is gone."""

        def __init__(self, folder):
            super().__init__(folder)
            self.asked = set()

        def get(self, key):
            if key in self.asked:
                return None
            self.asked.add(key)
            return super().get(key)

    cache = RemovedMeanwhile(tmp_path / "search")
    search_index.index_site(site, posts, cache=cache)
    assert cache.asked and all(cache.get(key) is None for key in cache.asked)
    assert_same_folders(indexed_site / "pagefind", site / "pagefind")


def test_pagefind_settings_around_the_build_do_not_change_the_index(tmp_path, indexed_site, monkeypatch):
    """A pagefind.yml where make runs, or a PAGEFIND_ variable, would change what Pagefind
    writes without changing a bundle's key: the build runs Pagefind without either."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "pagefind.yml").write_text("force_language: fr\nexclude_selectors: ['h1']\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "de")
    again = tmp_path / "again"
    build_site(ROOT / "content", again, search=True)
    assert_same_folders(indexed_site / "pagefind", again / "pagefind")


def test_languages_are_listed_in_one_order(tmp_path):
    """Pagefind lists a multilingual site's languages in hash-map order; the entry file
    lists them sorted, so the same pages give the same bytes."""
    pages = tmp_path / "pages"
    for number, language in enumerate(["pt", "en", "fr", "de", "es", "it"]):
        page = pages / f"p{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f'<!DOCTYPE html><html lang="{language}"><head><title>P{number}</title></head>'
            f"<body><main data-pagefind-body><h1>Page {number}</h1><p>Words {language}.</p></main></body></html>",
            encoding="utf-8",
        )
    bundle = search_index.run_pagefind(pages, tmp_path / "bundle")
    make_deterministic(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["de", "en", "es", "fr", "it", "pt"]
