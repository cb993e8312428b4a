"""Feeds and partner syndication (issues 5 and 15): fixture sites built for real, feeds parsed
with feedparser and queried with lxml XPath, HTML inside them read with BeautifulSoup. The RSS
files are checked here; tests/test_feed_formats.py checks Atom and JSON Feed beside them and
tests/test_feed_readers.py what real feed readers show."""

import email.utils
import logging
import os
import re
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree
from support import (
    AUTHOR,
    PARTNER,
    SERIES,
    TEST_SITEURL,
    build_site,
    html_pages,
    iframe_hosts,
    minimal_files,
    post,
    soup,
    write_site,
)
from syndication.guid import post_guid
from syndication.html import feed_html, split_srcset
from syndication.settings import SettingsError, syndication_settings
from syndication.workers import build_items

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
# The W3C Feed Validation Service's RFC 2822 date pattern (feedvalidator validators.rfc822).
RFC2822 = re.compile(
    r"^((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d\d? (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d\d:\d\d(:\d\d)? ([+-]?\d\d[03]0|UT|GMT|[ECMP][SD]T|Z)$"
)
# The validator's elements and attributes that are not a security risk in feed HTML.
W3C_SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p", "picture", "pre",
    "q", "s", "small", "source", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
W3C_SAFE_ATTRIBUTES = {
    "alt",
    "class",
    "href",
    "id",
    "rel",
    "src",
    "srcset",
    "sizes",
    "title",
    "style",
    "height",
    "width",
}

RICH_ID = "8c6c1c43-8a57-4c4e-9a55-3f3a8f0f6a01"
DIRTY_ID = "1d3c8a36-5a0e-4d55-a8a4-0f3e62a8c202"
PRIVATE_ID = "e0b7f1f9-52a4-4a56-9d53-1b0a5c7d4e03"
MOVES_ID = "5a9e4c1e-8f2b-4d0c-b6a1-2c4e8f6a9d04"
PIXEL = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>\n'
IFRAME_HOST = "player.example"

RICH_BODY = """\
Read [about us](/about/) and [see the details](#details).

<img src="/images/pic.svg" srcset="/images/pic.svg 1x, ../../../images/pic.svg 2x" alt="An inline picture">

## Details

The details.
"""

# Handlers, objects and embeds never get this far (the build refuses them): what the feed
# sanitiser still removes is what the site allows staff, an iframe from an allowed host.
DIRTY_BODY = f"""\
<p>A click-tracked paragraph.</p>

<iframe src="https://{IFRAME_HOST}/embed/1" title="A video"></iframe>

The rest of the advice.
"""


def fixture_files():
    """A site with every kind of feed, a guest post, a post kept out of syndication,
    a draft, a future post and a post without an Id."""
    return {
        "authors/ada-writer.md": AUTHOR,
        "authors/bo-editor.md": "Name: Bo Editor\nRole: Editor\n\nBo edits the blog.\n",
        "authors/cy-newcomer.md": "Name: Cy Newcomer\nRole: Writer\n\nCy has not published yet.\n",
        "partners/acme-hiring.md": PARTNER,
        "partners/all-blog.md": "Name: All Blog\nUrl: https://all-blog.example/\nSyndicate: all\n\nA partner blog.\n",
        "partners/intern-blog.md": (
            "Name: Intern Blog\nUrl: https://intern-blog.example/\nSyndicate: Internships\n\nA partner blog.\n"
        ),
        "series/test-series.md": SERIES,
        "images/pic.svg": PIXEL,
        "posts/no-id.md": post("No Id Post", Date="2014-03-01 09:00", Id=None),
        "pages/about.md": "Title: About\n\nAbout the site.\n",
        "posts/rich.md": post(
            "Rich Post",
            Id=RICH_ID,
            Date="2014-03-05 09:00",
            Modified="2014-04-01 10:30",
            Authors="ada-writer, bo-editor",
            Partner="acme-hiring",
            Series="test-series",
            Series_index="1",
            Image="images/pic.svg",
            Image_alt="A tiny picture",
            Image_credit="Example Photos",
            body=RICH_BODY,
        ),
        "posts/dirty.md": post(
            "Dirty Post",
            Id=DIRTY_ID,
            Date="2014-03-10 09:00",
            Category="Internships",
            Tags="Internships",
            body=DIRTY_BODY,
        ),
        "posts/private.md": post(
            "Private Post", Id=PRIVATE_ID, Date="2014-03-12 09:00", Category="Internships", Syndicate="no"
        ),
        "posts/moves.md": post(
            "Moves Post",
            Id=MOVES_ID,
            Date="2014-03-15 09:00",
            Category="Career Moves",
            Canonical="https://elsewhere.example/original/",
            Summary="Moves & changes: when pay < happiness.",
        ),
        "posts/draft.md": post("Draft Post", Date="2014-03-20 09:00", Status="draft", Tags="Secret Draft Tag"),
        "posts/future.md": post("Future Post", Date="2999-01-01 09:00", Tags="Future Tag"),
    }


def build_fixture(root, files=None, **overrides):
    """Build `files` (default: the fixture site) under `root`; return the output folder."""
    content = write_site(root, files or fixture_files())
    output = Path(root) / "output"
    build_site(content, output, **{**iframe_hosts(IFRAME_HOST), **overrides})
    return output


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Output folder of the fixture site."""
    return build_fixture(tmp_path_factory.mktemp("syndication"))


def feed_files(output):
    """Every RSS feed file under output/feeds, sorted."""
    return sorted((Path(output) / "feeds").rglob("*.rss.xml"))


def channel(output, relative):
    """The <channel> element of a feed."""
    return etree.parse(str(Path(output) / relative)).getroot().find("channel")


def titles(output, relative):
    """The item titles of a feed, in order."""
    return channel(output, relative).xpath("item/title/text()")


def item(output, relative, title):
    """The <item> of a feed with the given title."""
    (found,) = channel(output, relative).xpath("item[title=$title]", title=title)
    return found


def content_of(item_element):
    """The item's full HTML content (content:encoded), parsed."""
    return BeautifulSoup(item_element.findtext("content:encoded", namespaces=NS), "html.parser")


def all_contents(output):
    """(feed file, parsed content) of every item of every feed."""
    for path in feed_files(output):
        for element in etree.parse(str(path)).getroot().iter("item"):
            yield path, content_of(element)


def warnings_of(caplog):
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


# --- Feeds, paths and order ------------------------------------------------------------


def test_every_feed_parses_cleanly_in_feedparser(site):
    for path in feed_files(site):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, f"{path}: {parsed.get('bozo_exception')}"


def test_feeds_are_written_at_their_documented_paths(site):
    # Every feed in three formats; no guest partner feed without a guest post (all-blog,
    # intern-blog), but an author's feed before their first post (cy-newcomer).
    written = {path.relative_to(site).as_posix() for path in (site / "feeds").rglob("*") if path.is_file()}
    feeds = {
        "all",
        "category/career-moves",
        "category/internships",
        "category/job-interviews",
        "tag/internships",
        "tag/interviews",
        "tag/recruiters",
        "author/ada-writer",
        "author/bo-editor",
        "author/cy-newcomer",
        "partner/acme-hiring",
        "series/test-series",
        "syndication/all-blog",
        "syndication/intern-blog",
    }
    assert written == {f"feeds/{feed}{ending}" for feed in feeds for ending in (".rss.xml", ".atom.xml", ".feed.json")}


def test_site_feed_lists_the_published_posts_newest_first(site):
    assert titles(site, "feeds/all.rss.xml") == ["Moves Post", "Private Post", "Dirty Post", "Rich Post", "No Id Post"]


def test_drafts_and_future_posts_are_in_no_feed(site):
    for path in feed_files(site):
        found = set(titles(site, path.relative_to(site)))
        assert not found & {"Draft Post", "Future Post"}, path


def test_item_limit_keeps_the_newest_items_of_every_feed(tmp_path):
    output = build_fixture(tmp_path, SYNDICATION_ITEM_LIMIT=2)
    assert titles(output, "feeds/all.rss.xml") == ["Moves Post", "Private Post"]
    assert max(len(titles(output, path.relative_to(output))) for path in feed_files(output)) == 2


def test_category_feed_carries_only_its_category(site):
    assert titles(site, "feeds/category/internships.rss.xml") == ["Private Post", "Dirty Post"]


def test_author_feed_carries_every_post_the_author_wrote_or_co_wrote(site):
    assert titles(site, "feeds/author/bo-editor.rss.xml") == ["Rich Post"]


# --- Items ------------------------------------------------------------------------------


def test_item_link_is_the_absolute_permalink(site):
    assert item(site, "feeds/all.rss.xml", "Rich Post").findtext("link") == f"{TEST_SITEURL}/2014/03/rich-post/"


def test_description_is_the_summary_as_escaped_html(site):
    # Readers render <description> as HTML: the text's own < and & must stay text.
    description = item(site, "feeds/all.rss.xml", "Moves Post").findtext("description")
    assert description == "Moves &amp; changes: when pay &lt; happiness."


def test_links_in_content_are_absolute(site):
    body = content_of(item(site, "feeds/all.rss.xml", "Rich Post"))
    assert body.find("a", string="about us")["href"] == f"{TEST_SITEURL}/about/"


def test_image_src_and_srcset_in_content_are_absolute(site):
    inline = content_of(item(site, "feeds/all.rss.xml", "Rich Post")).find("img", alt="An inline picture")
    assert inline["src"] == f"{TEST_SITEURL}/images/pic.svg"
    assert inline["srcset"] == (f"{TEST_SITEURL}/images/pic.svg 1x, {TEST_SITEURL}/images/pic.svg 2x")


def test_in_page_anchor_points_into_the_permalink(site):
    body = content_of(item(site, "feeds/all.rss.xml", "Rich Post"))
    assert body.find("a", string="see the details")["href"] == f"{TEST_SITEURL}/2014/03/rich-post/#details"


def test_no_relative_url_is_left_in_any_feed(site):
    for path, body in all_contents(site):
        for tag in body.find_all(["a", "img"]):
            url = tag.get("href") or tag.get("src")
            assert url.startswith(("https://", "http://")), f"{path}: {tag}"


def test_one_dc_creator_names_every_author(site):
    # Readers show one dc:creator (some the first, some the last); WordPress's get_author()
    # returns the first. One value naming everyone survives all of them.
    creators = item(site, "feeds/all.rss.xml", "Rich Post").xpath("dc:creator/text()", namespaces=NS)
    assert creators == ["Ada Writer and Bo Editor"]


def test_a_single_author_is_the_dc_creator(site):
    creators = item(site, "feeds/all.rss.xml", "Moves Post").xpath("dc:creator/text()", namespaces=NS)
    assert creators == ["Ada Writer"]


def test_a_name_that_is_the_category_and_a_tag_is_one_category_element(site):
    categories = item(site, "feeds/all.rss.xml", "Dirty Post").xpath("category/text()")
    assert categories == ["Internships"]


def test_category_and_tags_are_category_elements(site):
    categories = item(site, "feeds/all.rss.xml", "Rich Post").xpath("category/text()")
    assert categories == ["Job Interviews", "Recruiters", "Interviews"]


def test_publication_date_is_the_posts_date_in_rfc_822(site):
    pub_date = item(site, "feeds/all.rss.xml", "Rich Post").findtext("pubDate")
    assert pub_date == "Wed, 05 Mar 2014 09:00:00 -0800"


def test_update_time_is_given_only_where_the_post_changed(site):
    root = channel(site, "feeds/all.rss.xml")
    updated = {
        element.findtext("title"): element.findtext("atom:updated", namespaces=NS) for element in root.iter("item")
    }
    assert updated["Rich Post"] == "2014-04-01T10:30:00-07:00"
    assert [title for title, value in updated.items() if value] == ["Rich Post"]


def test_featured_image_is_an_enclosure_with_the_files_length_and_type(site):
    enclosure = item(site, "feeds/all.rss.xml", "Rich Post").find("enclosure")
    assert enclosure.attrib == {
        "url": f"{TEST_SITEURL}/images/pic.svg",
        "length": str(len(PIXEL)),
        "type": "image/svg+xml",
    }


def test_featured_image_and_its_credit_open_the_content(site):
    figure = content_of(item(site, "feeds/all.rss.xml", "Rich Post")).find("figure")
    assert figure.img["src"] == f"{TEST_SITEURL}/images/pic.svg"
    assert figure.figcaption.get_text() == "Image courtesy of Example Photos."


def test_guest_credit_is_in_the_content(site):
    credit = content_of(item(site, "feeds/all.rss.xml", "Rich Post")).find(class_="guest-credit")
    assert credit.get_text() == "For this post, YouTern thanks our friends at Acme Hiring!"
    assert credit.a["href"] == "https://acme.example/"


# --- GUIDs ------------------------------------------------------------------------------


def test_guid_is_the_posts_id_as_urn_uuid_and_not_a_permalink(site):
    guid = item(site, "feeds/all.rss.xml", "Rich Post").find("guid")
    assert guid.text == f"urn:uuid:{RICH_ID}"
    assert guid.get("isPermaLink") == "false"


def test_a_post_has_the_same_guid_in_every_feed(site):
    guids = {element.text for path in feed_files(site) for element in etree.parse(str(path)).iter("guid")}
    assert len(guids) == 5


@pytest.fixture(scope="module")
def retitled(tmp_path_factory):
    """The fixture post built once, then again retitled, reslugged, redated and recategorised."""
    before = minimal_files() | {
        "posts/a-post.md": post("Old Title", Id=RICH_ID),
        "posts/plain.md": post("Plain", Id=None),
    }
    after = minimal_files() | {
        "posts/a-post.md": post(
            "New Title", Id=RICH_ID, Slug="new-slug", Date="2015-06-01 10:00", Category="Internships"
        ),
        "posts/plain.md": post("Plain, Retitled", Slug="plain-moved", Date="2015-06-02 10:00", Id=None),
    }
    return (
        build_fixture(tmp_path_factory.mktemp("before"), before),
        build_fixture(tmp_path_factory.mktemp("after"), after),
    )


def _guid_and_link(output, title):
    found = item(output, "feeds/all.rss.xml", title)
    return found.findtext("guid"), found.findtext("link")


def test_guid_survives_retitle_reslug_redate_and_recategorise(retitled):
    before, after = retitled
    guid_before, link_before = _guid_and_link(before, "Old Title")
    guid_after, link_after = _guid_and_link(after, "New Title")
    assert link_before != link_after
    assert guid_before == guid_after == f"urn:uuid:{RICH_ID}"


def test_fallback_guid_of_a_post_without_id_survives_retitle_and_reslug(retitled):
    before, after = retitled
    guid_before, link_before = _guid_and_link(before, "Plain")
    guid_after, link_after = _guid_and_link(after, "Plain, Retitled")
    assert link_before != link_after
    assert guid_before == guid_after
    assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", guid_after)


def test_post_without_id_is_warned_about_with_the_id_line_that_keeps_its_guid(tmp_path, caplog):
    # A file name of its own: Pelican's loggers drop a warning already logged in this
    # process (pelican.log.LimitFilter), and other tests' a-post.md without an Id give the
    # very same line when they run in the same pytest worker.
    files = {**minimal_files(), "posts/a-post.md": post(), "posts/without-id.md": post("Without Id", Id=None)}
    output = build_fixture(tmp_path, files)
    guid = item(output, "feeds/all.rss.xml", "Without Id").findtext("guid")
    messages = [message for message in warnings_of(caplog) if "Id: missing" in message]
    assert messages == [
        "content/posts/without-id.md:1: Id: missing; its feed id comes from the file name and changes if the file is "
        f"renamed or moved; add 'Id: {guid.removeprefix('urn:uuid:')}' to keep it for good"
    ]


def test_uuid_id_in_capitals_gives_the_canonical_lower_case_guid():
    guid = post_guid(RICH_ID.upper(), "posts/a.md", "0b21f4b1-e5ef-464b-a43d-c97a85e75fa0")
    assert guid.value == f"urn:uuid:{RICH_ID}"


def test_non_uuid_id_gives_a_stable_name_based_uuid():
    namespace = "0b21f4b1-e5ef-464b-a43d-c97a85e75fa0"
    first = post_guid("wp-post-1234", "posts/a.md", namespace)
    assert first == post_guid("wp-post-1234", "posts/renamed.md", namespace)
    assert first.value.startswith("urn:uuid:") and not first.from_fallback


# --- Sanitising -------------------------------------------------------------------------


def test_no_active_content_reaches_any_feed(site):
    for path, body in all_contents(site):
        assert not body.find(["script", "iframe", "object", "embed"]), path
        for tag in body.find_all(True):
            assert not [name for name in tag.attrs if name.lower().startswith("on")], f"{path}: {tag}"


def test_sanitising_keeps_the_harmless_text_around_active_content(site):
    body = content_of(item(site, "feeds/all.rss.xml", "Dirty Post"))
    assert body.find("p", string="A click-tracked paragraph.") is not None
    assert "The rest of the advice." in body.get_text()


def test_each_removal_is_a_warning_naming_the_post(tmp_path, caplog):
    files = minimal_files() | {"posts/a-post.md": post(Id=DIRTY_ID, body=DIRTY_BODY)}
    build_fixture(tmp_path, files)
    removals = [message for message in warnings_of(caplog) if "is left out of its feed items" in message]
    assert all("posts/a-post.md" in message for message in removals)
    reported = " ".join(removals)
    assert "<iframe> element" in reported
    # The site feed and four others carry the post, but each removal is reported once per build.
    assert len(removals) == 1


def test_script_and_javascript_urls_are_removed_from_html():
    cleaned = feed_html('<p>Hi <a href="javascript:alert(1)">x</a></p><script>alert(1)</script>', "https://s.test/p/")
    assert cleaned.html == "<p>Hi <a>x</a></p>"
    assert cleaned.removed == ("'javascript:alert(1)' URL in href of <a>", "<script> element")


def test_obfuscated_javascript_scheme_is_removed():
    cleaned = feed_html(
        '<a href=" jav&#x09;ascript:alert(1)">x</a><a href="&#74;avascript:alert(1)">y</a>', "https://s.test/"
    )
    assert cleaned.html == "<a>x</a><a>y</a>"


def test_markdown_table_alignment_style_is_kept_and_other_styles_are_removed():
    cleaned = feed_html('<td style="text-align: left;">a</td><div style="position: fixed">b</div>', "https://s.test/")
    assert cleaned.html == '<td style="text-align: left;">a</td><div>b</div>'


def test_srcset_is_split_into_candidates_like_browsers_do():
    assert split_srcset("a.png, b,c.png 2x,d.png 3x") == [("a.png", ""), ("b,c.png", "2x"), ("d.png", "3x")]


# --- Determinism and the validator's rules ----------------------------------------------


def test_two_builds_write_byte_identical_feeds(site, tmp_path):
    again = build_fixture(tmp_path)
    first = {path.relative_to(site): path.read_bytes() for path in feed_files(site)}
    second = {path.relative_to(again): path.read_bytes() for path in feed_files(again)}
    assert first == second


def test_items_built_in_worker_processes_give_byte_identical_feeds(site, tmp_path):
    parallel = build_fixture(tmp_path, SYNDICATION_WORKERS=2, SYNDICATION_MIN_BATCH=1)
    in_process = {path.relative_to(site): path.read_bytes() for path in feed_files(site)}
    assert {path.relative_to(parallel): path.read_bytes() for path in feed_files(parallel)} == in_process


def test_items_are_shared_out_among_worker_processes():
    articles = [SimpleNamespace(source_path=f"post-{number}") for number in range(6)]
    built_by = build_items(articles, lambda article: os.getpid(), workers=3, min_batch=1)
    assert len(set(built_by.values())) == 3 and os.getpid() in built_by.values()


def test_a_failing_worker_fails_the_build_with_its_traceback():
    # One share-out for feed items and pages (blogcore.workers): a worker's error is
    # raised in the build process, never retried there silently.
    parent = os.getpid()

    def build(article):
        if os.getpid() != parent:
            raise RuntimeError("worker failure")
        return article.source_path.upper()

    articles = [SimpleNamespace(source_path=f"post-{number}") for number in range(6)]
    with pytest.raises(RuntimeError, match="worker failure") as raised:
        build_items(articles, build, workers=3, min_batch=1)
    assert any("Raised in a feed item worker" in note for note in raised.value.__notes__)


def test_last_build_date_is_the_newest_item_change_not_the_clock(site):
    assert channel(site, "feeds/all.rss.xml").findtext("lastBuildDate") == "Tue, 01 Apr 2014 10:30:00 -0700"


def test_feed_without_items_takes_the_sites_last_change_as_build_date(site):
    empty = channel(site, "feeds/author/cy-newcomer.rss.xml")
    assert empty.find("item") is None
    assert empty.findtext("lastBuildDate") == "Tue, 01 Apr 2014 10:30:00 -0700"


def test_every_channel_has_an_atom_self_link_to_itself(site):
    for path in feed_files(site):
        (self_link,) = channel(site, path.relative_to(site)).xpath("atom:link[@rel='self']", namespaces=NS)
        assert self_link.get("href") == f"{TEST_SITEURL}/{path.relative_to(site).as_posix()}"
        assert self_link.get("type") == "application/rss+xml"


def test_every_channel_has_a_title_page_link_description_and_language(site):
    for path in feed_files(site):
        root = channel(site, path.relative_to(site))
        assert root.findtext("title") and root.findtext("description"), path
        assert root.findtext("link").startswith(TEST_SITEURL + "/"), path
        assert not root.findtext("link").endswith(".xml"), path
        assert root.findtext("language") == "en", path


def test_every_date_is_rfc_822_with_the_right_weekday(site):
    for path in feed_files(site):
        root = channel(site, path.relative_to(site))
        for value in root.xpath("lastBuildDate/text() | item/pubDate/text()"):
            assert RFC2822.match(value), f"{path}: {value}"
            assert email.utils.format_datetime(email.utils.parsedate_to_datetime(value))[:3] == value[:3]


def test_feed_html_uses_only_what_the_w3c_validator_accepts(site):
    for path, body in all_contents(site):
        for tag in body.find_all(True):
            assert tag.name in W3C_SAFE_TAGS, f"{path}: <{tag.name}>"
            assert set(tag.attrs) <= W3C_SAFE_ATTRIBUTES, f"{path}: {tag}"


# --- Partner syndication ----------------------------------------------------------------


def test_syndication_feed_carries_only_the_categories_the_partner_takes(site):
    assert titles(site, "feeds/syndication/intern-blog.rss.xml") == ["Dirty Post"]


def test_syndication_feed_of_a_partner_taking_all_leaves_out_syndicate_no(site):
    assert titles(site, "feeds/syndication/all-blog.rss.xml") == ["Moves Post", "Dirty Post", "Rich Post", "No Id Post"]


def test_partner_that_syndicates_nothing_has_no_syndication_feed(site):
    assert not (site / "feeds/syndication/acme-hiring.rss.xml").exists()


def test_syndication_items_end_with_the_originally_published_footer(site):
    body = content_of(item(site, "feeds/syndication/all-blog.rss.xml", "Rich Post"))
    footer = body.find_all("p")[-1]
    permalink = f"{TEST_SITEURL}/2014/03/rich-post/"
    assert footer.get_text() == f"Originally published on YouTern: {permalink}"
    assert footer.a["href"] == permalink


def test_syndication_footer_names_the_canonical_url_of_a_post_first_published_elsewhere(site):
    body = content_of(item(site, "feeds/syndication/all-blog.rss.xml", "Moves Post"))
    canonical = body.find(class_="syndication-canonical")
    assert canonical.a["href"] == "https://elsewhere.example/original/"


def test_syndication_items_name_every_author_in_a_byline_after_the_guest_credit(site):
    body = content_of(item(site, "feeds/syndication/all-blog.rss.xml", "Rich Post"))
    credit = body.find(class_="guest-credit")
    byline = credit.find_next_sibling("p")
    assert byline["class"] == ["syndication-byline"]
    assert byline.get_text() == "By Ada Writer and Bo Editor"
    assert [a["href"] for a in byline.find_all("a")] == [
        f"{TEST_SITEURL}/author/ada-writer/",
        f"{TEST_SITEURL}/author/bo-editor/",
    ]


def test_syndication_channel_names_the_blog_and_links_its_home_page(site):
    root = channel(site, "feeds/syndication/intern-blog.rss.xml")
    assert root.findtext("title") == "YouTern Career Advice"
    assert root.findtext("link") == f"{TEST_SITEURL}/"
    assert "for Intern Blog to republish" in root.findtext("description")
    # Item links stay the original posts.
    assert root.xpath("item/link/text()") == [f"{TEST_SITEURL}/2014/03/dirty-post/"]


def test_post_first_published_elsewhere_links_its_original_as_atom_via(site):
    (via,) = item(site, "feeds/all.rss.xml", "Moves Post").xpath("atom:link[@rel='via']", namespaces=NS)
    assert via.get("href") == "https://elsewhere.example/original/"
    assert not item(site, "feeds/all.rss.xml", "Rich Post").xpath("atom:link", namespaces=NS)


def test_automatic_summary_is_cut_back_to_its_last_whole_sentence(tmp_path):
    body = "First sentence here. " + " ".join(["word"] * 80) + " end."
    files = {**minimal_files(), "posts/a-post.md": post(body=body)}
    output = build_fixture(tmp_path, files)
    assert item(output, "feeds/all.rss.xml", "A Post").findtext("description") == "First sentence here."


def test_reader_feeds_have_no_syndication_footer(site):
    for path, body in all_contents(site):
        if "/syndication/" not in path.as_posix():
            assert "Originally published on" not in body.get_text(), path


# --- Pages: /syndication/ and autodiscovery ---------------------------------------------


def test_syndication_page_lists_every_feed_in_every_format(site):
    page = soup(site / "syndication/index.html")
    listed = {link["href"]: link["type"] for link in page.select("main a[type]")}
    written = [path for path in (site / "feeds").rglob("*") if path.is_file()]
    assert set(listed) == {f"{TEST_SITEURL}/{path.relative_to(site).as_posix()}" for path in written}
    assert set(listed.values()) == {"application/rss+xml", "application/atom+xml", "application/feed+json"}


def test_syndication_page_says_why_a_partner_has_no_feed(site):
    note = soup(site / "syndication/index.html").find(id="feeds-partner").find_next(class_="feed-none")
    assert note.get_text() == (
        "No feed yet for All Blog and Intern Blog: no guest post of theirs is published yet. "
        "Their feed appears here with the first post it carries."
    )


def test_partner_page_without_guest_posts_advertises_no_feed(site):
    assert _feed_links(site / "partner/all-blog/index.html") == [f"{TEST_SITEURL}/feeds/all.rss.xml"]


def test_syndication_page_has_one_h1_and_the_republishing_terms(site):
    page = soup(site / "syndication/index.html")
    assert [h1.get_text() for h1 in page.find_all("h1")] == ["Feeds and syndication"]
    assert page.find(id="terms-title").get_text() == "Republishing terms for partner blogs"


def test_every_page_links_the_site_feed_for_autodiscovery(site):
    for page in html_pages(site):
        links = soup(page).head.find_all("link", rel="alternate", type="application/rss+xml")
        assert f"{TEST_SITEURL}/feeds/all.rss.xml" in {link["href"] for link in links}, page


def _feed_links(page, media_type="application/rss+xml"):
    return [link["href"] for link in soup(page).head.find_all("link", rel="alternate", type=media_type)]


def test_post_page_links_its_category_tag_author_and_series_feeds(site):
    assert _feed_links(site / "2014/03/rich-post/index.html") == [
        f"{TEST_SITEURL}/feeds/{path}.rss.xml"
        for path in (
            "all",
            "category/job-interviews",
            "tag/recruiters",
            "tag/interviews",
            "author/ada-writer",
            "author/bo-editor",
            "series/test-series",
        )
    ]


@pytest.mark.parametrize(
    "page, feed",
    [
        ("category/internships", "category/internships"),
        ("tag/recruiters", "tag/recruiters"),
        ("author/bo-editor", "author/bo-editor"),
        ("partner/acme-hiring", "partner/acme-hiring"),
        ("series/test-series", "series/test-series"),
    ],
)
def test_listing_pages_link_their_own_feed(site, page, feed):
    assert _feed_links(site / page / "index.html")[1:] == [f"{TEST_SITEURL}/feeds/{feed}.rss.xml"]


@pytest.mark.parametrize("media_type", ["application/atom+xml", "application/feed+json"])
def test_every_rss_autodiscovery_link_has_an_atom_and_a_json_feed_beside_it(site, media_type):
    ending = ".atom.xml" if "atom" in media_type else ".feed.json"
    for page in html_pages(site):
        rss = [href.removesuffix(".rss.xml") + ending for href in _feed_links(page)]
        assert _feed_links(page, media_type) == rss, page


def test_every_autodiscovery_link_points_to_a_written_feed(site):
    for page in html_pages(site):
        for media_type in ("application/rss+xml", "application/atom+xml", "application/feed+json"):
            for href in _feed_links(page, media_type):
                assert (site / href.removeprefix(TEST_SITEURL + "/")).is_file(), f"{page}: {href}"


# --- The real site and settings ---------------------------------------------------------


def test_real_site_feeds_parse_cleanly(real_site):
    feeds = feed_files(real_site)
    assert len(feeds) > 20
    for path in feeds:
        assert feedparser.parse(path.read_bytes()).bozo == 0, path


def test_real_site_has_a_syndication_feed_for_each_partner_blog(real_site):
    written = sorted(path.name for path in (real_site / "feeds/syndication").glob("*.rss.xml"))
    assert written == ["campus-careers-weekly.rss.xml", "the-hiring-desk.rss.xml"]


def test_real_site_feed_html_uses_only_what_the_w3c_validator_accepts(real_site):
    for path, body in all_contents(real_site):
        for tag in body.find_all(True):
            assert tag.name in W3C_SAFE_TAGS, f"{path}: <{tag.name}>"
            assert set(tag.attrs) <= W3C_SAFE_ATTRIBUTES, f"{path}: {tag}"


def test_wrong_settings_are_all_reported_at_once():
    with pytest.raises(SettingsError) as raised:
        syndication_settings({"SYNDICATION_ITEM_LIMIT": 0, "SYNDICATION_TAG_RSS": "feeds/tag.rss.xml"})
    assert str(raised.value).splitlines() == [
        "Setting 'SYNDICATION_ITEM_LIMIT': expected a whole number from 1, got 0",
        "Setting 'SYNDICATION_TAG_RSS': must contain {slug}, got 'feeds/tag.rss.xml'",
    ]


def test_an_unknown_setting_is_named_with_a_did_you_mean():
    with pytest.raises(SettingsError) as raised:
        syndication_settings({"SYNDICATION_ITEM_LIMT": 5})
    assert str(raised.value) == (
        "Setting 'SYNDICATION_ITEM_LIMT': unknown setting; did you mean 'SYNDICATION_ITEM_LIMIT'?"
    )
