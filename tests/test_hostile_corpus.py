"""Issue 12's hostile corpus: every field of posts, authors, partners and series crossed with
payload classes, each site built with the real settings, every page and feed parsed.

A payload is either refused by the build (ContentProblems naming the file, the previous output
untouched) or shown harmlessly, as text. The payloads, the fixture sites and the checks are in
hostile.py; this file says which outcome each payload must have:

(a) text fields holding markup characters build; no page or feed then holds anything that can
    run, and every field reads back as its literal text;
(b) dangerous URLs in URL fields and disallowed markup in guest bodies, profile bodies (bios,
    partner and series descriptions) and staff bodies (scripts, handlers) are refused, every one
    of them named in one report; what the sanitiser makes of profile bodies holds nothing active;
(c) random combinations of fragments in a guest post's title and body give one or the other,
    never a traceback.
"""

import contextlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import hostile as h
import pytest
from editorial.profiles import markdown_renderer, render_markdown
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from support import ROOT, TEST_SITEURL, build_site, write_site

from tools.build import ContentProblems, load_settings

SITE = TEST_SITEURL


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


@dataclass
class BuiltSite:
    """A fixture site as built: its corpus, output folder and every page parsed."""

    corpus: h.Corpus
    output: Path
    pages: dict

    def page(self, relpath):
        """The parsed page at `relpath`, failing the test when the build did not write it."""
        assert relpath in self.pages, f"{relpath} was not written; pages: {sorted(self.pages)[:40]}"
        return self.pages[relpath]


def build_accepted(root, corpus, what):
    """Build `corpus` under `root`; fail with the report when the build refuses it."""
    content = write_site(root, corpus.files)
    output = root / "output"
    try:
        build_site(content, output)
    except ContentProblems as problems:
        lines = report_lines(problems)
        shown = "\n".join(lines[:12]) + (f"\n... and {len(lines) - 12} more" if len(lines) > 12 else "")
        pytest.fail(f"{what} must build, but the build refused it ({len(lines)} problems):\n{shown}", pytrace=False)
    return BuiltSite(corpus, output, h.site_pages(output))


def snapshot(folder):
    """Every file under `folder` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in Path(folder).rglob("*") if p.is_file()}


def report_lines(problems):
    """The report's problem lines (without the closing count line)."""
    return [str(problem) for problem in problems.problems]


def names_file(line, path, field=None):
    """True when a report line is about content/`path` (and its header `field`)."""
    location = f"content/{path}"
    if not (line.startswith(location + ":") or line.startswith(location + " ")):
        return False
    if field is None:
        return True
    after = line[len(location) :].lstrip(":0123456789 ")
    return after.lower().startswith(f"{field.lower()}:")


def build_either(root, files, payload_files):
    """Build a site whose payload files may each be refused or built harmlessly.

    Returns (refused payload files, the BuiltSite of what remained). A refusal must name only
    payload files; the rest is then built again, and must build.
    """
    content = write_site(root / "first", files)
    try:
        build_site(content, root / "first" / "output")
        return set(), BuiltSite(None, root / "first" / "output", h.site_pages(root / "first" / "output"))
    except ContentProblems as problems:
        lines = report_lines(problems)
    refused = {path for path in payload_files if any(names_file(line, path) for line in lines)}
    collateral = [line for line in lines if not any(names_file(line, path) for path in payload_files)]
    assert not collateral, "the build refused files that hold no payload:\n" + "\n".join(collateral)
    remaining = {path: text for path, text in files.items() if path not in refused}
    content = write_site(root / "second", remaining)
    try:
        build_site(content, root / "second" / "output")
    except ContentProblems as problems:
        pytest.fail(
            f"with the refused files {sorted(refused)} left out, the build still fails:\n{problems.report()}",
            pytrace=False,
        )
    return refused, BuiltSite(None, root / "second" / "output", h.site_pages(root / "second" / "output"))


@pytest.fixture(scope="module")
def text_site(tmp_path_factory):
    """Site (a): markup characters in every text field of posts and profiles."""
    return build_accepted(tmp_path_factory.mktemp("text-site"), h.accepted_text_corpus(), "the text-field corpus")


def assert_no_findings(findings):
    """Fail with the first findings when there are any."""
    assert not findings, f"{len(findings)} finding(s):\n" + "\n".join(findings[:25])


# --------------------------------------------------------------------------------------------
# (a) Accepted: nothing can run on any page
# --------------------------------------------------------------------------------------------


def test_the_text_site_has_every_page_type(text_site):
    """The checks below look at real pages: every kind of page the corpus reaches was written."""
    corpus = text_site.corpus
    expected = [spec.page for spec in corpus.posts] + [
        "index.html",
        "archives/index.html",
        "404.html",
        "syndication/index.html",
        "category/job-interviews/index.html",
        f"author/{corpus.author['id']}/index.html",
        f"partner/{corpus.partner['id']}/index.html",
        f"series/{corpus.series['id']}/index.html",
        *corpus.redirects,
    ]
    missing = [path for path in expected if path not in text_site.pages]
    assert not missing, f"pages not written: {missing}"
    assert len([p for p in text_site.pages if p.startswith("tag/")]) >= len(h.TEXT_PAYLOADS)


@pytest.mark.parametrize("check", list(h.PAGE_CHECKS))
def test_text_site_pages_hold_nothing_active(text_site, check):
    """Every page of site (a), parsed as a browser parses it, passes `check` (see hostile.py)."""
    findings = h.all_page_findings(text_site.pages, SITE, text_site.corpus.redirects)
    assert_no_findings(findings[check])


# Profiles are not trusted: markup outside the guest list in a bio or a description is an
# error naming the file, like a guest body's; and what the profile renderer makes of it holds
# nothing active even if the check had missed it.
STRIPPED_PROFILES = {
    "author": "authors/stripped-author.md",
    "partner": "partners/stripped-partner.md",
    "series": "series/stripped-series.md",
}


def test_profile_bodies_holding_markup_are_refused_by_name(tmp_path):
    corpus = h.accepted_stripped_corpus()
    output = tmp_path / "output"
    build_site(write_site(tmp_path / "good", h.base_files()), output)
    before = snapshot(output)
    with pytest.raises(ContentProblems) as raised:
        build_site(write_site(tmp_path / "bad", corpus.files), output)
    lines = report_lines(raised.value)
    for path in STRIPPED_PROFILES.values():
        named = [line for line in lines if names_file(line, path, "body")]
        # Each kind of markup once: scripts, handlers, URLs, meta, base, link, style, frames, forms.
        assert len(named) >= 10, f"{path}: {named}"
    assert not [line for line in lines if not any(names_file(line, path) for path in STRIPPED_PROFILES.values())]
    assert snapshot(output) == before


@pytest.mark.parametrize("kind", list(STRIPPED_PROFILES))
def test_what_the_profile_renderer_makes_of_them_holds_nothing_active(kind):
    corpus = h.accepted_stripped_corpus()
    body = corpus.files[STRIPPED_PROFILES[kind]].split("\n\n", 1)[1]
    renderer = markdown_renderer(load_settings(ROOT / "pelicanconf.py"))
    html = str(render_markdown(renderer, body))
    assert h.fragment_findings(kind, html, SITE) == []
    marker = getattr(corpus, kind)["marker"]
    text = h.text_of(h.etree_wrap(h.parse_fragment(html)))
    assert f"{marker} begins." in text and f"{marker} ends." in text


# --------------------------------------------------------------------------------------------
# (a) Accepted: every field reads back as its literal text
# --------------------------------------------------------------------------------------------


def anchors(root):
    """(text, href) of every <a> of a page."""
    return [(h.text_of(a), h.attributes(a).get("href", "")) for a in h.find_all(root, "a")]


def jsonld(root):
    """Every JSON-LD object of a page that parses (its escaping is checked elsewhere)."""
    found = []
    for script in h.find_all(root, "script"):
        if h.attributes(script).get("type", "").lower() == "application/ld+json":
            with contextlib.suppress(ValueError):
                found.append(json.loads(script.text or ""))
    return found


def meta_content(root, **match):
    """The content of the first <meta> whose attributes include `match`, or None."""
    for meta in h.find_all(root, "meta"):
        attrs = h.attributes(meta)
        if all(attrs.get(key.replace("_", ":")) == value for key, value in match.items()):
            return attrs.get("content")
    return None


def body_text(root):
    """What a reader sees of the page's body."""
    return h.text_of(h.head_and_body(root)[1])


def listing_pages(site, prefix):
    """A listing's pages: those under `prefix`, or for "" the home page and its later pages."""
    if not prefix:
        return [root for path, root in site.pages.items() if path == "index.html" or path.startswith("page/")]
    return [root for path, root in site.pages.items() if path.startswith(prefix)]


def test_titles_are_text_in_the_post_heading(text_site):
    """The title's literal characters ("<script>", "&lt;img") are the text of the page's <h1>."""
    wrong = []
    for spec in text_site.corpus.posts:
        headings = [h.text_of(e) for e in h.find_all(text_site.page(spec.page), "h1")]
        if h.squash(spec.title) not in headings:
            wrong.append(f"{spec.page}: <h1> texts {headings}, expected {spec.title!r}")
    assert_no_findings(wrong)


def test_titles_are_text_in_the_document_title_and_metadata(text_site):
    """<title>, og:title and the JSON-LD headline hold the literal title."""
    wrong = []
    for spec in text_site.corpus.posts:
        page = text_site.page(spec.page)
        expected = f"{h.squash(spec.title)} | {h.SITENAME}"
        titles = [h.squash(e.text or "") for e in h.find_all(page, "title")]
        if titles != [expected]:
            wrong.append(f"{spec.page}: <title> {titles}, expected {expected!r}")
        og = meta_content(page, property="og:title")
        if og is None or h.squash(og) != expected:
            wrong.append(f"{spec.page}: og:title {og!r}, expected {expected!r}")
        headlines = [data.get("headline") for data in jsonld(page) if "headline" in data]
        if headlines != [spec.title]:
            wrong.append(f"{spec.page}: JSON-LD headline {headlines}, expected {spec.title!r}")
    assert_no_findings(wrong)


@pytest.mark.parametrize(
    "listing", ["", "archives/", "category/job-interviews/", "author/hostile-author/", "series/hostile-series/"]
)
def test_titles_are_text_in_listings(text_site, listing):
    """Home, archives, category, author and series pages link each post with its literal title."""
    pages = listing_pages(text_site, listing)
    assert pages, f"no page under {listing or 'the site root'}"
    texts = {text for root in pages for text, _ in anchors(root)}
    specs = [spec for spec in text_site.corpus.posts if listing != "series/hostile-series/" or spec.series]
    missing = [spec.title for spec in specs if not any(h.squash(spec.title) in text for text in texts)]
    assert not missing, f"titles not shown as text on {listing or 'the home page'}: {missing}"


def test_redirect_pages_show_the_title_as_text(text_site):
    """A redirect page left by an alias names the post with its literal title."""
    for relpath, slug in text_site.corpus.redirects.items():
        spec = text_site.corpus.post(slug)
        texts = [text for text, href in anchors(text_site.page(relpath)) if href == spec.url]
        assert h.squash(spec.title) in texts, f"{relpath}: links to the post read {texts}"


def test_summaries_are_text(text_site):
    """An entity-escaped Summary reaches the meta description, JSON-LD and the home page as text
    (read as text or as Markdown, as Pelican reads it: either way, no markup)."""
    wrong = []
    home = " ".join(body_text(root) for root in listing_pages(text_site, ""))
    for spec in text_site.corpus.posts:
        if spec.summary is None:
            continue
        page = text_site.page(spec.page)
        readings = {h.squash(spec.summary), h.squash(html.unescape(spec.summary))}
        description = meta_content(page, name="description")
        if description is None or h.squash(description) not in readings:
            wrong.append(f"{spec.page}: meta description {description!r}, expected one of {readings}")
        ld = [data.get("description") for data in jsonld(page) if "headline" in data]
        if len(ld) != 1 or h.squash(ld[0] or "") not in readings:
            wrong.append(f"{spec.page}: JSON-LD description {ld}, expected one of {readings}")
        if not any(reading in home for reading in readings):
            wrong.append(f"home page: summary of {spec.slug} not shown as text")
    assert_no_findings(wrong)


def test_a_first_paragraph_with_comment_openers_reaches_json_ld_as_text(text_site):
    """Without a Summary the description comes from the first paragraph: its backticked
    `<!--<script>` and `</script>` arrive in JSON-LD and the meta description as text."""
    wrong = []
    for spec in text_site.corpus.posts:
        if spec.summary is not None:
            continue
        page = text_site.page(spec.page)
        descriptions = [data.get("description") or "" for data in jsonld(page) if "headline" in data]
        descriptions.append(meta_content(page, name="description") or "")
        for description in descriptions:
            if "<!--<script>" not in description or "</script>" not in description:
                wrong.append(f"{spec.page}: description {description!r} lost the first paragraph's code")
    assert_no_findings(wrong)


def test_bodies_show_markup_in_code_and_escaped_text_as_text(text_site):
    """Code spans, indented and fenced code and entity-escaped markup read as text, for staff
    and guest posts alike."""
    wrong = []
    for spec in text_site.corpus.posts:
        text = body_text(text_site.page(spec.page))
        wrong += [f"{spec.page}: {piece!r} not shown" for piece in spec.visible_body if h.squash(piece) not in text]
    assert_no_findings(wrong)


def test_tags_are_text_on_posts_tag_pages_and_metadata(text_site):
    """Each tag reads as its literal text on the post, on its own tag page (heading and
    <title>) and in article:tag."""
    wrong = []
    for spec in text_site.corpus.posts:
        page = text_site.page(spec.page)
        tag_links = {
            h.text_of(a): h.attributes(a).get("href", "")
            for a in h.find_all(page, "a")
            if "tag" in h.attributes(a).get("rel", "").split()
        }
        meta_tags = [
            h.attributes(m).get("content")
            for m in h.find_all(page, "meta")
            if h.attributes(m).get("property") == "article:tag"
        ]
        for tag in spec.tags:
            if h.squash(tag) not in tag_links:
                wrong.append(f"{spec.page}: tag {tag!r} not shown; tag links read {sorted(tag_links)}")
                continue
            if tag not in meta_tags:
                wrong.append(f"{spec.page}: article:tag {meta_tags} lacks {tag!r}")
            tag_page = urlsplit(tag_links[h.squash(tag)]).path.lstrip("/") + "index.html"
            if tag_page not in text_site.pages:
                wrong.append(f"{spec.page}: tag {tag!r} links to {tag_page}, which was not written")
                continue
            root = text_site.pages[tag_page]
            if h.squash(tag) not in body_text(root) or h.squash(tag) not in h.squash(
                h.find_all(root, "title")[0].text or ""
            ):
                wrong.append(f"{tag_page}: tag {tag!r} not shown as text in its heading and <title>")
    assert_no_findings(wrong)


def test_image_alt_and_credit_are_text(text_site):
    """Image_alt is the alt attribute's literal value; Image_credit reads as text, linked to
    Image_credit_url."""
    wrong = []
    for spec in text_site.corpus.posts:
        page = text_site.page(spec.page)
        alts = [h.attributes(img).get("alt") for img in h.find_all(page, "img")]
        if spec.image_alt not in alts:
            wrong.append(f"{spec.page}: no <img alt={spec.image_alt!r}>; alts are {alts}")
        credit = f"Image courtesy of {h.squash(spec.image_credit)}."
        if credit not in body_text(page):
            wrong.append(f"{spec.page}: {credit!r} not shown as text")
        if not any(
            text == h.squash(spec.image_credit) and href.startswith("https://credit.example/")
            for text, href in anchors(page)
        ):
            wrong.append(f"{spec.page}: the credit is not linked to Image_credit_url")
    assert_no_findings(wrong)


def test_author_profile_fields_are_text(text_site):
    """Name, Role, link labels and the bio read as text on the author page and in each post's
    byline and author box; link URLs are the literal URLs."""
    author = text_site.corpus.author
    page = text_site.page(f"author/{author['id']}/index.html")
    headings = [h.text_of(e) for e in h.find_all(page, "h1")]
    assert h.squash(author["name"]) in headings, f"author page <h1>: {headings}"
    text = body_text(page)
    assert h.squash(author["role"]) in text
    assert author["bio_visible"] in text
    links = anchors(page)
    for label, url in author["links"]:
        assert (h.squash(label), url) in links, f"link {label!r} -> {url} not found in {links[-12:]}"
    for spec in text_site.corpus.posts:
        post_text = body_text(text_site.page(spec.page))
        assert f"By {h.squash(author['name'])}" in post_text, spec.page
        # One author: "About the Author: Name"; several: one "About the Authors" box naming each.
        if len(spec.authors) == 1:
            assert f"About the Author: {h.squash(author['name'])}" in post_text, spec.page
        else:
            assert "About the Authors" in post_text and h.squash(author["name"]) in post_text, spec.page


def test_partner_profile_fields_are_text(text_site):
    """The partner's Name, Url and description on its page, and the Credit line on each guest
    post, read as text (the partner's name linked to its Url)."""
    partner = text_site.corpus.partner
    page = text_site.page(f"partner/{partner['id']}/index.html")
    headings = [h.text_of(e) for e in h.find_all(page, "h1")]
    assert h.squash(partner["name"]) in headings, f"partner page <h1>: {headings}"
    assert partner["description_visible"] in body_text(page)
    assert (f"Visit {h.squash(partner['name'])}", partner["url"]) in anchors(page)
    for spec in text_site.corpus.posts:
        if spec.guest:
            post = text_site.page(spec.page)
            assert partner["credit_visible"] in body_text(post), f"{spec.page}: credit not shown as text"
            assert (h.squash(partner["name"]), partner["url"]) in anchors(post), f"{spec.page}: partner not linked"


def test_series_profile_fields_are_text(text_site):
    """The series Name and description read as text on the series page and on its parts."""
    series = text_site.corpus.series
    page = text_site.page(f"series/{series['id']}/index.html")
    text = body_text(page)
    assert h.squash(series["name"]) in text
    assert series["description_visible"] in text
    names = [data.get("name") for data in jsonld(page)]
    assert series["name"] in names, f"series JSON-LD names: {names}"
    for spec in text_site.corpus.posts:
        if spec.series:
            assert h.squash(series["name"]) in body_text(text_site.page(spec.page)), spec.page


# --------------------------------------------------------------------------------------------
# (a) Accepted: feeds
# --------------------------------------------------------------------------------------------


def parsed_feeds(site):
    """Every feed of the site, parsed (a feed that does not parse fails the test)."""
    files = h.feed_files(site.output)
    assert files, "the site has no feeds"
    feeds, broken = [], []
    for path in files:
        try:
            feeds.append(h.parse_feed(path))
        except Exception as error:  # any parse failure is the finding
            broken.append(f"{path.relative_to(site.output)}: {error}")
    assert not broken, "feeds that do not parse:\n" + "\n".join(broken)
    return feeds


def feed_texts(feed):
    """Every text field of a feed: channel title, item titles, creators, categories."""
    texts = [feed.title] if feed.title else []
    for item in feed.items:
        texts += [item.title, *item.creators, *item.categories]
    return [text for text in texts if text is not None]


def test_feeds_parse_cleanly_in_feedparser(text_site):
    """Every feed parses in lxml and, without complaint (bozo), in feedparser."""
    parsed_feeds(text_site)
    complaints = []
    for path in h.feed_files(text_site.output):
        if path.suffix == ".json":
            continue  # JSON Feed: feedparser reads RSS and Atom only; parsed_feeds read it as JSON
        result = feedparser.parse(path.read_bytes())
        if result.bozo:
            complaints.append(f"{path.relative_to(text_site.output)}: {result.bozo_exception}")
    assert_no_findings(complaints)


def test_feed_text_fields_hold_no_elements(text_site):
    """Channel and item titles, dc:creator and categories are text: no child elements, and no
    elements when a reader parses an HTML-typed title."""
    wrong = [
        f"{text.where}: {text.elements}"
        for feed in parsed_feeds(text_site)
        for text in feed_texts(feed)
        if text.elements
    ]
    assert_no_findings(wrong)


def test_feed_item_titles_are_the_literal_titles(text_site):
    """Each item's title is the post's literal title (an escaped &lt;img …&gt; stays those
    characters), in every feed the post is in."""
    wrong, seen = [], set()
    for feed in parsed_feeds(text_site):
        for item in feed.items:
            spec = h.item_post(item, text_site.corpus.posts)
            if spec is None:
                continue
            seen.add(spec.slug)
            if item.title is None or item.title.text != spec.title:
                wrong.append(f"{item.where}: title {item.title and item.title.text!r}, expected {spec.title!r}")
    assert seen == {spec.slug for spec in text_site.corpus.posts}, f"posts in no feed: {sorted(seen)}"
    assert_no_findings(wrong)


def test_feed_creators_and_categories_are_the_literal_names(text_site):
    """Every author of an item is a dc:creator (or author name) holding the literal name, and
    every tag a category holding the literal tag."""
    wrong = []
    for feed in parsed_feeds(text_site):
        for item in feed.items:
            spec = h.item_post(item, text_site.corpus.posts)
            if spec is None:
                continue
            creators = [text.text for text in item.creators]
            # RSS names every author in one dc:creator ("A and B"); Atom and JSON one each.
            missing = [name for name in spec.authors if not any(name in creator for creator in creators)]
            if missing:
                wrong.append(f"{item.where}: creators {creators} lack {missing}")
            categories = [text.text for text in item.categories]
            missing = [tag for tag in spec.tags if tag not in categories]
            if missing:
                wrong.append(f"{item.where}: categories {categories} lack {missing}")
    assert_no_findings(wrong)


def test_feed_channel_titles_name_profiles_as_text(text_site):
    """Author, partner, series and tag feeds are titled with the literal name or tag."""
    corpus = text_site.corpus
    by_name = {feed.path.relative_to(text_site.output).as_posix(): feed for feed in parsed_feeds(text_site)}
    expected = {
        f"author/{corpus.author['id']}": corpus.author["name"],
        f"partner/{corpus.partner['id']}": corpus.partner["name"],
        f"series/{corpus.series['id']}": corpus.series["name"],
    }
    # A tag feed is found from its tag page's <link rel="alternate">.
    tag_page = text_site.page(corpus.posts[0].page)
    for a in h.find_all(tag_page, "a"):
        if "tag" in h.attributes(a).get("rel", "").split():
            root = text_site.pages.get(urlsplit(h.attributes(a)["href"]).path.lstrip("/") + "index.html")
            for link in h.find_all(root, "link") if root is not None else []:
                href = h.attributes(link).get("href", "")
                if "alternate" in h.attributes(link).get("rel", "").split() and "/feeds/tag/" in href:
                    expected[urlsplit(href).path.lstrip("/").removeprefix("feeds/").rsplit(".", 2)[0]] = h.text_of(a)
    wrong = []
    for stem, name in expected.items():
        feeds = [feed for path, feed in by_name.items() if path.startswith(f"feeds/{stem}.")]
        if not feeds:
            wrong.append(f"no feed for {stem}")
        for feed in feeds:
            if feed.title is None or h.squash(name) not in h.squash(feed.title.text):
                wrong.append(f"{feed.path.name}: channel title {feed.title and feed.title.text!r} lacks {name!r}")
    assert len(expected) > 3, "no tag feed was found from the tag pages"
    assert_no_findings(wrong)


def test_feed_content_holds_nothing_active(text_site):
    """Descriptions, content:encoded (and Atom or JSON content), parsed as HTML, hold no script,
    handler, dangerous URL, frame, style, base, meta, link or form."""
    findings = []
    for feed in parsed_feeds(text_site):
        for item in feed.items:
            for where, markup in item.html:
                findings += h.fragment_findings(where, markup, SITE)
    assert_no_findings(findings)


_RAW_TAG = re.compile(r"</?[A-Za-z]")


def test_feedparser_reads_escaped_titles_as_text(text_site):
    """feedparser never turns escaped text into markup: a title that holds no raw tag (the
    escaped &lt;img …&gt;, quotes and break-outs) reads back as text alone, the literal
    characters (or, where feedparser takes the title for HTML, those characters decoded once).

    Titles holding raw tags are left to the lxml checks above: feedparser guesses that an RSS
    title holding well-known closed tags is HTML, whatever the feed does.
    """
    escaped = [spec for spec in text_site.corpus.posts if not _RAW_TAG.search(spec.title)]
    assert any(spec.title == h.ESCAPED_IMG_TITLE for spec in escaped)
    wrong = []
    for path in h.feed_files(text_site.output):
        for entry in feedparser.parse(path.read_bytes()).entries:
            links = [urlsplit(link).path for link in (entry.get("link", ""), entry.get("id", "")) if link]
            spec = next((s for s in escaped if urlsplit(s.url).path in links), None)
            if spec is None:
                continue
            detail = entry.get("title_detail", {})
            value = entry.get("title", "")
            if detail.get("type") in ("text/html", "application/xhtml+xml"):
                fragment = h.etree_wrap(h.parse_fragment(value))
                inner = [h.short(e) for e in h.elements(fragment)[1:]]
                if inner or h.text_of(fragment) not in (h.squash(spec.title), h.squash(html.unescape(spec.title))):
                    wrong.append(f"{path.name}: {spec.slug} title {value!r} read as {inner or h.text_of(fragment)!r}")
            elif value != spec.title:
                wrong.append(f"{path.name}: {spec.slug} title {value!r}, expected {spec.title!r}")
    assert_no_findings(wrong)


# --------------------------------------------------------------------------------------------
# (b) Refused: one build per group reports every payload, and leaves the last output alone
# --------------------------------------------------------------------------------------------

REFUSED = h.refused_groups()
REFUSED_CASES = [
    pytest.param(group, path, field_name, id=f"{group}:{case}")
    for group, cases in REFUSED.items()
    for case, path, field_name, _ in cases
]


@dataclass
class Refusal:
    """What one refused-group build did."""

    lines: list | None  # the report's lines, None when the build was not refused
    other: str | None  # an exception that is not ContentProblems
    output_kept: bool


@pytest.fixture(scope="module")
def refusals(tmp_path_factory):
    """Each refused group built once into the output folder of a good site: group -> Refusal."""
    root = tmp_path_factory.mktemp("refused")
    output = root / "output"
    good = {**h.base_files(), "posts/good.md": h.header(h.post_fields("good", 1, Title="A good post"), "Advice.")}
    build_site(write_site(root / "good", good), output)
    results = {}

    def refusal(group):
        if group not in results:
            before = snapshot(output)
            files = {**h.base_files(), **{path: text for _, path, _, text in REFUSED[group]}}
            lines = other = None
            try:
                build_site(write_site(root / group, files), output)
            except ContentProblems as problems:
                lines = report_lines(problems)
            except Exception as error:  # anything else is the finding
                other = f"{type(error).__name__}: {error}"
            results[group] = Refusal(lines, other, snapshot(output) == before)
        return results[group]

    return refusal


@pytest.mark.parametrize("group", list(REFUSED))
def test_a_refused_group_fails_with_one_report_and_keeps_the_output(refusals, group):
    """The build raises ContentProblems (nothing else), every line names a content file, and the
    previous output is byte for byte as it was."""
    result = refusals(group)
    assert result.other is None, f"the build failed with {result.other}, not a content report"
    assert result.lines is not None, f"the {group} corpus built: nothing was refused"
    assert all(line.startswith("content/") for line in result.lines), result.lines
    assert result.output_kept, "the refused build changed the previous output"


@pytest.mark.parametrize(("group", "path", "field_name"), REFUSED_CASES)
def test_every_refused_payload_is_named_in_the_report(refusals, group, path, field_name):
    """The report names the payload's file, and its header field where it is one."""
    result = refusals(group)
    assert result.lines is not None, f"the {group} corpus built: nothing was refused ({result.other})"
    about_file = [line for line in result.lines if names_file(line, path)]
    assert about_file, f"content/{path} is not named; the report has {len(result.lines)} lines"
    if field_name:
        assert any(names_file(line, path, field_name) for line in about_file), about_file


# --------------------------------------------------------------------------------------------
# Either outcome: refused and named, or built with nothing active
# --------------------------------------------------------------------------------------------


def either_groups():
    """{group: files}: payloads whose outcome the contract leaves open."""
    staff = {
        f"posts/staff-{name}.md": h.staff_post(f"staff-{name}", 1 + n, body)
        for n, (name, body) in enumerate(h.STAFF_EITHER.items())
    }
    summaries = {}
    for n, payload in enumerate(h.TEXT_PAYLOADS):
        for guest in (False, True):
            slug = f"summary-{n}-{'guest' if guest else 'staff'}"
            fields = h.post_fields(
                slug, 1 + n, Title=f"Summary {n}", Summary=payload, Partner="acme-hiring" if guest else None
            )
            summaries[f"posts/{slug}.md"] = h.header(fields, "Advice.")
    return {"staff-bodies": staff, "summaries": summaries}


EITHER = either_groups()


@pytest.mark.parametrize("group", list(EITHER))
def test_open_payloads_are_refused_or_harmless(tmp_path, group):
    """Staff bodies with handlers, vbscript:/data: links, meta, base, link, style, form, object
    or a comment opener, and raw markup in Summary: each post is refused by name, or built with
    every page passing every check."""
    payloads = EITHER[group]
    refused, built = build_either(tmp_path, {**h.base_files(), **payloads}, payloads)
    findings = h.all_page_findings(built.pages, SITE)
    assert_no_findings([message for messages in findings.values() for message in messages])
    accepted = [path for path in payloads if path not in refused]
    for path in accepted:
        slug = Path(path).stem
        assert f"2014/03/{slug}/index.html" in built.pages, f"{path} was neither refused nor published"


# --------------------------------------------------------------------------------------------
# (c) Random combinations
# --------------------------------------------------------------------------------------------

fragment_lists = st.lists(st.sampled_from(h.FRAGMENTS), min_size=1, max_size=5)


def assert_harmless_with_title(output, title):
    """Every page of a built random site passes every check, and the guest post's <h1> is the title."""
    pages = h.site_pages(output)
    findings = h.all_page_findings(pages, SITE)
    assert_no_findings([message for messages in findings.values() for message in messages])
    headings = [h.text_of(e) for e in h.find_all(pages["2014/03/guest/index.html"], "h1")]
    assert h.squash(title) in headings, f"title {title!r} is not the text of the <h1>: {headings}"


def random_site(title, body):
    """A valid site plus one guest post with `title` and `body`."""
    return {
        **h.base_files(),
        "posts/a-post.md": h.header(h.post_fields("a-post", 1), "Advice."),
        "posts/guest.md": h.header(h.post_fields("guest", 2, Title=title, Partner="acme-hiring"), body),
    }


# No shrinking: each example is a site build, and a failing one is reported as drawn.
@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title_parts=fragment_lists, body_parts=fragment_lists, joiner=st.sampled_from(h.JOINERS))
def test_random_payloads_in_a_guest_post_are_refused_by_name_or_harmless(
    tmp_path_factory, title_parts, body_parts, joiner
):
    """A guest body of random fragments is refused naming the post, or builds harmless; a title
    of random fragments is text: it always builds (with a plain body), harmless, as the <h1>."""
    root = tmp_path_factory.mktemp("random")
    title = " ".join(title_parts)
    try:
        build_site(
            write_site(root / "hostile", random_site(title, "Opening.\n\n" + joiner.join(body_parts))), root / "out"
        )
    except ContentProblems as problems:
        lines = report_lines(problems)
        assert lines and all(names_file(line, "posts/guest.md") for line in lines), lines
        assert not any(names_file(line, "posts/guest.md", "Title") for line in lines), lines
        # The body was refused: the title alone, with a plain body, must build.
        build_site(write_site(root / "plain", random_site(title, "Opening.")), root / "out")
    assert_harmless_with_title(root / "out", title)
