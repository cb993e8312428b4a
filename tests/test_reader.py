"""What readers get from listings, post pages and partner pages (issue 17): cards, the
category menu, post pages that link each post once, partner profiles without placeholder
text. The real content and small fixture sites, built for real and parsed."""

import re

import pytest
from support import TEST_SITEURL, build_site, html_pages, minimal_files, post, soup, write_site

SEED = "2014/02/when-a-recruiter-calls/index.html"
PART4 = "2014/04/resigning-well-and-answering-the-counter-offer/index.html"


def text(element):
    return " ".join(element.get_text(" ").split())


def test_home_shows_each_post_as_a_card_with_everything_a_reader_scans_for(real_site):
    cards = soup(real_site / "index.html").select("main .post-card")
    assert len(cards) == 5
    by_title = {card.select_one(".post-card-title a").get_text(): card for card in cards}
    seed = by_title["When a Recruiter Calls: Should You Consider a Career Change?"]
    image = seed.select_one("picture > img.post-card-image")
    # The photo's renditions, the smallest that fills the card's width chosen by the browser.
    widths = [candidate.split()[1] for candidate in image["srcset"].split(", ")]
    assert widths == ["400w", "800w", "1200w"]
    assert image["src"].startswith(f"{TEST_SITEURL}/images/renditions/decisions-decisions-")
    assert image["sizes"] == "(min-width: 40rem) 15rem, calc(100vw - 2rem)"
    assert seed.select_one("picture > source")["type"] == "image/webp"
    # Sized and lazy: the image reserves its box before it loads, and waits for the reader.
    assert (image["width"], image["height"], image["loading"]) == ("1200", "750", "lazy")
    assert image["alt"] == ""  # decorative beside the linked title, which names the post
    assert seed.select_one(".post-card-category").get_text() == "Job Interviews"
    assert text(seed.select_one(".guest-mark")) == "Guest post : Bulls Eye Recruiting"
    assert seed.select_one(".guest-mark a")["href"] == f"{TEST_SITEURL}/partner/bulls-eye-recruiting/"
    assert text(seed.select_one(".series-badge")) == "Part 1 of 4 in When a Recruiter Calls"
    assert [a.get_text() for a in seed.select(".byline a")] == ["Will Thomson"]
    assert seed.select_one(".reading-time").get_text() == "3 min read"
    # A staff post has no guest mark; a co-written one names both authors.
    staff = by_title["How to Ask for Feedback After an Internship Rejection"]
    assert staff.select_one(".guest-mark") is None
    part4 = by_title["Resigning Well and Answering the Counter-Offer"]
    assert [a.get_text() for a in part4.select(".byline a")] == ["Maya Okafor", "Daniel Reyes"]


@pytest.mark.parametrize(
    "listing", ["category/job-interviews/index.html", "tag/recruiters/index.html", "author/maya-okafor/index.html"]
)
def test_every_listing_uses_the_card(real_site, listing):
    page = soup(real_site / listing)
    cards = page.select("main .post-card")
    assert cards and all(card.select_one(".post-card-category") for card in cards)
    assert all(card.select_one("img.post-card-image[loading=lazy][width][height]") for card in cards)


def test_a_post_without_image_gets_a_card_without_one(tmp_path):
    output = tmp_path / "output"
    build_site(write_site(tmp_path, minimal_files()), output)
    [card] = soup(output / "index.html").select(".post-card")
    assert card.img is None and "has-image" not in card["class"]


def test_every_page_has_the_categories_and_a_search_box_in_its_header(real_site):
    for path in html_pages(real_site):
        page = soup(path)
        if page.select_one("meta[http-equiv=refresh]"):  # a redirect page
            continue
        names = [a.get_text() for a in page.select("header .category-nav a")]
        assert names == ["Career Moves", "Internships", "Job Interviews", "Job Offers"], path
        if path != real_site / "search/index.html":
            form = page.select_one("header form[role=search]")
            assert form["action"] == f"{TEST_SITEURL}/search/" and form.select_one("input[name=q]"), path


def test_the_category_page_marks_its_own_category_as_current(real_site):
    page = soup(real_site / "category/job-offers/index.html")
    assert [a.get_text() for a in page.select(".category-nav a[aria-current=page]")] == ["Job Offers"]
    assert not soup(real_site / SEED).select(".category-nav a[aria-current]")


def series_site(tmp_path, extra=None):
    """Three consecutive parts of a series, sharing their tags, and three other posts sharing
    them too; returns the output folder."""
    files = minimal_files()
    del files["posts/a-post.md"]
    for number in (1, 2, 3):
        files[f"posts/part-{number}.md"] = post(
            f"Part {number}", Series="test-series", Series_index=str(number), Date=f"2014-03-0{number} 09:00"
        )
    for number in (1, 2, 3):
        files[f"posts/other-{number}.md"] = post(f"Other {number}", Date=f"2014-02-0{number} 09:00")
    files.update(extra or {})
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    return output


def test_related_posts_never_repeat_the_series_box_and_still_fill_up(tmp_path):
    output = series_site(tmp_path)
    page = soup(output / "2014/03/part-2/index.html")
    series = [li.get_text(strip=True) for li in page.select(".series-nav li")]
    related = [a.get_text() for a in page.select(".related a")]
    assert series == ["Part 1", "Part 2", "Part 3"]
    assert related == ["Other 3", "Other 2", "Other 1"]  # three, the setting's limit, none a part


def test_next_part_and_next_post_never_name_the_same_post(tmp_path):
    output = series_site(tmp_path)
    for number in (1, 2, 3):
        page = soup(output / f"2014/03/part-{number}/index.html")
        links = [a["href"] for a in page.select(".series-steps a, .post-neighbours a")]
        assert len(links) == len(set(links)), (number, links)
    first = soup(output / "2014/03/part-1/index.html")
    assert [a.get_text() for a in first.select(".series-steps a")] == ["Next part: Part 2"]
    # Its chronological previous post is no part: that link stays.
    assert [a.get_text() for a in first.select(".post-neighbours a")] == ["Previous post: Other 3"]
    middle = soup(output / "2014/03/part-2/index.html")
    assert middle.select_one(".post-neighbours") is None  # both neighbours are the series' steps


def test_real_series_part_4_has_related_posts_outside_the_series_only(real_site):
    page = soup(real_site / PART4)
    parts = {a.get_text() for a in page.select(".series-nav li a")}
    related = {a.get_text() for a in page.select(".related a")}
    assert not parts & related


def test_single_author_box_shows_role_and_affiliation_linked(real_site):
    box = soup(real_site / SEED).select_one(".author-box")
    role = box.select_one(".author-role")
    assert text(role) == "Recruiter and guest contributor with Bulls Eye Recruiting"
    assert role.a["href"] == f"{TEST_SITEURL}/partner/bulls-eye-recruiting/"


PLACEHOLDER = re.compile(r"fictional|does not represent|placeholder|lorem ipsum", re.IGNORECASE)


def test_no_placeholder_text_reaches_readers(real_site):
    found = [
        path.relative_to(real_site).as_posix()
        for path in sorted(real_site.rglob("*"))
        if path.suffix in (".html", ".xml", ".json") and PLACEHOLDER.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_partners_are_shown_as_partners_with_a_logo_or_a_monogram(real_site):
    cards = {card.h2.get_text(strip=True): card for card in soup(real_site / "partners/index.html").select(".card")}
    assert "0 guest posts" not in " ".join(text(card) for card in cards.values())
    assert text(cards["Bulls Eye Recruiting"].select_one(".partner-role")) == "1 guest post"
    assert text(cards["Harborline Talent"].select_one(".partner-role")) == "2 guest posts"
    assert text(cards["The Hiring Desk"].select_one(".partner-role")) == "Partner blog: republishes our posts"
    # Bulls Eye gave no logo: its initials in a CSS circle, no image.
    bulls_eye = cards["Bulls Eye Recruiting"]
    assert bulls_eye.img is None and bulls_eye.select_one(".monogram").get_text() == "BR"
    logo = cards["Harborline Talent"].select_one("img.partner-logo")
    assert logo["src"] == f"{TEST_SITEURL}/images/harborline-talent.svg" and logo["alt"] == "Harborline Talent logo"


def test_a_partner_blog_without_posts_has_no_empty_guest_post_list(real_site):
    page = soup(real_site / "partner/the-hiring-desk/index.html")
    assert text(page.select_one(".partner-role")) == "Partner blog: republishes our posts"
    assert "guest post" not in text(page.main).lower()


def test_a_guest_partner_without_posts_is_a_guest_partner(tmp_path):
    output = tmp_path / "output"
    build_site(write_site(tmp_path, minimal_files()), output)
    card = soup(output / "partners/index.html").select_one(".card")
    assert text(card.select_one(".partner-role")) == "Guest partner"
    assert card.select_one(".monogram").get_text() == "AH"
