"""Series: navigation on posts, series pages, structured data, related posts and numbering rules."""

import json

import pytest
from support import ROOT, TEST_SITEURL, build_site, minimal_files, post, soup, write_site

from tools.build import check

OTHER_SERIES = "Name: Second Series\n\nAnother series, side by side.\n"


def series_site(tmp_path, draft_part=None):
    """Four parts of test-series (one optionally a draft) and two parts of second-series."""
    files = minimal_files()
    del files["posts/a-post.md"]
    files["series/second-series.md"] = OTHER_SERIES
    for number in range(1, 5):
        files[f"posts/part-{number}.md"] = post(
            f"Part {number} title",
            Date=f"2014-03-{number:02d} 09:00",
            Series="test-series",
            Series_index=str(number),
            Status="draft" if number == draft_part else None,
        )
    for number in range(1, 3):
        files[f"posts/other-{number}.md"] = post(
            f"Other {number} title",
            Date=f"2014-04-{number:02d} 09:00",
            Category="Job Offers",
            Tags="Offers",
            Series="Second Series",
            Series_index=str(number),
        )
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    return output


def page_for(output, title):
    slug = title.lower().replace(" ", "-")
    day = next(output.glob(f"2014/*/{slug}/index.html"))
    return soup(day)


@pytest.fixture(scope="module")
def two_series(tmp_path_factory):
    return series_site(tmp_path_factory.mktemp("series"))


@pytest.fixture(scope="module")
def with_draft(tmp_path_factory):
    return series_site(tmp_path_factory.mktemp("draft"), draft_part=3)


def nav(page):
    box = page.select_one(".series-nav")
    return {
        "heading": box.h2.get_text(),
        "parts": [li.get_text(strip=True) for li in box.select("li")],
        "current": box.select_one("[aria-current=page]").get_text(),
        "prev": box.select_one("a[rel=prev]").get_text() if box.select_one("a[rel=prev]") else None,
        "next": box.select_one("a[rel=next]").get_text() if box.select_one("a[rel=next]") else None,
    }


def test_first_part(two_series):
    page = page_for(two_series, "Part 1 title")
    assert page.select_one(".series-badge").get_text() == "Part 1 of 4 in Test Series"
    assert nav(page) == {
        "heading": "Test Series: part 1 of 4",
        "parts": ["Part 1 title", "Part 2 title", "Part 3 title", "Part 4 title"],
        "current": "Part 1 title",
        "prev": None,
        "next": "Next part: Part 2 title",
    }


def test_middle_part(two_series):
    result = nav(page_for(two_series, "Part 2 title"))
    assert (result["current"], result["prev"], result["next"]) == (
        "Part 2 title",
        "Previous part: Part 1 title",
        "Next part: Part 3 title",
    )


def test_last_part(two_series):
    result = nav(page_for(two_series, "Part 4 title"))
    assert (result["heading"], result["prev"], result["next"]) == (
        "Test Series: part 4 of 4",
        "Previous part: Part 3 title",
        None,
    )


def test_draft_part_is_not_shown_and_numbering_stays_right(with_draft):
    page = page_for(with_draft, "Part 4 title")
    assert page.select_one(".series-badge").get_text() == "Part 3 of 3 in Test Series"
    result = nav(page)
    assert result["parts"] == ["Part 1 title", "Part 2 title", "Part 4 title"]
    assert result["prev"] == "Previous part: Part 2 title"
    assert not list(with_draft.glob("2014/*/part-3-title"))
    series_page = soup(with_draft / "series/test-series/index.html")
    assert "Part 3 title" not in series_page.main.get_text()


def test_two_series_side_by_side_keep_their_own_parts(two_series):
    result = nav(page_for(two_series, "Other 2 title"))
    assert result["heading"] == "Second Series: part 2 of 2"
    assert result["parts"] == ["Other 1 title", "Other 2 title"]


def test_series_page_lists_parts_in_order_with_authors_and_summaries(two_series):
    page = soup(two_series / "series/test-series/index.html")
    assert page.h1.get_text() == "Series: Test Series"
    assert "A series used by the tests." in page.select_one(".series-description").get_text()
    parts = page.select(".series-parts > li")
    assert [li.h2.get_text(strip=True) for li in parts] == [f"Part {n}: Part {n} title" for n in range(1, 5)]
    assert all(li.select_one(".byline a").get_text() == "Ada Writer" for li in parts)
    assert all(li.select_one(".summary").get_text(strip=True) for li in parts)


def test_series_index_lists_every_series(two_series):
    page = soup(two_series / "series/index.html")
    assert [a.get_text() for a in page.select(".card h2 a")] == ["Second Series", "Test Series"]


def test_parts_declare_is_part_of_and_series_page_is_a_creative_work_series(two_series):
    page = page_for(two_series, "Part 2 title")
    posting = json.loads(page.find("script", type="application/ld+json").string)
    assert posting["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "Test Series",
        "url": f"{TEST_SITEURL}/series/test-series/",
    }
    series = json.loads(
        soup(two_series / "series/test-series/index.html").find("script", type="application/ld+json").string
    )
    assert series["@type"] == "CreativeWorkSeries"
    assert [part["position"] for part in series["hasPart"]] == [1, 2, 3, 4]


def test_real_series_has_four_parts_starting_with_the_seed(real_site):
    page = soup(real_site / "series/recruiter-call/index.html")
    titles = [li.h2.get_text(strip=True) for li in page.select(".series-parts > li")]
    assert len(titles) >= 4
    assert titles[0] == "Part 1: When a Recruiter Calls: Should You Consider a Career Change?"


def test_related_posts_share_tags_and_never_include_self_drafts_or_future(tmp_path):
    files = minimal_files()
    files["posts/b.md"] = post("Shares tags", Date="2014-03-06 09:00")
    files["posts/c.md"] = post("Draft sharing tags", Status="draft")
    files["posts/d.md"] = post("Future sharing tags", Date="2099-01-01 09:00")
    files["posts/e.md"] = post("Unrelated", Category="Resumes", Tags="Other")
    output = tmp_path / "output"
    build_site(write_site(tmp_path, files), output)
    related = [a.get_text() for a in soup(output / "2014/03/a-post/index.html").select(".related a")]
    assert related == ["Shares tags"]


@pytest.mark.parametrize(
    ("indexes", "expected"),
    [
        (
            ["1", "1"],
            "content/posts/part-2.md:7: Series_index: part 1 of series 'test-series' is also part-1.md; "
            "give each part its own number",
        ),
        (
            ["1", "3"],
            "content/posts/part-2.md:7: Series_index: series 'test-series' has no part 2 before part 3; "
            "number the parts 1, 2, 3 without gaps",
        ),
        (
            ["1", None],
            "content/posts/part-2.md:6: Series_index: missing for a post in a series; "
            "add 'Series_index: N' (1 for the first part)",
        ),
        (
            ["1", "two"],
            "content/posts/part-2.md:7: Series_index: 'two' is not a part number; use a whole number from 1 to 999",
        ),
    ],
)
def test_series_numbering_rules(tmp_path, indexes, expected):
    files = minimal_files()
    for number, index in enumerate(indexes, start=1):
        files[f"posts/part-{number}.md"] = post(
            f"Part {number}", Series="test-series", Series_index=index, Date=f"2014-03-0{number} 09:00"
        )
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(write_site(tmp_path, files))})
    assert [str(p) for p in audit.problems] == [expected]


def test_series_numbering_counts_draft_parts(tmp_path):
    files = minimal_files()
    files["posts/part-1.md"] = post("Part 1", Series="test-series", Series_index="1")
    files["posts/part-2.md"] = post("Part 2", Series="test-series", Series_index="2", Status="draft")
    files["posts/part-3.md"] = post("Part 3", Series="test-series", Series_index="3")
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(write_site(tmp_path, files))})
    assert audit.problems == []
