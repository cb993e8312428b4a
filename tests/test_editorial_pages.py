"""What the editorial plugin puts on pages: bylines, credits, author boxes, profile pages."""

import json

import pytest
from support import TEST_SITEURL, build_site, minimal_files, post, soup, write_site

SEED = "2014/02/when-a-recruiter-calls/index.html"
PART4 = "2014/04/resigning-well-and-answering-the-counter-offer/index.html"


def text(element):
    return " ".join(element.get_text(" ").split())


@pytest.fixture(scope="module")
def seed(real_site):
    return soup(real_site / SEED)


def test_seed_guest_credit_is_exact_and_links_the_partner_with_its_rel(seed):
    credit = seed.select_one(".guest-credit")
    assert credit.get_text() == "For this post, YouTern thanks our friends at Bulls Eye Recruiting!"
    link = credit.a
    assert link["href"] == "https://www.bullseyerecruiting.com/"
    assert link["rel"] == ["nofollow"]


def test_seed_footer_line_lists_category_and_tags(seed):
    line = text(seed.select_one(".entry-meta")).replace(" .", ".").replace(" ,", ",")
    assert line == (
        "This entry was posted in Job Interviews and tagged Recruiters, Career Change and Passive Candidates. "
        "Bookmark the permalink."
    )
    assert seed.select_one(".entry-meta a[rel=bookmark]")["href"] == f"{TEST_SITEURL}/2014/02/when-a-recruiter-calls/"


def test_footer_line_without_tags_drops_the_and_tagged_part(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Tags=None)
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    line = text(soup(output / "2014/03/a-post/index.html").select_one(".entry-meta")).replace(" .", ".")
    assert line == "This entry was posted in Job Interviews. Bookmark the permalink."


def test_seed_author_box_carries_the_bio_word_for_word_and_initials_avatar(seed):
    box = seed.select_one(".author-box")
    assert box.h2.get_text() == "About the Author: Will Thomson"
    assert text(box.select_one(".bio")).startswith(
        "Will Thomson has been in recruitment and sales for 20 years and currently serves as the Global Sales"
    )
    assert text(box.select_one(".bio")).endswith("guest blogged regularly for Social-Hire and Work4Labs.")
    assert "Thompson" not in text(box)
    assert box.select_one(".avatar-initials").get_text() == "WT"
    # Role and affiliation: the partner he writes for, linked to its page.
    assert text(box.select_one(".author-role")) == "Recruiter and guest contributor with Bulls Eye Recruiting"
    assert box.select_one(".author-role a")["href"] == f"{TEST_SITEURL}/partner/bulls-eye-recruiting/"
    assert box.find("a", string="More from Will Thomson")["href"] == f"{TEST_SITEURL}/author/will-thomson/"


def test_seed_image_credit_and_reading_time(seed):
    assert seed.select_one(".image-credit").get_text() == "Image courtesy of scientificamerican.com."
    assert seed.select_one(".featured-image img")["alt"] == "decisions decisions"
    assert seed.select_one(".reading-time").get_text() == "3 min read"


def test_two_authors_get_a_byline_each_and_one_compact_box(real_site):
    page = soup(real_site / PART4)
    assert [a.get_text() for a in page.select(".byline a")] == ["Maya Okafor", "Daniel Reyes"]
    assert "Maya Okafor and Daniel Reyes" in text(page.select_one(".byline"))
    [box] = page.select(".author-box")
    assert box.h2.get_text() == "About the Authors"
    people = box.select("li")
    assert [li.h3.a.get_text() for li in people] == ["Maya Okafor", "Daniel Reyes"]
    assert [li.h3.a["href"] for li in people] == [
        f"{TEST_SITEURL}/author/maya-okafor/",
        f"{TEST_SITEURL}/author/daniel-reyes/",
    ]
    # A photo (here the initials avatar, neither has an Avatar) and one short bio line each.
    assert [li.select_one(".avatar").get_text() for li in people] == ["MO", "DR"]
    assert [text(li.select_one(".author-role")) for li in people] == [
        "Staff Writer, YouTern",
        "Senior Talent Partner with Harborline Talent",
    ]
    lines = [li.select_one(".author-line").get_text() for li in people]
    assert lines[0] == (
        "Maya Okafor is a staff writer at YouTern, where she covers internships, interviews "
        "and the first few years of a career."
    )
    assert lines[1].startswith("Daniel Reyes is a senior talent partner at Harborline Talent") and lines[1].endswith(
        "\u2026"
    )
    assert all(len(line) <= 161 for line in lines)
    # The full bios stay on the authors' pages.
    assert not box.select(".bio")


def test_author_page_shows_bio_affiliation_posts_and_person_json_ld(real_site):
    page = soup(real_site / "author/will-thomson/index.html")
    assert page.h1.get_text() == "Will Thomson"
    assert "Bulls Eye Recruiting" in text(page.select_one(".affiliation"))
    titles = [h.get_text(strip=True) for h in page.select(".post-card h3")]
    # Will Thomson wrote part 1 only: no other post credits him.
    assert titles == ["When a Recruiter Calls: Should You Consider a Career Change?"]
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["mainEntity"]["@type"] == "Person"
    assert data["mainEntity"]["name"] == "Will Thomson"


def test_author_json_ld_same_as_comes_from_links(real_site):
    page = soup(real_site / "author/maya-okafor/index.html")
    person = json.loads(page.find("script", type="application/ld+json").string)["mainEntity"]
    assert person["sameAs"] == [a["href"] for a in page.select(".profile .author-links a")]
    assert person["sameAs"]


def test_authors_index_lists_every_profile(real_site):
    page = soup(real_site / "authors/index.html")
    assert [a.get_text() for a in page.select(".card h2 a")] == ["Daniel Reyes", "Maya Okafor", "Will Thomson"]


def test_author_without_posts_still_has_a_page(tmp_path):
    files = minimal_files()
    files["authors/new-person.md"] = "Name: New Person\n\nJust joined.\n"
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    page = soup(output / "author/new-person/index.html")
    assert page.h1.get_text() == "New Person"
    assert "No published posts yet." in text(page.main)


def test_partner_page_shows_description_logo_link_with_rel_and_guest_posts(real_site):
    page = soup(real_site / "partner/harborline-talent/index.html")
    assert page.h1.get_text() == "Harborline Talent"
    assert page.select_one(".partner-logo")["src"] == f"{TEST_SITEURL}/images/harborline-talent.svg"
    visit = page.find("a", string="Visit Harborline Talent")
    assert visit["rel"] == ["sponsored"]
    assert [h.get_text(strip=True) for h in page.select(".post-card h3")] == [
        "Resigning Well and Answering the Counter-Offer",
        "Weighing an Offer Against the Job You Already Have",
    ]


def test_partners_index_lists_every_partner(real_site):
    names = [a.get_text() for a in soup(real_site / "partners/index.html").select(".card h2 a")]
    assert names == ["Bulls Eye Recruiting", "Campus Careers Weekly", "Harborline Talent", "The Hiring Desk"]


def test_profiles_are_never_listed_as_posts(real_site):
    archive_titles = [a.get_text() for a in soup(real_site / "archives/index.html").select(".archive-list a")]
    assert len(archive_titles) == 5
    for name in ("Will Thomson", "Bulls Eye Recruiting", "When a Recruiter Calls"):
        assert name not in archive_titles
    assert not (real_site / "author/will-thomson.html").exists()
    assert not list(real_site.rglob("bulls-eye-recruiting.html"))


def test_custom_credit_line_and_site_name(tmp_path):
    files = minimal_files()
    files["partners/acme-hiring.md"] = (
        "Name: Acme Hiring\nUrl: https://acme.example/\n"
        "Credit: Brought to you by {partner}, friends of {site}.\n\nAcme.\n"
    )
    files["posts/a-post.md"] = post(Partner="acme-hiring")
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    credit = soup(output / "2014/03/a-post/index.html").select_one(".guest-credit")
    assert credit.get_text() == "Brought to you by Acme Hiring, friends of YouTern."
    assert credit.a["rel"] == ["nofollow"]
