"""Atom 1.0 and JSON Feed 1.1 beside every RSS feed (issue 15): the same items with the same
ids, every author, dates and the original of a post first published elsewhere. The fixture
site is test_syndication's; Atom is read with feedparser and with lxml against the rules of
RFC 4287 that the W3C feed validator enforces, JSON Feed against the 1.1 spec's required
fields."""

import json
import re
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from support import TEST_SITEURL
from test_syndication import MOVES_ID, RICH_ID, build_fixture

ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM}
# RFC 3339 date-time, as RFC 4287 section 3.3 and JSON Feed require.
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
URN_UUID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Output folder of test_syndication's fixture site."""
    return build_fixture(tmp_path_factory.mktemp("feed-formats"))


def rss_files(output):
    return sorted((Path(output) / "feeds").rglob("*.rss.xml"))


def beside(rss_path, ending):
    return Path(str(rss_path).removesuffix(".rss.xml") + ending)


def atom_root(path):
    return etree.parse(str(path)).getroot()


def json_feed(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def atom_entry(output, relative, title):
    (entry,) = atom_root(Path(output) / relative).xpath("a:entry[a:title=$title]", namespaces=NS, title=title)
    return entry


def json_item(output, relative, title):
    (item,) = [item for item in json_feed(Path(output) / relative)["items"] if item["title"] == title]
    return item


# --- Every feed in three formats ------------------------------------------------------


def test_every_rss_feed_has_an_atom_and_a_json_feed_beside_it(site):
    for path in rss_files(site):
        assert beside(path, ".atom.xml").is_file(), path
        assert beside(path, ".feed.json").is_file(), path


def test_the_three_formats_carry_the_same_items_with_the_same_ids_in_order(site):
    for path in rss_files(site):
        rss = etree.parse(str(path)).getroot().xpath("channel/item/guid/text()")
        atom = atom_root(beside(path, ".atom.xml")).xpath("a:entry/a:id/text()", namespaces=NS)
        items = [item["id"] for item in json_feed(beside(path, ".feed.json"))["items"]]
        assert rss == atom == items, path


def test_every_atom_feed_parses_cleanly_in_feedparser(site):
    for path in rss_files(site):
        parsed = feedparser.parse(beside(path, ".atom.xml").read_bytes())
        assert parsed.bozo == 0, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10", path


# --- Atom: what RFC 4287 requires and the W3C validator checks ------------------------


def test_every_atom_feed_has_a_permanent_id_title_updated_and_a_self_link_to_itself(site):
    for path in rss_files(site):
        atom_path = beside(path, ".atom.xml")
        root = atom_root(atom_path)
        assert root.tag == f"{{{ATOM}}}feed"
        assert URN_UUID.match(root.findtext("a:id", namespaces=NS)), atom_path
        assert root.findtext("a:title", namespaces=NS), atom_path
        assert RFC3339.match(root.findtext("a:updated", namespaces=NS)), atom_path
        (self_link,) = root.xpath("a:link[@rel='self']", namespaces=NS)
        assert self_link.get("href") == f"{TEST_SITEURL}/{atom_path.relative_to(site).as_posix()}"
        assert self_link.get("type") == "application/atom+xml"
        (alternate,) = root.xpath("a:link[@rel='alternate']", namespaces=NS)
        assert alternate.get("href").startswith(TEST_SITEURL + "/") and alternate.get("type") == "text/html"


def test_atom_feed_ids_differ_and_do_not_change_with_the_site_url(site, tmp_path):
    ids = [atom_root(beside(path, ".atom.xml")).findtext("a:id", namespaces=NS) for path in rss_files(site)]
    assert len(set(ids)) == len(ids)
    other = build_fixture(tmp_path, SITEURL="https://elsewhere.example.test")
    assert atom_root(other / "feeds/all.atom.xml").findtext("a:id", namespaces=NS) == atom_root(
        site / "feeds/all.atom.xml"
    ).findtext("a:id", namespaces=NS)


def test_every_atom_entry_has_what_rfc_4287_requires(site):
    for path in rss_files(site):
        for entry in atom_root(beside(path, ".atom.xml")).iterfind("a:entry", namespaces=NS):
            assert URN_UUID.match(entry.findtext("a:id", namespaces=NS))
            assert entry.findtext("a:title", namespaces=NS)
            for name in ("updated", "published"):
                assert RFC3339.match(entry.findtext(f"a:{name}", namespaces=NS)), (path, name)
            assert entry.xpath("a:author/a:name/text()", namespaces=NS), path
            assert len(entry.xpath("a:link[@rel='alternate'][@type='text/html']", namespaces=NS)) == 1
            assert entry.find("a:content", namespaces=NS).get("type") == "html"
            for link in entry.iterfind("a:link", namespaces=NS):
                assert link.get("rel") in ("alternate", "enclosure", "via"), path
                assert link.get("href").startswith(("http://", "https://")), path


def test_atom_gives_each_author_their_own_author_element_with_their_page(site):
    entry = atom_entry(site, "feeds/all.atom.xml", "Rich Post")
    authors = [
        (a.findtext("a:name", namespaces=NS), a.findtext("a:uri", namespaces=NS))
        for a in entry.xpath("a:author", namespaces=NS)
    ]
    assert authors == [
        ("Ada Writer", f"{TEST_SITEURL}/author/ada-writer/"),
        ("Bo Editor", f"{TEST_SITEURL}/author/bo-editor/"),
    ]


def test_atom_updated_is_the_posts_modified_time_and_published_its_date(site):
    entry = atom_entry(site, "feeds/all.atom.xml", "Rich Post")
    assert entry.findtext("a:published", namespaces=NS) == "2014-03-05T09:00:00-08:00"
    assert entry.findtext("a:updated", namespaces=NS) == "2014-04-01T10:30:00-07:00"
    unchanged = atom_entry(site, "feeds/all.atom.xml", "Dirty Post")
    assert unchanged.findtext("a:updated", namespaces=NS) == unchanged.findtext("a:published", namespaces=NS)


def test_atom_links_the_original_of_a_post_first_published_elsewhere_as_via(site):
    entry = atom_entry(site, "feeds/all.atom.xml", "Moves Post")
    assert entry.xpath("a:link[@rel='via']/@href", namespaces=NS) == ["https://elsewhere.example/original/"]
    assert entry.xpath("a:link[@rel='alternate']/@href", namespaces=NS) == [f"{TEST_SITEURL}/2014/03/moves-post/"]


def test_atom_has_one_category_per_distinct_name(site):
    entry = atom_entry(site, "feeds/all.atom.xml", "Dirty Post")
    assert entry.xpath("a:category/@term", namespaces=NS) == ["Internships"]


def test_atom_summary_is_plain_text(site):
    entry = atom_entry(site, "feeds/all.atom.xml", "Moves Post")
    summary = entry.find("a:summary", namespaces=NS)
    assert summary.get("type") in (None, "text")
    assert summary.text == "Moves & changes: when pay < happiness."


def test_atom_syndication_feed_names_the_blog_and_links_its_home_page(site):
    root = atom_root(site / "feeds/syndication/intern-blog.atom.xml")
    assert root.findtext("a:title", namespaces=NS) == "YouTern Career Advice"
    assert root.xpath("a:link[@rel='alternate']/@href", namespaces=NS) == [f"{TEST_SITEURL}/"]
    assert "Intern Blog" in root.findtext("a:subtitle", namespaces=NS)


# --- JSON Feed 1.1 ----------------------------------------------------------------------


def test_every_json_feed_has_the_fields_json_feed_1_1_requires(site):
    for path in rss_files(site):
        json_path = beside(path, ".feed.json")
        document = json_feed(json_path)
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert isinstance(document["title"], str) and document["title"]
        assert isinstance(document["items"], list)
        assert document["feed_url"] == f"{TEST_SITEURL}/{json_path.relative_to(site).as_posix()}"
        assert document["home_page_url"].startswith(TEST_SITEURL + "/")
        for item in document["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item.get("content_html") or item.get("content_text")
            assert RFC3339.match(item["date_published"])
            assert item["url"].startswith(TEST_SITEURL + "/")
            assert item["authors"] and all(author["name"] for author in item["authors"])


def test_json_feed_lists_every_author_with_their_page(site):
    item = json_item(site, "feeds/all.feed.json", "Rich Post")
    assert item["id"] == f"urn:uuid:{RICH_ID}"
    assert item["authors"] == [
        {"name": "Ada Writer", "url": f"{TEST_SITEURL}/author/ada-writer/"},
        {"name": "Bo Editor", "url": f"{TEST_SITEURL}/author/bo-editor/"},
    ]


def test_json_feed_date_modified_is_given_only_where_the_post_changed(site):
    assert json_item(site, "feeds/all.feed.json", "Rich Post")["date_modified"] == "2014-04-01T10:30:00-07:00"
    assert "date_modified" not in json_item(site, "feeds/all.feed.json", "Dirty Post")


def test_json_feed_external_url_is_the_original_of_a_post_first_published_elsewhere(site):
    item = json_item(site, "feeds/all.feed.json", "Moves Post")
    assert item["id"] == f"urn:uuid:{MOVES_ID}"
    assert item["external_url"] == "https://elsewhere.example/original/"
    assert "external_url" not in json_item(site, "feeds/all.feed.json", "Rich Post")


def test_json_feed_tags_name_each_term_once(site):
    assert json_item(site, "feeds/all.feed.json", "Dirty Post")["tags"] == ["Internships"]


def test_json_feed_content_is_the_same_html_as_atom(site):
    for relative in ("feeds/all", "feeds/syndication/all-blog"):
        atom = atom_entry(site, f"{relative}.atom.xml", "Rich Post").findtext("a:content", namespaces=NS)
        assert json_item(site, f"{relative}.feed.json", "Rich Post")["content_html"] == atom


# --- Determinism ------------------------------------------------------------------------


def test_two_builds_write_byte_identical_feeds_in_every_format(site, tmp_path):
    again = build_fixture(tmp_path)
    for path in sorted((site / "feeds").rglob("*")):
        if path.is_file():
            assert (again / path.relative_to(site)).read_bytes() == path.read_bytes(), path
