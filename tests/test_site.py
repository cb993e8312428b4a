"""The real site: the seed post, page structure, head metadata, URLs and sitemap."""

import json
import re
from pathlib import Path

import pytest
from lxml import etree
from support import ROOT, TEST_SITEURL, build_site, html_pages, minimal_files, post, soup, write_site

SEED = Path(ROOT).parent / "shared" / "seed" / "when-a-recruiter-calls.txt"
SEED_URL = "2014/02/when-a-recruiter-calls/"


def seed_body_paragraphs():
    """The seed's article body, paragraph by paragraph, without the scraped artefacts."""
    text = SEED.read_text(encoding="utf-8").split("decisions decisions", 1)[1]
    body = text.split("For this post, YouTern thanks", 1)[0]
    return [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]


def page_text(element):
    return " ".join(element.get_text(" ").split())


@pytest.fixture(scope="module")
def seed_page(real_site):
    return soup(real_site / SEED_URL / "index.html")


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed is read-only input outside the repo")
def test_seed_body_is_published_word_for_word(seed_page):
    blocks = [" ".join(el.get_text(" ").split()) for el in seed_page.select(".post-body > p, .post-body > h2")]
    assert blocks == seed_body_paragraphs()


def test_seed_has_its_four_reasons_as_numbered_headings(seed_page):
    headings = [h.get_text(strip=True) for h in seed_page.select(".post-body h2")]
    assert headings == [
        "1. There May Be the Perfect Job Out There",
        "2. You May Learn That the Perfect Job is the One You Have Now",
        "3. You May Learn How to Be a Better Contributor",
        "4. You Will Learn More About What You Need to Know",
    ]


def test_seed_metadata_category_author_partner_date_tags(seed_page):
    assert seed_page.select_one(".post-category").get_text(strip=True) == "Job Interviews"
    assert [a.get_text() for a in seed_page.select(".byline a")] == ["Will Thomson"]
    assert seed_page.select_one(".byline time")["datetime"].startswith("2014-")
    tags = [a.get_text() for a in seed_page.select(".entry-meta a[rel=tag]")]
    assert tags and all(tag.strip() for tag in tags)


def test_seed_artefacts_are_not_in_the_body(seed_page):
    body = page_text(seed_page.select_one(".post-body"))
    for artefact in ("decisions decisions", "Will Thompson", "About the Author", "Image courtesy", "This entry was"):
        assert artefact not in body


def test_every_page_has_landmarks_one_h1_and_a_skip_link(real_site):
    pages = html_pages(real_site)
    assert len(pages) > 20
    for page in pages:
        document = soup(page)
        for landmark in ("header", "nav", "main", "footer"):
            assert document.find(landmark), f"{page}: no <{landmark}>"
        assert len(document.find_all("h1")) == 1, f"{page}: not exactly one h1"
        skip = document.select_one("a.skip-link")
        assert skip and skip["href"] == "#content" and document.find(id="content"), page


def test_every_page_head_has_title_description_canonical_and_social_tags(real_site):
    for page in html_pages(real_site):
        head = soup(page).head
        assert head.title.get_text(strip=True), page
        assert head.find("meta", attrs={"name": "description"})["content"].strip(), page
        canonical = head.find("link", rel="canonical")["href"]
        assert canonical.startswith(TEST_SITEURL + "/"), page
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert head.find("meta", property=prop)["content"].strip(), f"{page}: {prop}"
        assert head.find("meta", attrs={"name": "twitter:card"}), page


def test_post_canonical_and_description_come_from_the_post(seed_page):
    head = seed_page.head
    assert head.find("link", rel="canonical")["href"] == f"{TEST_SITEURL}/{SEED_URL}"
    description = head.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("When a recruiter calls about a job you may be perfect for")
    assert head.find("meta", property="og:type")["content"] == "article"
    # The social card cut from the seed's featured photo (tests/test_images.py checks its size).
    assert re.search(
        r"/images/cards/decisions-decisions-[0-9a-f]{10}\.jpg$", head.find("meta", property="og:image")["content"]
    )


def _blog_posting(document):
    scripts = document.find_all("script", type="application/ld+json")
    data = [json.loads(script.string) for script in scripts]
    return next(item for item in data if item["@type"] == "BlogPosting")


def test_post_json_ld_is_a_blog_posting_with_every_author(real_site):
    part4 = next(p for p in html_pages(real_site) if "resigning-well" in str(p))
    posting = _blog_posting(soup(part4))
    assert posting["@context"] == "https://schema.org"
    assert [(a["@type"], a["name"]) for a in posting["author"]] == [
        ("Person", "Maya Okafor"),
        ("Person", "Daniel Reyes"),
    ]
    assert posting["url"].startswith(TEST_SITEURL)


def test_seed_json_ld_names_will_thomson(seed_page):
    posting = _blog_posting(seed_page)
    assert posting["headline"] == "When a Recruiter Calls: Should You Consider a Career Change?"
    assert [a["name"] for a in posting["author"]] == ["Will Thomson"]
    assert posting["datePublished"].startswith("2014-02-12")


def test_urls_follow_the_design(real_site):
    for path in (
        SEED_URL,
        "author/will-thomson/",
        "authors/",
        "category/job-interviews/",
        "tag/recruiters/",
        "archives/",
        "about/",
        "write-for-us/",
        "series/recruiter-call/",
        "partner/bulls-eye-recruiting/",
    ):
        assert (real_site / path / "index.html").is_file(), path
    assert (real_site / "404.html").is_file()
    assert (real_site / "favicon.svg").is_file()


def test_about_and_write_for_us_pages_are_real(real_site):
    about = soup(real_site / "about/index.html")
    write = soup(real_site / "write-for-us/index.html")
    assert "YouTern" in page_text(about.main)
    assert "guest" in page_text(write.main).lower()
    assert len(page_text(write.main).split()) > 250


def test_theme_makes_no_third_party_references(real_site):
    for path in [*html_pages(real_site), *Path(real_site).rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'(?:src|href)="(https?://[^"]+)"', text):
            url = match.group(1)
            if url.startswith(TEST_SITEURL):
                continue
            # Only <a> links may leave the site; nothing is loaded from elsewhere.
            assert f'<a href="{url}"' in text or f'href="{url}" rel=' in text, f"{path}: loads {url}"


def sitemap_urls(output):
    tree = etree.parse(str(output / "sitemap.xml"))
    return tree.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})


def test_sitemap_lists_every_published_post_and_robots_points_to_it(real_site):
    urls = sitemap_urls(real_site)
    posts = [p.parent for p in (real_site).glob("20*/*/*/index.html")]
    assert len(posts) == 5
    for folder in posts:
        assert f"{TEST_SITEURL}/{folder.relative_to(real_site).as_posix()}/" in urls
    assert f"{TEST_SITEURL}/404.html" not in urls
    assert (real_site / "robots.txt").read_text().strip().endswith(f"Sitemap: {TEST_SITEURL}/sitemap.xml")


def test_drafts_are_never_written_nor_in_the_sitemap(tmp_path):
    files = minimal_files()
    files["posts/secret.md"] = post("Secret Plans", Status="draft")
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    assert not list(output.rglob("secret-plans*"))
    assert not [url for url in sitemap_urls(output) if "secret" in url]
    assert f"{TEST_SITEURL}/2014/03/a-post/" in sitemap_urls(output)


def test_index_is_paginated_ten_per_page(tmp_path):
    files = minimal_files()
    for day in range(1, 12):
        files[f"posts/p{day}.md"] = post(f"Post number {day}", Date=f"2014-04-{day:02d} 09:00")
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    first = soup(output / "index.html").select(".post-card")
    second = soup(output / "page/2/index.html").select(".post-card")
    assert (len(first), len(second)) == (10, 2)
    assert soup(output / "index.html").select_one('a[rel="next"]')["href"] == f"{TEST_SITEURL}/page/2/"


def test_author_and_category_with_the_same_slug_do_not_collide(tmp_path):
    files = minimal_files()
    files["authors/job-interviews.md"] = "Name: Job Interviews\n\nA person oddly named.\n"
    files["posts/a-post.md"] = post(Authors="job-interviews")
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    author = soup(output / "author/job-interviews/index.html")
    category = soup(output / "category/job-interviews/index.html")
    assert author.h1.get_text(strip=True) == "Job Interviews"
    assert author.select_one(".bio")
    assert category.h1.get_text(strip=True) == "Category: Job Interviews"
